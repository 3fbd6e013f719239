// SPDX-License-Identifier: GPL-3.0-or-later
#include "HistoryQuery.h"

#include "Hub.h"

#include <QtNumeric>

#include <algorithm>

namespace tidewatch {

namespace {

// Maps each point of every series onto the shared axis. Series nearly
// always share the snapshots' timestamps (a metric that appeared later has
// a suffix of them), so a merge walk finds every one; only mixed histories
// (a sampler restart within one Hub) need the sorted union.
QList<qint64> sharedAxis(const QList<QList<HistoryPoint>> &series)
{
    qsizetype longest = -1;
    for (qsizetype s = 0; s < series.size(); ++s) {
        if (longest < 0 || series.at(s).size() > series.at(longest).size())
            longest = s;
    }
    if (longest < 0)
        return {};
    QList<qint64> axis;
    axis.reserve(series.at(longest).size());
    for (const HistoryPoint &p : series.at(longest))
        axis.append(p.ts);
    bool subset = true;
    for (const QList<HistoryPoint> &points : series) {
        qsizetype j = 0;
        for (const HistoryPoint &p : points) {
            while (j < axis.size() && axis.at(j) < p.ts)
                ++j;
            if (j == axis.size() || axis.at(j) != p.ts) {
                subset = false;
                break;
            }
        }
        if (!subset)
            break;
    }
    if (subset)
        return axis;
    for (const QList<HistoryPoint> &points : series) {
        for (const HistoryPoint &p : points)
            axis.append(p.ts);
    }
    std::sort(axis.begin(), axis.end());
    axis.erase(std::unique(axis.begin(), axis.end()), axis.end());
    return axis;
}

} // namespace

HistoryTable readHistory(const Hub &hub, const MetricCatalog &catalog, const HistoryQuery &query)
{
    HistoryTable table;
    table.fromTs = query.fromTs;
    table.toTs = query.toTs;
    if (query.toTs < query.fromTs)
        return table;

    QList<QList<HistoryPoint>> series;
    for (qsizetype i : FeedCodec::selectMetrics(catalog, query.patterns, query.usePatterns)) {
        const MetricInfo &info = catalog.at(i);
        if (info.kind == MetricKind::Counter)
            continue; // the Hub keeps no history of counters
        table.ids.append(info.id);
        series.append(hub.history(info.id, query.fromTs, query.toTs));
    }
    const QList<qint64> axis = sharedAxis(series);
    const qsizetype n = axis.size();
    if (n == 0) {
        table.values.resize(table.ids.size());
        return table;
    }

    qsizetype maxPoints = qMax(1, query.maxPoints);
    if (query.maxValues > 0 && !table.ids.isEmpty())
        maxPoints = qMax<qsizetype>(1, qMin(maxPoints, query.maxValues / table.ids.size()));
    const qsizetype step = (n + maxPoints - 1) / maxPoints;
    const qsizetype buckets = (n + step - 1) / step;
    table.step = int(step);
    // Bucket b ends at index n - 1 - (buckets - 1 - b) * step; the first
    // bucket may be short.
    const auto bucketEnd = [&](qsizetype b) { return n - 1 - (buckets - 1 - b) * step; };
    table.ts.reserve(buckets);
    for (qsizetype b = 0; b < buckets; ++b)
        table.ts.append(axis.at(bucketEnd(b)));

    table.values.reserve(series.size());
    const qsizetype first = bucketEnd(0) - step + 1; // axis index where bucket 0 would start
    QList<double> sums(buckets);
    QList<int> counts(buckets);
    for (const QList<HistoryPoint> &points : std::as_const(series)) {
        std::fill(sums.begin(), sums.end(), 0.0);
        std::fill(counts.begin(), counts.end(), 0);
        qsizetype j = 0; // index on the axis
        for (const HistoryPoint &p : points) {
            while (j < n && axis.at(j) < p.ts)
                ++j;
            if (j == n)
                break;
            if (qIsNaN(p.value))
                continue; // "no value yet" stays out of the average
            const qsizetype b = (j - first) / step;
            sums[b] += p.value;
            ++counts[b];
        }
        QList<double> v(buckets);
        for (qsizetype b = 0; b < buckets; ++b)
            v[b] = counts.at(b) ? sums.at(b) / counts.at(b) : qQNaN();
        table.values.append(std::move(v));
    }
    return table;
}

} // namespace tidewatch
