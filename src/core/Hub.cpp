// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hub.h"

#include <QtNumeric>

#include <algorithm>

namespace tidewatch {

// A ring of (ts, value) points that forgets by age. It grows by doubling
// until it holds `historyMs` worth of points at the current cadence, so a
// 1 Hz sampler never pays for the memory a 10 Hz one would need.
class Hub::Series final
{
public:
    void append(HistoryPoint p, qint64 historyMs)
    {
        // Forget by age first, so the ring only grows when it must.
        const qint64 oldest = p.ts - historyMs;
        while (m_count > 0 && at(0).ts < oldest) {
            m_head = (m_head + 1) % m_buf.size();
            --m_count;
        }
        if (m_count == m_buf.size())
            grow();
        m_buf[(m_head + m_count) % m_buf.size()] = p;
        ++m_count;
    }

    const HistoryPoint &at(qsizetype i) const { return m_buf[(m_head + i) % m_buf.size()]; }
    qsizetype count() const { return m_count; }

private:
    void grow()
    {
        QList<HistoryPoint> bigger(std::max<qsizetype>(16, m_buf.size() * 2));
        for (qsizetype i = 0; i < m_count; ++i)
            bigger[i] = at(i);
        m_buf = std::move(bigger);
        m_head = 0;
    }

    QList<HistoryPoint> m_buf;
    qsizetype m_head = 0;
    qsizetype m_count = 0;
};

Hub::Hub(qint64 historyMs, QObject *parent)
    : QObject(parent)
    , m_historyMs(std::max<qint64>(0, historyMs))
{
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
            s = new Series;
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
