// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BlockSpool.h"
#include "HistoryStore.h"
#include "StoreBuffer.h"
#include "StoreDatabase.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLockFile>
#include <QMutex>
#include <QObject>
#include <QSqlDatabase>
#include <QTimer>

#include <functional>
#include <memory>

namespace tidewatch::store {

/// The store's writer: lives on its own thread with its own connection,
/// writes the buffer's blocks in one transaction per flush, prunes expired
/// blocks a few at a time, and retries with backoff when writing fails.
class StoreWriter final : public QObject
{
public:
    using StatusSink = std::function<void(const StoreStatus &)>;

    StoreWriter(StoreLocation location, StoreOptions options, std::shared_ptr<StoreBuffer> buffer,
                StatusSink statusSink);
    ~StoreWriter() override;

    // All of these run on the writer thread.
    /// Opens the connection and starts the flush timer. `unreachable`: why
    /// open() could not reach PostgreSQL just now; the writer then starts
    /// degraded and retries after the first backoff instead of waiting for a
    /// second connect timeout.
    void start(const QString &unreachable = QString());
    void flushNow(); ///< one write attempt now, ignoring the backoff
    void shutdown(); ///< a last write, then closes the connection

    StoreStatus status() const; ///< any thread

    /// Most blocks written in one transaction; a backlog drains over flushes.
    static constexpr int MaxBatchBlocks = 4000;
    /// Expired blocks deleted per tier per flush: pruning never holds the
    /// write lock for long, and catches up over the following flushes.
    static constexpr int PruneBatchBlocks = 200;
    /// The spool file's cap while PostgreSQL is away: at ~1 KB per raw block
    /// of 600 points, about 150 million samples, some days of a large host.
    static constexpr qint64 SpoolFileBytes = 256LL * 1024 * 1024;
    /// AppDataLocation/spool-<hash of url without password and host>.sqlite
    static QString defaultSpoolPath(const QString &url, const QString &host);

private:
    bool connect();
    void disconnect();
    void tick();
    bool writeBatch(const QList<PendingBlock> &batch, QString *error);
    bool ensureSeries(QString *error);
    qint64 hostId(const QString &host, QString *error);
    qint64 metricId(const QString &metric, const QString &unit, const QString &kind,
                    QString *error);
    bool prune(QString *error); ///< false: a statement failed (why in `error`)
    bool drainSpool(QString *error);
    void spoolPending();
    void openSpool();
    void openSpoolFile(); ///< once: at the first spill, or at start if the file exists
    void setState(StoreStatus::State state, const QString &message);
    void setSpoolProblem(const QString &problem);
    QString composeMessage(StoreStatus::State state,
                           const QString &message) const; ///< under m_statusMutex
    void publishStatus();

    StoreLocation m_location;
    StoreOptions m_options;
    std::shared_ptr<StoreBuffer> m_buffer;
    StatusSink m_statusSink;
    QString m_connectionName;
    QSqlDatabase m_db;
    bool m_connected = false;
    QTimer *m_timer = nullptr; // child, created on the writer thread
    QHash<QString, qint64> m_hostIds;
    QHash<QString, qint64> m_metricIds;
    int m_failures = 0;
    QElapsedTimer m_sinceFailure;
    // Declared before m_spool, so it outlives it: held while the spool file is used.
    std::unique_ptr<QLockFile> m_spoolLock;
    std::unique_ptr<BlockSpool> m_spool; // PostgreSQL only; writer thread only
    bool m_spoolFileTried = false;
    qint64 m_spooledBlocks = 0; // copies for status(), under m_statusMutex
    qint64 m_spoolDropped = 0;

    mutable QMutex m_statusMutex;
    StoreStatus m_status;
    QString m_stateMessage; ///< m_status.message without the spool's problem
    QString m_spoolProblem; ///< why the spool file cannot be used; empty when it can
};

} // namespace tidewatch::store
