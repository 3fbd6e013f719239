// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace tidewatch {

/// A static file of the browser dashboard, served over HTTP.
struct WebAsset
{
    QByteArray contentType;
    QByteArray body;
    QByteArray etag; ///< strong validator: a quoted hash of the body
};

/// The dashboard file at an URL path ("/" is index.html), read once from the
/// Qt resources under :/web (built from resources/web, uPlot included), or
/// nullptr when there is none. Thread-safe.
const WebAsset *findWebAsset(QByteArrayView path);

/// Whether an If-None-Match header value names `etag` (or is "*"). Weak
/// comparison, as RFC 9110 §13.1.2 asks for If-None-Match.
bool etagMatches(QByteArrayView ifNoneMatch, QByteArrayView etag);

} // namespace tidewatch
