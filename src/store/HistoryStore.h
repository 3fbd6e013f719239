// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HistorySource.h"
#include "Snapshot.h"
#include "StoredBlock.h"

#include <QMetaType>
#include <QObject>
#include <QStringList>
#include <QThread>

#include <functional>
#include <memory>

namespace tidewatch {

/// Where and how long the history is kept.
struct StoreOptions
{
    /// "" = history.sqlite under QStandardPaths::AppDataLocation; "/path/file.sqlite",
    /// "sqlite:/path", "sqlite:///path", "postgresql://user:pass@host:port/db".
    QString url;
    QString host; ///< the host of snapshots that carry none, and the default of queries
    qint64 rawRetentionMs = 24LL * 3600 * 1000;
    qint64 minuteRetentionMs = 30LL * 24 * 3600 * 1000;
    qint64 hourRetentionMs = 730LL * 24 * 3600 * 1000;
    int flushIntervalMs = 5000; ///< open blocks are (re)written at most this often
    /// Blocks waiting to be written held in memory at most; beyond it the
    /// oldest go to the spool file (PostgreSQL) or are dropped and counted.
    qint64 spoolMemoryBytes = 8LL * 1024 * 1024;
    QString spoolPath; ///< "" = AppDataLocation/spool-<hash>.sqlite, one per url (without
                       ///< password) and host (PostgreSQL only); locked by one process

    /// Parses and validates `url`; on success sets out->url. One-line error otherwise.
    static bool fromUrl(const QString &url, StoreOptions *out, QString *error);
};

namespace store {
class StoreBuffer;
class StoreWriter;
class StoreReader;
} // namespace store

/// Keeps every gauge and rate of the snapshots it is given, in compressed
/// blocks per metric in SQLite (default) or PostgreSQL, in three tiers
/// (raw, per-minute, per-hour) with a retention each. Appending only encodes
/// into memory; a writer thread writes in batches and a reader thread
/// answers queries, each with its own connection, so no caller ever waits
/// on disk or network.
class HistoryStore final : public QObject, public HistorySource
{
    Q_OBJECT
public:
    explicit HistoryStore(StoreOptions options, QObject *parent = nullptr);
    ~HistoryStore() override; ///< writes what it has, stops its threads

    /// Synchronous. SQLite: false and an error naming the file when it is
    /// corrupt, foreign or unwritable; such a file is never modified.
    /// PostgreSQL unreachable is not an error: state Degraded, retried.
    bool open(QString *error);
    bool isOpen() const { return m_open; }

    /// Any thread; encodes into memory only.
    void append(const SnapshotPtr &snapshot);
    /// Asks the writer to write now.
    void flush();
    /// Writes now and waits until the writer is done (tests, shutdown, bench).
    void flushSync();

    /// Runs on the reader thread; `done` runs in `context`'s thread.
    void query(const HistoryRequest &request, QObject *context,
               std::function<void(const HistoryResult &)> done) override;
    HistoryResult querySync(const HistoryRequest &request);

    StoreStatus status() const override;
    QStringList hosts() const; ///< hosts with data

    const StoreOptions &options() const { return m_options; }

Q_SIGNALS:
    void statusChanged(const tidewatch::StoreStatus &status);

private:
    void close();
    /// The reader, its thread started if this is the first query.
    store::StoreReader *startedReader() const;

    StoreOptions m_options;
    bool m_open = false;
    std::shared_ptr<store::StoreBuffer> m_buffer;
    QThread m_writerThread;
    mutable QThread m_readerThread;               ///< started by the first query (startedReader)
    std::unique_ptr<store::StoreWriter> m_writer; // lives in m_writerThread
    std::unique_ptr<store::StoreReader> m_reader; // lives in m_readerThread
};

} // namespace tidewatch
