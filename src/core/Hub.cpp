// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hub.h"

#include "Sampler.h"

#include <QtNumeric>

#include <algorithm>
#include <bit>

namespace tidewatch {

// The values of one metric, one slot per row of the hub's ring. A row the
// metric was missing from (it left the catalog for a while) holds Absent, a
// NaN payload that no stored value can carry: NaNs are stored canonical.
class Hub::Series final
{
public:
    explicit Series(qsizetype capacity)
        : m_values(capacity, absent())
    {}

    /// Stores `value` at `row`; rows skipped since the last one are marked
    /// absent, so an old value never shows through a slot that was not written.
    void write(qint64 row, double value)
    {
        const qint64 capacity = m_values.size();
        if (m_last < 0)
            m_first = row;
        else
            for (qint64 r = std::max(m_last + 1, row - capacity + 1); r < row; ++r)
                m_values[r % capacity] = absent();
        m_values[row % capacity] = qIsNaN(value) ? qQNaN() : value;
        m_last = row;
    }

    bool has(qint64 row) const
    {
        return row >= m_first && row <= m_last && !isAbsent(m_values.at(row % m_values.size()));
    }
    double value(qint64 row) const { return m_values.at(row % m_values.size()); }
    qint64 firstRow() const { return m_first; }
    qint64 lastRow() const { return m_last; } ///< -1 before the first write

    /// Moves rows [from, to] into a ring of `capacity` slots.
    void resize(qsizetype capacity, qint64 from, qint64 to)
    {
        QList<double> resized(capacity, absent());
        for (qint64 r = from; r <= to; ++r) {
            if (has(r))
                resized[r % capacity] = value(r);
        }
        m_values = std::move(resized);
    }

private:
    static constexpr quint64 AbsentBits = 0x7ff8'0000'dead'0001ULL;
    static double absent() { return std::bit_cast<double>(AbsentBits); }
    static bool isAbsent(double v) { return std::bit_cast<quint64>(v) == AbsentBits; }

    QList<double> m_values;
    qint64 m_first = 0;
    qint64 m_last = -1;
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
    , m_rowTs(m_capacity, 0)
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
    const qsizetype capacity = capacityFor(m_historyMs, m_intervalMs);
    if (capacity == m_capacity)
        return;
    // Keep the newest rows that fit; row numbers stay, slots move.
    const qint64 last = m_nextRow - 1;
    const qint64 first = std::max(m_firstRow, m_nextRow - capacity);
    QList<qint64> moved(capacity, 0);
    for (qint64 r = first; r <= last; ++r)
        moved[r % capacity] = rowTs(r);
    for (Series *s : std::as_const(m_series))
        s->resize(capacity, first, last);
    m_rowTs = std::move(moved);
    m_capacity = capacity;
    m_firstRow = std::max<qint64>(first, 0);
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
        const qint64 row = m_nextRow++;
        m_rowTs[row % m_capacity] = snapshot->ts;
        const qint64 oldest = snapshot->ts - m_historyMs;
        m_firstRow = std::max(m_firstRow, row - m_capacity + 1);
        while (m_firstRow < row && rowTs(m_firstRow) < oldest)
            ++m_firstRow;
        const qsizetype n = std::min(snapshot->values.size(), m_seriesByIndex.size());
        for (qsizetype i = 0; i < n; ++i) {
            if (Series *s = m_seriesByIndex.at(i))
                s->write(row, snapshot->values.at(i));
        }
    }
    m_latest = snapshot;
    if (catalogChangedNow)
        Q_EMIT catalogChanged(snapshot->catalog);
    Q_EMIT snapshotPublished(snapshot);
}

qint64 Hub::firstValueRow(const Series &s, qint64 from) const
{
    qint64 r = std::max({from, m_firstRow, s.firstRow()});
    while (r <= s.lastRow() && !s.has(r))
        ++r;
    return r <= s.lastRow() ? r : std::numeric_limits<qint64>::max();
}

QList<HistoryPoint> Hub::history(const QString &id, qint64 fromTs, qint64 toTs) const
{
    QList<HistoryPoint> out;
    const Series *s = m_series.value(id);
    if (!s)
        return out;
    // Rows are in time order: binary search for the first one in range.
    qint64 lo = std::max(m_firstRow, s->firstRow());
    qint64 hi = s->lastRow() + 1;
    while (lo < hi) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (rowTs(mid) < fromTs)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (qint64 r = lo; r <= s->lastRow() && rowTs(r) <= toTs; ++r) {
        if (s->has(r))
            out.append({rowTs(r), s->value(r)});
    }
    return out;
}

qint64 Hub::oldestTs() const
{
    qint64 row = std::numeric_limits<qint64>::max();
    for (const Series *s : m_series)
        row = std::min(row, firstValueRow(*s, 0));
    return row < m_nextRow ? rowTs(row) : 0;
}

QStringList Hub::historyIds() const
{
    return m_order;
}

qsizetype Hub::historyPointCount() const
{
    qsizetype n = 0;
    for (const Series *s : m_series) {
        for (qint64 r = firstValueRow(*s, 0); r <= s->lastRow(); ++r)
            n += s->has(r) ? 1 : 0;
    }
    return n;
}

} // namespace tidewatch
