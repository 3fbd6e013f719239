// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP responses read off a raw socket, for the server tests that send
// requests by hand.
#pragma once

#include <QByteArray>

namespace tidewatch::test {

struct RawResponse
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

/// Takes one complete response (head + Content-Length body) off the front
/// of `buffer`; false while incomplete. `headOnly` for answers to HEAD.
inline bool takeResponse(QByteArray &buffer, RawResponse *out, bool headOnly = false)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    RawResponse r;
    r.head = buffer.left(end);
    r.status = r.head.mid(9, 3).toInt();
    const qsizetype length = headOnly ? 0 : r.header("content-length").toLongLong();
    if (buffer.size() < end + 4 + length)
        return false;
    r.body = buffer.mid(end + 4, length);
    buffer.remove(0, end + 4 + length);
    *out = r;
    return true;
}

} // namespace tidewatch::test
