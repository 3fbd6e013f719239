// SPDX-License-Identifier: GPL-3.0-or-later
#include "HistoryQuery.h"

#include "Config.h"
#include "Hub.h"

#include <QDateTime>
#include <QUrlQuery>

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
    // Envelopes only mean something when buckets hold more than one sample.
    const bool envelopes = step > 1;
    if (envelopes) {
        table.min.reserve(series.size());
        table.max.reserve(series.size());
    }
    QList<double> sums(buckets);
    QList<int> counts(buckets);
    QList<double> lows;
    QList<double> highs;
    for (const QList<HistoryPoint> &points : std::as_const(series)) {
        std::fill(sums.begin(), sums.end(), 0.0);
        std::fill(counts.begin(), counts.end(), 0);
        if (envelopes) {
            lows.fill(qQNaN(), buckets);
            highs.fill(qQNaN(), buckets);
        }
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
            if (envelopes) {
                // NaN compares false, so the first sample seeds both.
                if (!(lows.at(b) <= p.value))
                    lows[b] = p.value;
                if (!(highs.at(b) >= p.value))
                    highs[b] = p.value;
            }
            ++counts[b];
        }
        QList<double> v(buckets);
        for (qsizetype b = 0; b < buckets; ++b)
            v[b] = counts.at(b) ? sums.at(b) / counts.at(b) : qQNaN();
        table.values.append(std::move(v));
        if (envelopes) {
            table.min.append(lows);
            table.max.append(highs);
        }
    }
    return table;
}

HistoryTable joinHistory(const HistoryTable &older, const HistoryTable &newer)
{
    if (newer.ts.isEmpty())
        return older;
    const qint64 cut = newer.ts.first();
    const qsizetype keep =
        std::lower_bound(older.ts.cbegin(), older.ts.cend(), cut) - older.ts.cbegin();
    HistoryTable out = older;
    out.ts = older.ts.first(keep) + newer.ts;
    out.toTs = qMax(older.toTs, newer.toTs);
    const qsizetype total = out.ts.size();
    const bool envelopes = !older.min.isEmpty();
    QStringList ids = older.ids;
    for (const QString &id : newer.ids) {
        if (!ids.contains(id))
            ids.append(id);
    }
    out.ids = ids;
    out.values.clear();
    out.min.clear();
    out.max.clear();
    // Joins one column: older's first `keep` points, then newer's (a raw
    // sample is its own min and max), NaN where a side lacks the series.
    const auto column = [&](const QList<QList<double>> &olderColumns, qsizetype o, qsizetype n) {
        QList<double> v;
        v.reserve(total);
        for (qsizetype i = 0; i < keep; ++i)
            v.append(o >= 0 && i < olderColumns.at(o).size() ? olderColumns.at(o).at(i) : qQNaN());
        for (qsizetype i = 0; i < newer.ts.size(); ++i)
            v.append(n >= 0 && i < newer.values.at(n).size() ? newer.values.at(n).at(i) : qQNaN());
        return v;
    };
    for (const QString &id : std::as_const(ids)) {
        const qsizetype o = older.ids.indexOf(id);
        const qsizetype n = newer.ids.indexOf(id);
        out.values.append(column(older.values, o, n));
        if (envelopes) {
            out.min.append(column(older.min, o, n));
            out.max.append(column(older.max, o, n));
        }
    }
    return out;
}

namespace {

bool parseTime(const QString &text, qint64 nowMs, qint64 *out)
{
    if (text.startsWith(u'-')) {
        qint64 back = 0;
        if (!Config::parseDuration(text.sliced(1), &back))
            return false;
        *out = nowMs - back;
        return true;
    }
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    if (ok) {
        *out = ms;
        return ms >= 0;
    }
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return false;
    *out = t.toMSecsSinceEpoch();
    return true;
}

} // namespace

bool parseHttpHistoryQuery(QByteArrayView queryString, qint64 nowMs, int maxPoints,
                           HistoryQuery *out, QString *error)
{
    using namespace Qt::StringLiterals;
    // '+' in a query string is a space (form encoding); ISO times carry
    // offsets like +02:00, which clients must send as %2B.
    const QUrlQuery query(QString::fromUtf8(queryString).replace(u'+', u' '));
    HistoryQuery q;
    q.toTs = nowMs;
    q.fromTs = -1;
    q.maxPoints = qMin(1000, maxPoints);
    for (const auto &[rawKey, rawValue] : query.queryItems(QUrl::FullyDecoded)) {
        const QString &key = rawKey;
        const QString value = rawValue.trimmed();
        if (key == "metric"_L1) {
            if (value.isEmpty() || value.size() > FeedCodec::MaxPatternLength) {
                *error = u"metric must be 1 to %1 characters"_s.arg(FeedCodec::MaxPatternLength);
                return false;
            }
            if (q.patterns.size() >= FeedCodec::MaxPatterns) {
                *error = u"at most %1 metric parameters"_s.arg(FeedCodec::MaxPatterns);
                return false;
            }
            q.patterns.append(value);
            q.usePatterns = true;
        } else if (key == "from"_L1 || key == "to"_L1) {
            qint64 ts = 0;
            if (!parseTime(value, nowMs, &ts)) {
                *error = u"invalid %1 \"%2\": expected ms since the epoch, an ISO-8601 time "
                         "or a duration back from now like -24h"_s.arg(key, value.left(64));
                return false;
            }
            (key == "from"_L1 ? q.fromTs : q.toTs) = ts;
        } else if (key == "points"_L1) {
            bool ok = false;
            const int points = value.toInt(&ok);
            if (!ok || points < 1 || points > maxPoints) {
                *error =
                    u"invalid points \"%1\": expected 1 to %2"_s.arg(value.left(64)).arg(maxPoints);
                return false;
            }
            q.maxPoints = points;
        } else {
            *error = u"unknown parameter \"%1\": expected metric, from, to or points"_s.arg(
                key.left(64));
            return false;
        }
    }
    if (q.fromTs < 0)
        q.fromTs = q.toTs - 3600 * 1000;
    if (q.fromTs > q.toTs) {
        *error = u"from is after to"_s;
        return false;
    }
    *out = q;
    return true;
}

} // namespace tidewatch
