// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FeedCodec.h"
#include "Snapshot.h"

namespace tidewatch {

class Hub;

/// What a `history` command asks for, with the server's limits applied.
struct HistoryQuery
{
    QStringList patterns;     ///< glob patterns, as in subscribe
    bool usePatterns = false; ///< false: every metric the Hub keeps history for
    qint64 fromTs = 0;        ///< inclusive
    qint64 toTs = 0;          ///< inclusive; at most the newest snapshot's ts
    int maxPoints = 0;        ///< points per series after averaging
    qsizetype maxValues = 0;  ///< values over all series; lowers maxPoints when many match
};

/// Reads the Hub's in-memory history into one table with a shared time
/// axis, averaged down to at most maxPoints buckets. Buckets are counted
/// from the newest sample, so the last point is always the sample at the
/// newest timestamp in range: the live feed continues right after it.
HistoryTable readHistory(const Hub &hub, const MetricCatalog &catalog, const HistoryQuery &query);

/// A store answer of raw samples with its newest part replaced by the Hub's:
/// the points of `older` before `newer`'s first timestamp, then `newer`'s, on
/// one axis. The store keeps times to 100 ms; the Hub and the live frames
/// keep them exact, so the part that meets the live stream must come from
/// the Hub. Series only one side has get nulls on the other side.
HistoryTable joinHistory(const HistoryTable &older, const HistoryTable &newer);

/// Parses the query string of `GET /api/v1/history`: `metric` (repeatable glob
/// patterns), `from` and `to` (ms since the epoch, ISO-8601, or a duration back
/// from `nowMs` like `-24h`; defaults: the last hour), `points` (1..maxPoints,
/// default 1000). False with a one-line `error` naming the bad parameter.
bool parseHttpHistoryQuery(QByteArrayView queryString, qint64 nowMs, int maxPoints,
                           HistoryQuery *out, QString *error);

} // namespace tidewatch
