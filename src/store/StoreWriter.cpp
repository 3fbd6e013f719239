// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreWriter.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUrl>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace tidewatch::store {

namespace {

QString oneLine(QString s)
{
    s.replace(u'\n', u' ');
    return s.simplified();
}

} // namespace

StoreWriter::StoreWriter(StoreLocation location, StoreOptions options,
                         std::shared_ptr<StoreBuffer> buffer, StatusSink statusSink)
    : m_location(std::move(location))
    , m_options(std::move(options))
    , m_buffer(std::move(buffer))
    , m_statusSink(std::move(statusSink))
    , m_connectionName(u"tidewatch-store-writer-%1"_s.arg(quintptr(this), 0, 16))
{
    m_status.backend = m_location.backendName();
    m_status.location = m_location.display();
}

StoreWriter::~StoreWriter() = default;

void StoreWriter::start(const QString &unreachable)
{
    m_timer = new QTimer(this);
    m_timer->setInterval(std::max(10, m_options.flushIntervalMs));
    QObject::connect(m_timer, &QTimer::timeout, this, &StoreWriter::tick);
    m_timer->start();
    if (!m_location.isSqlite())
        openSpool();
    if (!unreachable.isEmpty()) {
        ++m_failures;
        m_sinceFailure.restart();
        setState(StoreStatus::State::Degraded, oneLine(unreachable));
    } else if (connect()) {
        setState(StoreStatus::State::Ok, {});
    }
    publishStatus();
}

void StoreWriter::shutdown()
{
    if (m_timer)
        m_timer->stop();
    flushNow();
    if (m_spool) {
        spoolPending(); // what PostgreSQL did not take waits in the spool file
        if (!m_spool->isEmpty())
            openSpoolFile();
        m_spool.reset();
        m_spoolLock.reset(); // after the spool's last write
    }
    disconnect();
}

QString StoreWriter::defaultSpoolPath(const QString &url, const QString &host)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        return {};
    // One spool per database target and host, so two processes (a daemon
    // and a desktop app, or two hosts' stores) never share a file.
    QUrl target(url);
    target.setPassword(QString());
    const QByteArray key = (target.toString() + u'\n' + host).toUtf8();
    const QByteArray hash = QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex();
    return u"%1/spool-%2.sqlite"_s.arg(dir, QString::fromLatin1(hash.left(16)));
}

void StoreWriter::openSpool()
{
    QString path = m_options.spoolPath;
    if (path.isEmpty())
        path = defaultSpoolPath(m_options.url, m_options.host);
    m_spool = std::make_unique<BlockSpool>(path, m_options.spoolMemoryBytes, SpoolFileBytes);
    // The file is created at the first spill only; one a previous run left
    // is opened now, so its blocks are replayed first.
    if (!path.isEmpty() && QFileInfo::exists(path))
        openSpoolFile();
}

void StoreWriter::openSpoolFile()
{
    if (m_spoolFileTried)
        return;
    m_spoolFileTried = true;
    const QString path = m_spool->filePath();
    if (path.isEmpty())
        return;
    // Another live process using the same file would corrupt the queue of
    // both: the first one keeps it, the other spools in memory only.
    m_spoolLock = std::make_unique<QLockFile>(path + u".lock"_s);
    m_spoolLock->setStaleLockTime(0); // only a dead owner makes a lock stale
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!m_spoolLock->tryLock(0)) {
        qint64 pid = 0;
        QString hostName, app;
        m_spoolLock->getLockInfo(&pid, &hostName, &app);
        const QString why =
            m_spoolLock->error() == QLockFile::LockFailedError
                ? u"spool file %1 is in use by another process (pid %2 on %3)"_s.arg(path)
                      .arg(pid)
                      .arg(hostName)
                : u"spool file %1 cannot be locked (%2.lock not writable)"_s.arg(path, path);
        m_spoolLock.reset();
        qWarning("history store: %s", qPrintable(why));
        setSpoolProblem(why);
        return;
    }
    QString error;
    if (!m_spool->open(&error)) { // keeps working in memory; the file is left alone
        qWarning("history store: %s", qPrintable(error));
        setSpoolProblem(error);
    }
}

void StoreWriter::setSpoolProblem(const QString &problem)
{
    QMutexLocker lock(&m_statusMutex);
    m_spoolProblem = oneLine(problem);
    if (m_status.state == StoreStatus::State::Degraded)
        m_status.message = composeMessage(m_status.state, m_stateMessage);
}

QString StoreWriter::composeMessage(StoreStatus::State state, const QString &message) const
{
    // While PostgreSQL is away the spool is what keeps the samples: say when
    // it cannot use its file (/healthz shows this line).
    if (state != StoreStatus::State::Degraded || m_spoolProblem.isEmpty())
        return message;
    return u"%1; %2 (spooling in memory only)"_s.arg(message, m_spoolProblem);
}

void StoreWriter::spoolPending()
{
    const QList<PendingBlock> pending = m_buffer->takePending();
    if (pending.isEmpty())
        return;
    StoredBlockList blocks;
    blocks.reserve(pending.size());
    qint64 bytes = m_spool->memoryBytes();
    for (const PendingBlock &p : pending) {
        blocks.append(p.block);
        bytes += BlockSpool::blockBytes(p.block);
    }
    if (bytes > m_options.spoolMemoryBytes)
        openSpoolFile(); // the first spill
    m_spool->push(blocks);
}

bool StoreWriter::drainSpool(QString *error)
{
    // Oldest first; the keyed upsert makes a block written twice (a crash
    // between write and pop) harmless.
    while (m_spool && !m_spool->isEmpty()) {
        const StoredBlockList blocks = m_spool->peek(MaxBatchBlocks);
        QList<PendingBlock> batch;
        batch.reserve(blocks.size());
        for (const StoredBlock &b : blocks)
            batch.append(PendingBlock{b, 0, false});
        if (!writeBatch(batch, error))
            return false;
        m_spool->pop(int(blocks.size()));
        m_buffer->markWritten(batch, QDateTime::currentMSecsSinceEpoch());
    }
    return true;
}

bool StoreWriter::connect()
{
    if (m_connected)
        return true;
    QString error;
    if (!openConnection(m_location, m_connectionName, &m_db, &error, WriterCacheKiB) ||
        (!m_location.isSqlite() && !prepareSchema(m_db, m_location, &error))) {
        dropConnection(&m_db);
        ++m_failures;
        m_sinceFailure.restart();
        setState(StoreStatus::State::Degraded, oneLine(error));
        return false;
    }
    m_connected = true;
    return true;
}

void StoreWriter::disconnect()
{
    if (!m_db.connectionName().isEmpty() || m_db.isValid())
        dropConnection(&m_db);
    m_connected = false;
}

void StoreWriter::tick()
{
    if (m_failures > 0) {
        // Back off while failing: 1 s, 2 s, 4 s … 30 s between attempts.
        const qint64 wait = std::min<qint64>(30'000, 1000LL << std::min(m_failures - 1, 5));
        if (m_sinceFailure.isValid() && m_sinceFailure.elapsed() < wait) {
            if (m_spool) { // keep memory flat between attempts
                spoolPending();
                publishStatus();
            }
            return;
        }
    }
    flushNow();
}

void StoreWriter::flushNow()
{
    QString error;
    auto fail = [&](const QString &why) {
        ++m_failures;
        m_sinceFailure.restart();
        QString message = oneLine(why);
        if (m_location.isSqlite()) {
            if (message.contains(u"full"_s, Qt::CaseInsensitive) ||
                message.contains(u"too large"_s, Qt::CaseInsensitive))
                message = u"disk full: %1: %2"_s.arg(m_location.path, message);
            else
                message = u"write failed: %1: %2"_s.arg(m_location.path, message);
        } else {
            message = u"PostgreSQL unreachable: %1"_s.arg(message);
            disconnect(); // reconnect on the next attempt
        }
        // Memory stays bounded while the database is away: the spool
        // (PostgreSQL) or a cap on the pending blocks (SQLite).
        if (m_spool)
            spoolPending();
        else
            m_buffer->trimTo(m_options.spoolMemoryBytes);
        setState(StoreStatus::State::Degraded, message);
        publishStatus();
    };

    if (!connect()) {
        if (m_spool)
            spoolPending();
        else
            m_buffer->trimTo(m_options.spoolMemoryBytes);
        publishStatus();
        return;
    }
    if (!ensureSeries(&error) || !drainSpool(&error)) {
        fail(error);
        return;
    }
    for (;;) {
        const QList<PendingBlock> batch = m_buffer->takeBatch(MaxBatchBlocks);
        if (batch.isEmpty())
            break;
        if (!writeBatch(batch, &error)) {
            fail(error);
            return;
        }
        m_buffer->markWritten(batch, QDateTime::currentMSecsSinceEpoch());
        if (batch.size() < MaxBatchBlocks)
            break;
    }
    if (!prune(&error)) {
        if (!m_location.isSqlite()) {
            // Often the only statement of a flush with nothing to write: a
            // server that went away shows here first.
            fail(u"pruning failed: %1"_s.arg(error));
            return;
        }
        // SQLite: retried on the next flush; not a write failure.
        qWarning("history store: pruning failed: %s", qPrintable(error));
    }
    m_failures = 0;
    setState(StoreStatus::State::Ok, {});
    publishStatus();
}

qint64 StoreWriter::hostId(const QString &host, QString *error)
{
    if (auto it = m_hostIds.constFind(host); it != m_hostIds.constEnd())
        return it.value();
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO hosts (name) VALUES (?) ON CONFLICT (name) DO NOTHING"_s);
    q.addBindValue(host);
    if (!q.exec()) {
        *error = q.lastError().text();
        return -1;
    }
    q.prepare(u"SELECT id FROM hosts WHERE name = ?"_s);
    q.addBindValue(host);
    if (!q.exec() || !q.next()) {
        *error = q.lastError().text();
        return -1;
    }
    return q.value(0).toLongLong();
}

qint64 StoreWriter::metricId(const QString &metric, const QString &unit, const QString &kind,
                             QString *error)
{
    if (auto it = m_metricIds.constFind(metric); it != m_metricIds.constEnd())
        return it.value();
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO metrics (name, unit, kind) VALUES (?, ?, ?) "
              "ON CONFLICT (name) DO NOTHING"_s);
    q.addBindValue(metric);
    // A null QString binds as NULL; a unitless count has unit "".
    q.addBindValue(unit.isNull() ? u""_s : unit);
    q.addBindValue(kind);
    if (!q.exec()) {
        *error = q.lastError().text();
        return -1;
    }
    q.prepare(u"SELECT id FROM metrics WHERE name = ?"_s);
    q.addBindValue(metric);
    if (!q.exec() || !q.next()) {
        *error = q.lastError().text();
        return -1;
    }
    return q.value(0).toLongLong();
}

bool StoreWriter::ensureSeries(QString *error)
{
    const QList<SeriesMeta> fresh = m_buffer->newSeries();
    if (fresh.isEmpty())
        return true;
    // Ids become cached only once their transaction committed: ids of a
    // rolled-back insert would point at nothing.
    QHash<QString, qint64> hosts, metrics;
    if (!m_db.transaction()) {
        *error = m_db.lastError().text();
        return false;
    }
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO series (host_id, metric_id) VALUES (?, ?) "
              "ON CONFLICT (host_id, metric_id) DO NOTHING"_s);
    for (const SeriesMeta &m : fresh) {
        const qint64 h = hosts.contains(m.host) ? hosts.value(m.host) : hostId(m.host, error);
        const qint64 id = metricId(m.metric, m.unit, m.kind, error);
        if (h < 0 || id < 0) {
            m_db.rollback();
            return false;
        }
        hosts.insert(m.host, h);
        metrics.insert(m.metric, id);
        q.addBindValue(h);
        q.addBindValue(id);
        if (!q.exec()) {
            *error = q.lastError().text();
            m_db.rollback();
            return false;
        }
    }
    if (!m_db.commit()) {
        *error = m_db.lastError().text();
        m_db.rollback();
        return false;
    }
    m_hostIds.insert(hosts);
    m_metricIds.insert(metrics);
    m_buffer->markSeriesKnown(fresh);
    return true;
}

bool StoreWriter::writeBatch(const QList<PendingBlock> &batch, QString *error)
{
    // Blocks of series this run has not seen (a spool replayed after a
    // restart) get their rows first, in their own transaction.
    for (const PendingBlock &p : batch) {
        if (!m_hostIds.contains(p.block.host) || !m_metricIds.contains(p.block.metric)) {
            if (!m_db.transaction()) {
                *error = m_db.lastError().text();
                return false;
            }
            const qint64 h = hostId(p.block.host, error);
            const qint64 m = metricId(p.block.metric, QString(), u"gauge"_s, error);
            QSqlQuery s(m_db);
            s.prepare(u"INSERT INTO series (host_id, metric_id) VALUES (?, ?) "
                      "ON CONFLICT (host_id, metric_id) DO NOTHING"_s);
            s.addBindValue(h);
            s.addBindValue(m);
            if (h < 0 || m < 0 || !s.exec() || !m_db.commit()) {
                if (error->isEmpty())
                    *error = s.lastError().text();
                m_db.rollback();
                return false;
            }
            m_hostIds.insert(p.block.host, h);
            m_metricIds.insert(p.block.metric, m);
        }
    }
    if (!m_db.transaction()) {
        *error = m_db.lastError().text();
        return false;
    }
    // The keyed upsert is what makes rewriting open blocks, retrying after a
    // failure and replaying a spool safe: a block lands exactly once.
    QSqlQuery q(m_db);
    if (!q.prepare(u"INSERT INTO blocks (host_id, metric_id, tier, start_ts, end_ts, count, data) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (host_id, metric_id, tier, start_ts) DO UPDATE SET "
                   "end_ts = excluded.end_ts, count = excluded.count, data = excluded.data"_s)) {
        *error = q.lastError().text();
        m_db.rollback();
        return false;
    }
    for (const PendingBlock &p : batch) {
        const StoredBlock &b = p.block;
        q.bindValue(0, m_hostIds.value(b.host));
        q.bindValue(1, m_metricIds.value(b.metric));
        q.bindValue(2, int(b.tier));
        q.bindValue(3, b.startTs);
        q.bindValue(4, b.endTs);
        q.bindValue(5, b.count);
        q.bindValue(6, b.data);
        if (!q.exec()) {
            *error = q.lastError().text();
            q.finish();
            m_db.rollback();
            return false;
        }
    }
    q.finish();
    if (!m_db.commit()) {
        *error = m_db.lastError().text();
        m_db.rollback();
        return false;
    }
    return true;
}

bool StoreWriter::prune(QString *error)
{
    const qint64 newest = m_buffer->newestTs();
    if (newest <= 0)
        return true;
    if (!m_db.isOpen()) {
        *error = u"no connection"_s;
        return false;
    }
    const std::pair<StoreTier, qint64> tiers[] = {
        {StoreTier::Raw, m_options.rawRetentionMs},
        {StoreTier::Minute, m_options.minuteRetentionMs},
        {StoreTier::Hour, m_options.hourRetentionMs},
    };
    // Most flushes have nothing to prune (a tier's blocks expire once per
    // block span). A probe through blocks_expiry finds that without the
    // DELETE's IN list, which SQLite builds in a temporary table, with its
    // own page cache, for every statement.
    QSqlQuery probe(m_db);
    QSqlQuery q(m_db);
    if (!probe.prepare(u"SELECT 1 FROM blocks WHERE tier = ? AND end_ts < ? LIMIT 1"_s) ||
        !q.prepare(u"DELETE FROM blocks WHERE (host_id, metric_id, tier, start_ts) IN "
                   "(SELECT host_id, metric_id, tier, start_ts FROM blocks "
                   "WHERE tier = ? AND end_ts < ? LIMIT %1)"_s.arg(PruneBatchBlocks))) {
        *error = (probe.lastError().isValid() ? probe : q).lastError().text();
        return false;
    }
    for (const auto &[tier, retention] : tiers) {
        if (retention <= 0)
            continue;
        probe.bindValue(0, int(tier));
        probe.bindValue(1, newest - retention);
        if (!probe.exec()) {
            *error = probe.lastError().text();
            return false;
        }
        const bool expired = probe.next();
        probe.finish();
        if (!expired)
            continue;
        q.bindValue(0, int(tier));
        q.bindValue(1, newest - retention);
        if (!q.exec()) {
            *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

void StoreWriter::setState(StoreStatus::State state, const QString &message)
{
    QMutexLocker lock(&m_statusMutex);
    m_status.state = state;
    m_stateMessage = message;
    m_status.message = composeMessage(state, message);
}

StoreStatus StoreWriter::status() const
{
    StoreStatus s;
    qint64 spoolDropped = 0;
    {
        QMutexLocker lock(&m_statusMutex);
        s = m_status;
        s.spooledBlocks = m_spooledBlocks;
        spoolDropped = m_spoolDropped;
    }
    s.writtenPoints = m_buffer->writtenPoints();
    s.droppedPoints = m_buffer->droppedPoints() + spoolDropped;
    s.pendingPoints = std::max<qint64>(0, m_buffer->appendedPoints() - s.writtenPoints -
                                              m_buffer->trimmedPoints() - spoolDropped);
    s.lastWriteTs = m_buffer->lastWriteWallMs();
    return s;
}

void StoreWriter::publishStatus()
{
    if (m_spool && !m_spool->errorString().isEmpty() &&
        m_spool->errorString() != m_spoolProblem) // a write error on the file (disk full)
        setSpoolProblem(m_spool->errorString());
    if (m_spool) {
        QMutexLocker lock(&m_statusMutex);
        m_spooledBlocks = m_spool->blockCount();
        m_spoolDropped = m_spool->droppedRawPoints();
    }
    if (m_statusSink)
        m_statusSink(status());
}

} // namespace tidewatch::store
