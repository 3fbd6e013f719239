// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Snapshot.h"

#include <QHash>
#include <QObject>

#include <limits>

namespace tidewatch {

class Sampler;

struct HistoryPoint
{
    qint64 ts = 0; ///< ms since the epoch
    double value = 0.0;
};

/// The single place snapshots meet. Keeps the last `historyMs` of every
/// gauge and rate in memory (counters are not charted, so not kept) and
/// fans each snapshot out to every consumer. Lives in the thread of its
/// consumers (the main thread); the sampler reaches it by queued signal.
///
/// Memory is bounded: every snapshot is one row of a ring sized for
/// `historyMs` at the sample interval, capped at MaxPointsPerSeries, so a long
/// run stops growing once the window is full (chunk buffers are reused) and a
/// fast interval shortens the window instead of eating memory. A row's
/// timestamp is held once for all series, which keep only their values,
/// compactly: each series is a ring of chunks of 64 rows of varint deltas,
/// a run of one value taking a repeat code (1.0-1.5 bytes a point for a real
/// metric set, about 3 when every series moves every sample, instead of 8;
/// docs/performance.md).
///
/// Values are rounded as the history store rounds them: to
/// historyDecimals(unit) decimals (2 for %, /s, °C; 0 for B, B/s, Hz; 3
/// otherwise), so memory and store answers agree. A value that already has
/// that many decimals comes back as the same double; a non-zero value
/// smaller than half the last decimal comes back as 0 (never -0). NaN, +inf
/// and -inf are kept as such, and a value too large to round safely
/// (|v * 10^d| >= 4e15, e.g. 1e300 or 2^60) is kept exactly, as its 8 raw
/// bytes.
class Hub final : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype MaxPointsPerSeries = 7200;

    explicit Hub(qint64 historyMs = 10 * 60 * 1000, QObject *parent = nullptr);
    ~Hub() override;

    /// Points each series holds: historyMs / interval (+1), at most
    /// MaxPointsPerSeries.
    qsizetype capacityPerSeries() const { return m_capacity; }
    int sampleIntervalMs() const { return m_intervalMs; }

    /// Takes every snapshot of `sampler` and follows its interval.
    void follow(Sampler *sampler);

    SnapshotPtr latest() const { return m_latest; }
    CatalogPtr catalog() const { return m_latest ? m_latest->catalog : CatalogPtr(); }
    qint64 historyMs() const { return m_historyMs; }

    /// Points of `id` with fromTs <= ts <= toTs, oldest first.
    QList<HistoryPoint> history(const QString &id, qint64 fromTs = 0,
                                qint64 toTs = std::numeric_limits<qint64>::max()) const;
    /// Timestamp of the oldest point held in any series; 0 when none.
    qint64 oldestTs() const;
    /// Ids that have history, in catalog order of their first appearance.
    QStringList historyIds() const;
    /// Number of points held over all series (memory accounting, tests).
    qsizetype historyPointCount() const;
    /// Bytes the history takes: every series' chunks (with the room their
    /// buffers reserved) plus the shared timestamp ring.
    qsizetype historyBytes() const;

public Q_SLOTS:
    void publish(const tidewatch::SnapshotPtr &snapshot);
    /// Resizes every ring for the new cadence, keeping the newest points.
    void setSampleIntervalMs(int ms);

Q_SIGNALS:
    void snapshotPublished(const tidewatch::SnapshotPtr &snapshot);
    /// Emitted before snapshotPublished when the metric set changed.
    void catalogChanged(const tidewatch::CatalogPtr &catalog);

private:
    class Series;
    void rebuildIndex(const CatalogPtr &catalog);
    qint64 rowTs(qint64 row) const { return m_rowTs.at(row % m_capacity); }
    /// First row at or after `from` in the window that `s` holds a value
    /// for; the largest qint64 when there is none.
    qint64 firstValueRow(const Series &s, qint64 from) const;

    qint64 m_historyMs;
    int m_intervalMs = 1000;
    qsizetype m_capacity = 0;
    // Rows are numbered from 0 for the life of the hub; row r's timestamp
    // sits in slot r % m_capacity of m_rowTs, its values in every series'
    // chunk r / 64.
    QList<qint64> m_rowTs;
    qint64 m_nextRow = 0;
    qint64 m_firstRow = 0; ///< oldest row still in the window
    SnapshotPtr m_latest;
    CatalogPtr m_indexedCatalog;
    QHash<QString, Series *> m_series; // owned, deleted in the destructor
    QStringList m_order;
    QList<Series *> m_seriesByIndex; // catalog index -> series or nullptr (counters)
};

} // namespace tidewatch
