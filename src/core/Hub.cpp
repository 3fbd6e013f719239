// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hub.h"

#include "Sampler.h"

#include <QtNumeric>

#include <algorithm>

namespace tidewatch {

// A fixed-capacity ring of (ts, value) points that also forgets by age.
class Hub::Series final
{
public:
    explicit Series(qsizetype capacity)
        : m_buf(std::max<qsizetype>(1, capacity))
    {}

    void append(HistoryPoint p, qint64 historyMs)
    {
        const qint64 oldest = p.ts - historyMs;
        while (m_count > 0 && at(0).ts < oldest)
            dropOldest();
        if (m_count == m_buf.size())
            dropOldest();
        m_buf[(m_head + m_count) % m_buf.size()] = p;
        ++m_count;
    }

    const HistoryPoint &at(qsizetype i) const { return m_buf[(m_head + i) % m_buf.size()]; }
    qsizetype count() const { return m_count; }

    void resize(qsizetype capacity)
    {
        capacity = std::max<qsizetype>(1, capacity);
        if (capacity == m_buf.size())
            return;
        QList<HistoryPoint> resized(capacity);
        const qsizetype keep = std::min(m_count, capacity);
        for (qsizetype i = 0; i < keep; ++i)
            resized[i] = at(m_count - keep + i);
        m_buf = std::move(resized);
        m_head = 0;
        m_count = keep;
    }

private:
    void dropOldest()
    {
        m_head = (m_head + 1) % m_buf.size();
        --m_count;
    }

    QList<HistoryPoint> m_buf;
    qsizetype m_head = 0;
    qsizetype m_count = 0;
};

namespace {
qsizetype capacityFor(qint64 historyMs, int intervalMs)
{
    const qint64 points = historyMs / std::max(1, intervalMs) + 1;
    return qsizetype(std::clamp<qint64>(points, 1, Hub::MaxPointsPerSeries));
}
} // namespace

Hub::Hub(qint64 historyMs, QObject *parent)
    : QObject(parent)
    , m_historyMs(std::max<qint64>(0, historyMs))
    , m_capacity(capacityFor(m_historyMs, m_intervalMs))
{}

void Hub::follow(Sampler *sampler)
{
    connect(sampler, &Sampler::snapshotReady, this, &Hub::publish);
    connect(sampler, &Sampler::intervalChanged, this, &Hub::setSampleIntervalMs);
    setSampleIntervalMs(sampler->intervalMs());
}

void Hub::setSampleIntervalMs(int ms)
{
    ms = std::max(1, ms);
    if (ms == m_intervalMs)
        return;
    m_intervalMs = ms;
    m_capacity = capacityFor(m_historyMs, m_intervalMs);
    for (Series *s : std::as_const(m_series))
        s->resize(m_capacity);
}

Hub::~Hub()
{
    qDeleteAll(m_series);
}

void Hub::rebuildIndex(const CatalogPtr &catalog)
{
    m_seriesByIndex.clear();
    if (!catalog)
        return;
    m_seriesByIndex.resize(catalog->size(), nullptr);
    for (qsizetype i = 0; i < catalog->size(); ++i) {
        const MetricInfo &info = catalog->at(i);
        if (info.kind == MetricKind::Counter)
            continue;
        Series *&s = m_series[info.id];
        if (!s) {
            s = new Series(m_capacity);
            m_order.append(info.id);
        }
        m_seriesByIndex[i] = s;
    }
    m_indexedCatalog = catalog;
}

void Hub::publish(const SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    const bool catalogChangedNow = snapshot->catalog != m_indexedCatalog;
    if (catalogChangedNow)
        rebuildIndex(snapshot->catalog);

    if (m_historyMs > 0) {
        const qsizetype n = std::min(snapshot->values.size(), m_seriesByIndex.size());
        for (qsizetype i = 0; i < n; ++i) {
            if (Series *s = m_seriesByIndex.at(i))
                s->append({snapshot->ts, snapshot->values.at(i)}, m_historyMs);
        }
    }
    m_latest = snapshot;
    if (catalogChangedNow)
        Q_EMIT catalogChanged(snapshot->catalog);
    Q_EMIT snapshotPublished(snapshot);
}

QList<HistoryPoint> Hub::history(const QString &id, qint64 fromTs, qint64 toTs) const
{
    QList<HistoryPoint> out;
    const Series *s = m_series.value(id);
    if (!s)
        return out;
    // Points are in time order: binary search for the first one in range.
    qsizetype lo = 0, hi = s->count();
    while (lo < hi) {
        const qsizetype mid = (lo + hi) / 2;
        if (s->at(mid).ts < fromTs)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (qsizetype i = lo; i < s->count() && s->at(i).ts <= toTs; ++i)
        out.append(s->at(i));
    return out;
}

qint64 Hub::oldestTs() const
{
    qint64 oldest = 0;
    for (const Series *series : m_series) {
        if (series->count() > 0 && (oldest == 0 || series->at(0).ts < oldest))
            oldest = series->at(0).ts;
    }
    return oldest;
}

QStringList Hub::historyIds() const
{
    return m_order;
}

qsizetype Hub::historyPointCount() const
{
    qsizetype n = 0;
    for (const Series *s : m_series)
        n += s->count();
    return n;
}

} // namespace tidewatch
