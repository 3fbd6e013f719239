// SPDX-License-Identifier: GPL-3.0-or-later
// What the FeedServer's source files share and nobody else needs.
#pragma once

#include "FeedCodec.h"
#include "FeedServer.h"

#include <QTimer>

namespace tidewatch {

/// Object name of the timer that bounds an HTTP head (and keep-alive idle),
/// so onNewWebSocket() can find and delete it after an upgrade.
inline constexpr char HeadTimerName[] = "tidewatch_head_timer";

/// A group of clients that receive the same metrics frames: same patterns,
/// same interval. Its frame is encoded once per tick for all of them.
struct FeedServer::Subscription
{
    quint64 id = 0; ///< how shards name the group
    QString key;
    bool usePatterns = false;
    QStringList patterns;
    int intervalMs = 0; ///< 0: every tick
    bool sentAny = false;
    qint64 lastSentTs = 0;
    CatalogPtr catalog;
    QList<qsizetype> indices;
    int clients = 0;

    void select(const CatalogPtr &c)
    {
        if (c == catalog && !indices.isEmpty())
            return;
        catalog = c;
        indices = c ? FeedCodec::selectMetrics(*c, patterns, usePatterns) : QList<qsizetype>();
    }
};

struct FeedServer::HttpConnection
{
    QTimer *headTimer = nullptr; ///< child of the socket: aborts a stalled head or idle keep-alive
    bool waitingForWrite = false;
    bool closing = false;
    bool answerPending = false; ///< a store query runs for this connection: read nothing more
};

} // namespace tidewatch
