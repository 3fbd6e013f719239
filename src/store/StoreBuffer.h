// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BlockCodec.h"
#include "Snapshot.h"
#include "StoredBlock.h"

#include <QHash>
#include <QMutex>

#include <array>

namespace tidewatch::store {

/// (host, metric, tier, startTs): the identity of a block.
struct BlockKey
{
    QString host;
    QString metric;
    StoreTier tier = StoreTier::Raw;
    qint64 startTs = 0;
    friend bool operator==(const BlockKey &, const BlockKey &) = default;
};
size_t qHash(const BlockKey &key, size_t seed = 0);

/// A block waiting to be written, with a version so the writer removes it
/// only if nobody replaced it while the write was running.
struct PendingBlock
{
    StoredBlock block;
    quint64 version = 0;
    bool sealed = false; ///< no newer version will follow
};

/// What the reader takes from memory for one series and tier.
struct MemoryPoints
{
    QList<QByteArray> blocks; ///< pending and open blocks, oldest first by start
    QList<qint64> blockStarts;
    bool hasPartial = false; ///< an aggregate bucket still filling
    qint64 partialTs = 0;
    double partial[3] = {}; ///< min, max, avg
};

struct SeriesMeta
{
    QString host, metric, unit, kind;
};

/// The store's memory: the open block of every series and tier, the
/// aggregate buckets still filling, and the blocks not yet written. Shared
/// by append() (any thread), the writer and the reader, under one mutex that
/// is never held across disk or network I/O.
class StoreBuffer final
{
public:
    /// Raw blocks are sealed at this many points (see docs/store.md for the
    /// measurements behind it), aggregate blocks at theirs.
    static constexpr int RawBlockPoints = 600;
    static constexpr int MinuteBlockPoints = 240;
    static constexpr int HourBlockPoints = 168;

    /// Raw timestamps are kept to this resolution: the sampler's lateness
    /// behind its grid (0-50 ms under load) would otherwise cost more than
    /// a byte per sample, for detail no history view can show.
    static constexpr qint64 TimeResolutionMs = 100;
    /// A raw time as stored: rounded to the nearest TimeResolutionMs.
    static qint64 roundRawTs(qint64 exactTs);

    StoreBuffer(QString defaultHost, qint64 memoryCapBytes);

    void append(const Snapshot &snapshot);

    /// Writer: snapshots dirty open blocks into the pending set and returns
    /// every pending block (oldest first).
    QList<PendingBlock> takeBatch(int maxBlocks);
    /// Writer: these were written; drop the ones nobody replaced since.
    void markWritten(const QList<PendingBlock> &written, qint64 wallMs);
    /// Writer: the series metadata to make sure exists in the database.
    QList<SeriesMeta> newSeries();
    void markSeriesKnown(const QList<SeriesMeta> &series);

    /// Reader.
    MemoryPoints memoryPoints(const QString &host, const QString &metric, StoreTier tier,
                              qint64 fromTs, qint64 toTs) const;
    QStringList metricsOf(const QString &host) const;
    QStringList hosts() const;

    qint64 newestTs() const;
    qint64 pendingBytes() const;
    qint64 pendingBlocks() const;
    /// Drops the oldest sealed blocks until pending fits `capBytes`;
    /// returns the raw points lost (also added to dropped()).
    qint64 trimTo(qint64 capBytes);
    /// Snapshots dirty open blocks, then removes and returns every pending
    /// block (for the spool while PostgreSQL is away).
    QList<PendingBlock> takePending();
    /// Raw blocks whose written points are remembered (open blocks): for tests.
    qsizetype writtenCountEntries() const;

    qint64 appendedPoints() const;
    qint64 writtenPoints() const;
    qint64 droppedPoints() const;
    qint64 trimmedPoints() const; ///< the part of droppedPoints() that had been appended
    qint64 lastWriteWallMs() const;
    const QString &defaultHost() const { return m_defaultHost; }

private:
    struct Aggregate
    {
        qint64 bucket = 0;
        double min = 0, max = 0, sum = 0;
        qint64 n = 0;
    };
    struct Series
    {
        QString host, metric, unit, kind;
        int decimals = 3;
        std::array<BlockEncoder, 3> open{BlockEncoder(1), BlockEncoder(3), BlockEncoder(3)};
        std::array<bool, 3> dirty{};
        std::array<Aggregate, 2> agg{};
        bool known = false; ///< the writer has its host/metric rows
    };

    void appendPoint(Series &s, qint64 ts, double v);
    void appendAggregate(Series &s, StoreTier tier, qint64 bucket, const double *mmv);
    void seal(Series &s, StoreTier tier);
    void putPending(Series &s, StoreTier tier, bool sealed);
    void snapshotDirtyLocked();
    qint64 trimLocked(qint64 capBytes);
    int seriesIndex(const QString &host, const MetricInfo &info);

    mutable QMutex m_mutex;
    QString m_defaultHost;
    qint64 m_memoryCap;
    QList<Series> m_series;
    QHash<QString, int> m_seriesIndex; // host + '\n' + metric
    // The mapping of the last catalog, so a steady feed looks up no strings.
    const MetricCatalog *m_lastCatalog = nullptr;
    QString m_lastHost;
    QList<int> m_lastMap;

    QHash<BlockKey, PendingBlock> m_pending;
    qint64 m_pendingBytes = 0;
    quint64 m_nextVersion = 1;
    QHash<BlockKey, int> m_writtenCount; // raw points of open blocks already written
    qint64 m_newestTs = 0;
    qint64 m_appended = 0, m_written = 0, m_dropped = 0, m_trimmed = 0;
    qint64 m_lastWriteWallMs = 0;
    bool m_newSeries = false;
};

} // namespace tidewatch::store
