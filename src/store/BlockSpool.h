// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoredBlock.h"

#include <QHash>
#include <QList>
#include <QString>

#include <map>

namespace tidewatch {

/// A bounded FIFO of blocks waiting for a PostgreSQL server that is away.
///
/// Blocks are kept in memory up to `memoryCapBytes`; over that, the oldest move
/// to a SQLite spool file; over `fileCapBytes` in the file, the oldest are
/// dropped and their points counted in droppedPoints(). The file survives a
/// restart: open() loads it, and its blocks come out of peek() first.
///
/// Every block has a position, given when its key (StoredBlock::sameKey) first
/// arrives. A block pushed again with a key already spooled replaces the
/// spooled version *in place*: the position stays, so the FIFO stays ordered by
/// the age of the data (an open block that is rewritten every flush is still as
/// old as its first point, and is dropped with its peers when the file is full).
///
/// peek() and pop() work as a pair: pop(n) removes the first n blocks of the
/// last peek(), except a block that push() replaced since, whose newer version
/// has not been written yet and so stays. Without a peek, pop(n) takes the n
/// oldest.
///
/// Sizes are counted as block payload plus key and a fixed per-block overhead
/// (blockBytes()), not as the SQLite file's size, which adds page slack.
///
/// A corrupt or foreign spool file makes open() fail with an error naming the
/// file; the file is never overwritten or deleted. The spool then works in
/// memory only: over the memory cap the oldest blocks are dropped (counted).
/// A write error on the file (disk full) likewise drops the blocks it could not
/// write, counts them and sets errorString().
///
/// Not thread-safe: it belongs to the store's writer thread, which must also be
/// the thread that calls open() and destroys it (Qt SQL connections are per
/// thread; each spool has its own uniquely named connection).
class BlockSpool final
{
public:
    /// An empty `filePath` (or fileCapBytes <= 0) spools in memory only.
    BlockSpool(QString filePath, qint64 memoryCapBytes, qint64 fileCapBytes);
    /// Moves the blocks still in memory to the file, so the next start replays them.
    ~BlockSpool();
    BlockSpool(const BlockSpool &) = delete;
    BlockSpool &operator=(const BlockSpool &) = delete;

    /// Creates the spool file, or validates and loads an existing one.
    bool open(QString *error);

    /// A block with the same key as one already spooled replaces it (see above).
    void push(const StoredBlockList &blocks);
    /// At most `maxBlocks` blocks, oldest first.
    StoredBlockList peek(int maxBlocks) const;
    /// Removes the first `count` blocks of the last peek() (see above).
    void pop(int count);

    qint64 blockCount() const { return qint64(m_memory.size() + m_file.size()); }
    /// Points of the blocks dropped so far: samples of raw blocks, buckets of aggregate ones.
    qint64 droppedPoints() const { return m_droppedPoints; }
    /// The part of droppedPoints() that were raw samples (what StoreStatus counts).
    qint64 droppedRawPoints() const { return m_droppedRawPoints; }
    qint64 droppedBlocks() const { return m_droppedBlocks; }
    bool isEmpty() const { return m_memory.empty() && m_file.empty(); }

    qint64 memoryBlockCount() const { return qint64(m_memory.size()); }
    qint64 memoryBytes() const { return m_memoryBytes; }
    qint64 fileBlockCount() const { return qint64(m_file.size()); }
    qint64 fileBytes() const { return m_fileBytes; }
    QString filePath() const { return m_filePath; }
    /// The last file error (corrupt file, disk full), empty when none.
    QString errorString() const { return m_error; }

    /// Moves every block in memory to the file now. False when there is no
    /// usable file or the write failed (errorString()).
    bool sync();

    /// What a block counts against the caps.
    static qint64 blockBytes(const StoredBlock &block);

private:
    struct Key
    {
        QString host;
        QString metric;
        int tier = 0;
        qint64 startTs = 0;
        friend bool operator==(const Key &, const Key &) = default;
        friend size_t qHash(const Key &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.host, key.metric, key.tier, key.startTs);
        }
    };
    static Key keyOf(const StoredBlock &block);

    struct MemoryEntry
    {
        StoredBlock block;
        quint64 revision = 0;
    };
    struct FileEntry
    {
        Key key;
        qint64 bytes = 0;
        int points = 0;
        quint64 revision = 0;
        bool raw() const { return key.tier == int(StoreTier::Raw); }
    };

    bool openFile(QString *error);
    bool fileUsable() const { return m_fileOpen; }
    void enforceMemoryCap();
    void enforceFileCap();
    bool spill(const QList<qint64> &positions);
    bool replaceInFile(qint64 pos, const StoredBlock &block, quint64 revision);
    bool deleteFromFile(const QList<qint64> &positions);
    void setError(const QString &error);
    void countDropped(int points, bool raw);

    QString m_filePath;
    qint64 m_memoryCap;
    qint64 m_fileCap;
    QString m_connection;
    bool m_fileOpen = false;

    std::map<qint64, MemoryEntry> m_memory; ///< by position
    std::map<qint64, FileEntry> m_file;     ///< by position; the payload stays on disk
    QHash<Key, qint64> m_positions;         ///< every spooled key, in memory or file
    qint64 m_nextPos = 1;
    quint64 m_nextRevision = 1;
    qint64 m_memoryBytes = 0;
    qint64 m_fileBytes = 0;
    qint64 m_droppedPoints = 0;
    qint64 m_droppedRawPoints = 0;
    qint64 m_droppedBlocks = 0;
    QString m_error;
    mutable QList<std::pair<qint64, quint64>> m_peeked; ///< (position, revision) of the last peek
};

} // namespace tidewatch
