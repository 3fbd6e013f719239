// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HistorySource.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace tidewatch {

/// One compressed block of one metric's history, the unit the store writes,
/// spools and replays. (host, metric, tier, startTs) is its key: writing a
/// block again replaces the earlier version, so a replay after an outage
/// never duplicates a point. An open block is written again as it grows.
struct StoredBlock
{
    QString host;
    QString metric;
    StoreTier tier = StoreTier::Raw;
    qint64 startTs = 0; ///< ms since the epoch of the first point; part of the key
    qint64 endTs = 0;   ///< ms since the epoch of the last point
    int count = 0;      ///< points in the block
    QByteArray data;    ///< BlockCodec output

    bool sameKey(const StoredBlock &other) const
    {
        return tier == other.tier && startTs == other.startTs && metric == other.metric &&
               host == other.host;
    }
};

using StoredBlockList = QList<StoredBlock>;

} // namespace tidewatch
