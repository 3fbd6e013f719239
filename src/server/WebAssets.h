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
    /// The Content-Security-Policy to send with it: only this origin's
    /// files, plus the hash of each script that was put inline.
    QByteArray contentSecurityPolicy;
    /// Where FeedServer puts the page's first data (the position of
    /// FirstDataMarker in body), or -1: such a page is built per request.
    qsizetype firstDataAt = -1;
};

/// In index.html: replaced per request by the data the first chart is drawn
/// from before any other script runs (resources/web/first-chart.js).
inline constexpr QByteArrayView FirstDataMarker("<!--first-data-->");

/// The dashboard file at an URL path ("/" is index.html), read once from the
/// Qt resources under :/web (built from resources/web, uPlot included), or
/// nullptr when there is none. Thread-safe.
///
/// An HTML file's `<script src="/X.js" data-inline></script>` and
/// `<link rel="stylesheet" href="/X.css" data-inline>` are replaced by the
/// file's text, allowed by its hash in the page's policy: the first paint
/// then waits for no other request (see resources/web/boot.js).
const WebAsset *findWebAsset(QByteArrayView path);

/// Whether an If-None-Match header value names `etag` (or is "*"). Weak
/// comparison, as RFC 9110 §13.1.2 asks for If-None-Match.
bool etagMatches(QByteArrayView ifNoneMatch, QByteArrayView etag);

} // namespace tidewatch
