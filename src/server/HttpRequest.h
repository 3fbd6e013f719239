// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace tidewatch {

/// One HTTP/1.x request head, parsed from bytes only (no socket), so tests
/// can feed it captured or hostile input. Bodies are not parsed: the feed
/// server only serves GET and HEAD.
struct HttpRequest
{
    enum class Status : quint8 {
        Incomplete, ///< no blank line yet and still under the size limit
        Complete,   ///< a well-formed head; headLength says where it ends
        Invalid,    ///< malformed: answer 400 and close
        TooLarge,   ///< head over the limit: answer 431 and close
    };

    static constexpr int MaxHeaders = 100;

    QByteArray method;    ///< "GET", as sent (methods are case-sensitive)
    QByteArray target;    ///< the request-target as sent, e.g. "/metrics?x=1"
    QByteArray path;      ///< target without query, e.g. "/metrics" (not percent-decoded)
    QByteArray query;     ///< after '?', without it
    int versionMinor = 1; ///< HTTP/1.<versionMinor>
    QList<std::pair<QByteArray, QByteArray>> headers; ///< names lower-cased, values trimmed
    qsizetype headLength = 0;                         ///< bytes up to and including the blank line

    /// First value of header `lowerName`, or a null QByteArray.
    QByteArray header(QByteArrayView lowerName) const;
    bool hasHeader(QByteArrayView lowerName) const;
    /// True when a comma-separated header (Connection, Upgrade) lists `token`,
    /// compared case-insensitively.
    bool headerHasToken(QByteArrayView lowerName, QByteArrayView token) const;
    /// HTTP/1.1 keeps the connection unless "Connection: close"; 1.0 only with keep-alive.
    bool keepAlive() const;
    /// GET with "Upgrade: websocket" and "Connection: upgrade".
    bool isWebSocketUpgrade() const;

    /// Parses the head at the start of `data`. Never reads past `maxHeadBytes`:
    /// a head whose blank line is not within that many bytes is TooLarge.
    /// `error`, when given, gets a short reason for Invalid.
    static Status parse(QByteArrayView data, qsizetype maxHeadBytes, HttpRequest *out,
                        QByteArray *error = nullptr);
};

} // namespace tidewatch
