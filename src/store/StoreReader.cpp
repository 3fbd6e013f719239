// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreReader.h"

#include "BlockCodec.h"

#include <QDateTime>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <QtNumeric>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace tidewatch::store {

namespace {

/// One series' points in the chosen tier: 1 column (raw) or min/max/avg.
struct Points
{
    int columns = 1;
    QList<qint64> ts;
    QList<double> values;
};

void addDecoded(const DecodedBlock &b, qint64 fromTs, qint64 toTs, Points *out)
{
    // Through raw pointers into storage sized once: a day of every metric
    // is millions of points, and QList's per-append checks were a third of
    // the query's time (perf, bench/history-worst).
    const int columns = out->columns;
    const qsizetype n0 = out->ts.size();
    out->ts.resize(n0 + b.ts.size());
    out->values.resize((n0 + b.ts.size()) * columns);
    qint64 *ts = out->ts.data() + n0;
    double *values = out->values.data() + n0 * columns;
    const qint64 *inTs = b.ts.constData();
    const double *inValues = b.values.constData();
    qsizetype kept = 0;
    for (qsizetype i = 0; i < b.ts.size(); ++i) {
        const qint64 t = inTs[i];
        if (t < fromTs || t > toTs)
            continue;
        ts[kept] = t;
        for (int c = 0; c < columns; ++c)
            values[kept * columns + c] = c < b.columns ? inValues[i * b.columns + c] : qQNaN();
        ++kept;
    }
    out->ts.resize(n0 + kept);
    out->values.resize((n0 + kept) * columns);
}

// Blocks of one series never overlap unless a restart or a clock step
// made them; then sort and keep the last point of a repeated time.
void normalise(Points *p)
{
    bool sorted = true;
    for (qsizetype i = 1; i < p->ts.size() && sorted; ++i)
        sorted = p->ts.at(i) > p->ts.at(i - 1);
    if (sorted)
        return;
    QList<qsizetype> order(p->ts.size());
    for (qsizetype i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [p](qsizetype a, qsizetype b) { return p->ts.at(a) < p->ts.at(b); });
    Points out;
    out.columns = p->columns;
    for (qsizetype k = 0; k < order.size(); ++k) {
        const qsizetype i = order.at(k);
        if (!out.ts.isEmpty() && out.ts.last() == p->ts.at(i)) {
            out.values.resize(out.values.size() - out.columns);
            out.ts.removeLast();
        }
        out.ts.append(p->ts.at(i));
        for (int c = 0; c < out.columns; ++c)
            out.values.append(p->values.at(i * out.columns + c));
    }
    *p = std::move(out);
}

qint64 retentionOf(StoreTier tier, const StoreOptions &o)
{
    switch (tier) {
    case StoreTier::Raw:
        return o.rawRetentionMs;
    case StoreTier::Minute:
        return o.minuteRetentionMs;
    case StoreTier::Hour:
        return o.hourRetentionMs;
    }
    return 0;
}

} // namespace

StoreReader::StoreReader(StoreLocation location, StoreOptions options,
                         std::shared_ptr<StoreBuffer> buffer)
    : m_location(std::move(location))
    , m_options(std::move(options))
    , m_buffer(std::move(buffer))
    , m_connectionName(u"tidewatch-store-reader-%1"_s.arg(quintptr(this), 0, 16))
{}

StoreReader::~StoreReader() = default;

bool StoreReader::ensureConnected(QString *error)
{
    if (m_connected && m_db.isOpen())
        return true;
    if (!m_connectionName.isEmpty() && QSqlDatabase::contains(m_connectionName))
        dropConnection(&m_db);
    if (!openConnection(m_location, m_connectionName, &m_db, error)) {
        dropConnection(&m_db);
        m_connected = false;
        return false;
    }
    m_connected = true;
    return true;
}

void StoreReader::shutdown()
{
    if (QSqlDatabase::contains(m_connectionName))
        dropConnection(&m_db);
    m_connected = false;
}

StoreTier StoreReader::chooseTier(const HistoryRequest &request, const StoreOptions &options,
                                  qint64 newestTs)
{
    const qint64 span = request.toTs - request.fromTs + 1;
    auto retains = [&](StoreTier tier) {
        const qint64 r = retentionOf(tier, options);
        return r <= 0 || request.fromTs >= newestTs - r;
    };
    for (StoreTier tier : {StoreTier::Hour, StoreTier::Minute}) {
        if (span / tierResolutionMs(tier) >= request.maxPoints && retains(tier))
            return tier;
    }
    for (StoreTier tier : {StoreTier::Raw, StoreTier::Minute})
        if (retains(tier))
            return tier;
    return StoreTier::Hour;
}

QStringList StoreReader::hosts()
{
    QStringList out = m_buffer->hosts();
    QString error;
    if (ensureConnected(&error)) {
        QSqlQuery q(m_db);
        if (q.exec(u"SELECT name FROM hosts h WHERE EXISTS "
                   "(SELECT 1 FROM series s WHERE s.host_id = h.id)"_s)) {
            while (q.next())
                out.append(q.value(0).toString());
        } else {
            m_connected = false;
        }
    }
    out.sort();
    out.removeDuplicates();
    return out;
}

HistoryResult StoreReader::run(const HistoryRequest &request)
{
    HistoryResult result;
    result.fromTs = request.fromTs;
    result.toTs = request.toTs;
    if (request.maxPoints < 1 || request.maxPoints > 10000) {
        result.error = u"maxPoints must be between 1 and 10000, not %1"_s.arg(request.maxPoints);
        return result;
    }
    if (request.toTs < request.fromTs) {
        result.error =
            u"the range ends (%1) before it starts (%2)"_s.arg(request.toTs).arg(request.fromTs);
        return result;
    }
    const QString host = request.host.isEmpty() ? m_buffer->defaultHost() : request.host;

    // Series of the host: the database's and those only in memory so far.
    QHash<QString, qint64> metricIds;
    qint64 hostId = -1;
    QString error;
    const bool db = ensureConnected(&error);
    if (db) {
        QSqlQuery q(m_db);
        q.prepare(u"SELECT h.id, m.name, m.id FROM series s JOIN hosts h ON h.id = s.host_id "
                  "JOIN metrics m ON m.id = s.metric_id WHERE h.name = ?"_s);
        q.addBindValue(host);
        if (!q.exec()) {
            m_connected = false;
            result.error = u"history query failed: %1"_s.arg(q.lastError().text());
            return result;
        }
        while (q.next()) {
            hostId = q.value(0).toLongLong();
            metricIds.insert(q.value(1).toString(), q.value(2).toLongLong());
        }
    }
    QStringList ids = metricIds.keys();
    ids += m_buffer->metricsOf(host);
    ids.sort();
    ids.removeDuplicates();
    if (!request.patterns.isEmpty()) {
        QStringList kept;
        for (const QString &id : std::as_const(ids)) {
            for (const QString &p : request.patterns) {
                if (metricIdMatches(p, id)) {
                    kept.append(id);
                    break;
                }
            }
        }
        ids = kept;
    }

    // Retention is measured from the newest data, not the wall clock, so
    // a replayed or restored history answers like a live one.
    qint64 newest = m_buffer->newestTs();
    if (db) {
        QSqlQuery q(m_db);
        if (q.exec(u"SELECT MAX(end_ts) FROM blocks WHERE tier = 0"_s) && q.next() &&
            !q.value(0).isNull())
            newest = std::max(newest, q.value(0).toLongLong());
    }
    if (newest <= 0)
        newest = QDateTime::currentMSecsSinceEpoch();
    const StoreTier tier = chooseTier(request, m_options, newest);
    result.tier = tier;
    const int columns = tier == StoreTier::Raw ? 1 : 3;
    // Raw times are stored rounded to the nearest TimeResolutionMs (or kept
    // exact when two samples share a step): widen the bounds by the same
    // rounding, so every sample whose exact time is in [from, to] is found.
    qint64 fromTs = request.fromTs;
    qint64 toTs = request.toTs;
    if (tier == StoreTier::Raw) {
        fromTs = std::min(fromTs, StoreBuffer::roundRawTs(fromTs));
        toTs = std::max(toTs, StoreBuffer::roundRawTs(toTs));
    }

    QSqlQuery blocks(m_db);
    if (db) {
        blocks.prepare(u"SELECT start_ts, data FROM blocks WHERE host_id = ? AND metric_id = ? "
                       "AND tier = ? AND start_ts >= ? AND start_ts <= ? AND end_ts >= ? "
                       "ORDER BY start_ts"_s);
        blocks.setForwardOnly(true);
    }
    for (const QString &id : std::as_const(ids))
        result.series.append(HistorySeries{id, {}, {}, {}});

    // Buckets of whole tier resolutions, so an aggregate point never
    // straddles two buckets.
    const qint64 res = tierResolutionMs(tier);
    qint64 origin = request.fromTs;
    if (res > 0)
        origin -= ((origin % res) + res) % res;
    const qint64 width = request.toTs - origin + 1;
    qint64 step = (width + request.maxPoints - 1) / request.maxPoints;
    if (res > 0)
        step = ((step + res - 1) / res) * res;
    step = std::max<qint64>(step, 1);
    const qsizetype buckets = qsizetype((request.toTs - origin) / step + 1);
    QList<double> sum(buckets);
    QList<qint64> n(buckets);
    const auto bucket = [&](qsizetype s, const Points &p) {
        HistorySeries &out = result.series[s];
        out.avg = QList<double>(buckets, qQNaN());
        out.min = QList<double>(buckets, qQNaN());
        out.max = QList<double>(buckets, qQNaN());
        double *mins = out.min.data();
        double *maxs = out.max.data();
        double *avgs = out.avg.data();
        double *sums = sum.data();
        qint64 *counts = n.data();
        std::fill(sums, sums + buckets, 0.0);
        std::fill(counts, counts + buckets, 0);
        const qint64 *ts = p.ts.constData();
        for (qsizetype i = 0; i < p.ts.size(); ++i) {
            qsizetype b = qsizetype((ts[i] - origin) / step);
            if (tier == StoreTier::Raw) // a rounded time just outside the range
                b = std::clamp<qsizetype>(b, 0, buckets - 1);
            if (b < 0 || b >= buckets)
                continue;
            const double *v = p.values.constData() + i * p.columns;
            const double lo = v[0];
            const double hi = p.columns == 3 ? v[1] : v[0];
            const double avg = p.columns == 3 ? v[2] : v[0];
            if (counts[b] == 0) {
                mins[b] = lo;
                maxs[b] = hi;
            } else {
                mins[b] = std::min(mins[b], lo);
                maxs[b] = std::max(maxs[b], hi);
            }
            sums[b] += avg;
            ++counts[b];
        }
        for (qsizetype b = 0; b < buckets; ++b) {
            if (counts[b] > 0)
                avgs[b] = sums[b] / double(counts[b]);
        }
    };

    // Raw samples are answered as they are while every series fits in
    // maxPoints. Once one does not, each series is bucketed as soon as it
    // is read and its points dropped: a request then holds one series'
    // points, not all of them (every metric over 24 h raw held 136 MiB
    // at its peak, bench/history-worst).
    bool rawFits = tier == StoreTier::Raw;
    QList<Points> kept;
    for (qsizetype s = 0; s < ids.size(); ++s) {
        const QString &id = ids.at(s);
        Points p;
        p.columns = columns;
        const MemoryPoints memory = m_buffer->memoryPoints(host, id, tier, fromTs, toTs);
        const QSet<qint64> inMemory(memory.blockStarts.cbegin(), memory.blockStarts.cend());
        DecodedBlock decoded;
        QString decodeError;
        const qint64 metricId = metricIds.value(id, -1);
        if (db && hostId >= 0 && metricId >= 0) {
            blocks.bindValue(0, hostId);
            blocks.bindValue(1, metricId);
            blocks.bindValue(2, int(tier));
            blocks.bindValue(3, fromTs - maxBlockSpanMs(tier));
            blocks.bindValue(4, toTs);
            blocks.bindValue(5, fromTs);
            if (!blocks.exec()) {
                m_connected = false;
                result.error = u"history query failed: %1"_s.arg(blocks.lastError().text());
                return result;
            }
            while (blocks.next()) {
                if (inMemory.contains(blocks.value(0).toLongLong()))
                    continue; // memory holds a newer version of this block
                const QByteArray data = blocks.value(1).toByteArray();
                if (!decodeBlock(data, &decoded, &decodeError)) {
                    qWarning("history store: skipping a bad block of %s: %s", qPrintable(id),
                             qPrintable(decodeError));
                    continue;
                }
                addDecoded(decoded, fromTs, toTs, &p);
            }
            blocks.finish();
        }
        for (const QByteArray &data : memory.blocks) {
            if (decodeBlock(data, &decoded, &decodeError))
                addDecoded(decoded, fromTs, toTs, &p);
        }
        if (memory.hasPartial) {
            p.ts.append(memory.partialTs);
            for (int c = 0; c < 3; ++c)
                p.values.append(memory.partial[c]);
        }
        normalise(&p);
        if (rawFits && p.ts.size() <= request.maxPoints) {
            kept.append(std::move(p));
            continue;
        }
        if (rawFits) {
            rawFits = false;
            for (qsizetype k = 0; k < kept.size(); ++k)
                bucket(k, kept.at(k));
            kept.clear();
        }
        bucket(s, p);
    }

    if (rawFits) {
        QList<qint64> axis;
        for (const Points &p : std::as_const(kept))
            axis += p.ts;
        std::sort(axis.begin(), axis.end());
        axis.erase(std::unique(axis.begin(), axis.end()), axis.end());
        if (axis.size() <= request.maxPoints) {
            result.ts = axis;
            for (qsizetype s = 0; s < kept.size(); ++s) {
                const Points &p = kept.at(s);
                QList<double> v(axis.size(), qQNaN());
                qsizetype j = 0;
                for (qsizetype i = 0; i < p.ts.size(); ++i) {
                    while (axis.at(j) < p.ts.at(i))
                        ++j;
                    v[j] = p.values.at(i);
                }
                HistorySeries &out = result.series[s];
                out.avg = v;
                out.min = v;
                out.max = std::move(v);
            }
            result.ok = true;
            return result;
        }
        for (qsizetype k = 0; k < kept.size(); ++k)
            bucket(k, kept.at(k));
    }
    result.stepMs = step;
    result.ts.resize(buckets);
    for (qsizetype b = 0; b < buckets; ++b)
        result.ts[b] = origin + b * step;
    result.ok = true;
    return result;
}

} // namespace tidewatch::store
