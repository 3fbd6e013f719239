// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlockSpool.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

using namespace Qt::StringLiterals;

namespace tidewatch {

namespace {

/// PRAGMA application_id of a spool file: "TWSP".
constexpr qint64 SpoolApplicationId = 0x54575350;
constexpr int SpoolSchemaVersion = 1;
/// What a block costs besides its payload and key: the entry, the index, the row.
constexpr qint64 BlockOverheadBytes = 96;

QString nextConnectionName()
{
    static std::atomic<quint64> counter{0};
    return u"tidewatch-spool-%1"_s.arg(counter.fetch_add(1) + 1);
}

} // namespace

BlockSpool::BlockSpool(QString filePath, qint64 memoryCapBytes, qint64 fileCapBytes)
    : m_filePath(std::move(filePath))
    , m_memoryCap(qMax<qint64>(0, memoryCapBytes))
    , m_fileCap(fileCapBytes)
    , m_connection(nextConnectionName())
{}

BlockSpool::~BlockSpool()
{
    if (m_fileOpen) {
        sync();
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
    }
    if (QSqlDatabase::contains(m_connection))
        QSqlDatabase::removeDatabase(m_connection);
}

qint64 BlockSpool::blockBytes(const StoredBlock &block)
{
    return block.data.size() + 2 * (block.host.size() + block.metric.size()) + BlockOverheadBytes;
}

BlockSpool::Key BlockSpool::keyOf(const StoredBlock &block)
{
    return Key{block.host, block.metric, int(block.tier), block.startTs};
}

void BlockSpool::setError(const QString &error)
{
    m_error = error;
    qWarning("BlockSpool: %s", qPrintable(error));
}

void BlockSpool::countDropped(int points, bool raw)
{
    m_droppedPoints += points;
    if (raw)
        m_droppedRawPoints += points;
    ++m_droppedBlocks;
}

bool BlockSpool::open(QString *error)
{
    if (m_filePath.isEmpty() || m_fileCap <= 0)
        return true; // memory only, by request
    QString why;
    if (!openFile(&why)) {
        m_fileOpen = false;
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
        m_file.clear();
        m_fileBytes = 0;
        m_error = why;
        if (error)
            *error = why;
        return false;
    }
    m_fileOpen = true;
    return true;
}

bool BlockSpool::openFile(QString *error)
{
    const QFileInfo info(m_filePath);
    const bool existed = info.exists();
    if (existed && !info.isFile()) {
        *error = u"spool file %1 is not a regular file"_s.arg(m_filePath);
        return false;
    }
    if (!existed && !QDir().mkpath(info.absolutePath())) {
        *error =
            u"spool file %1: cannot create the directory %2"_s.arg(m_filePath, info.absolutePath());
        return false;
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    db.setDatabaseName(m_filePath);
    if (!db.open()) {
        *error = u"spool file %1: cannot open: %2"_s.arg(m_filePath, db.lastError().text());
        return false;
    }
    QSqlQuery q(db);
    auto fail = [&](const QString &what) {
        *error = u"spool file %1 %2; it was left as it is"_s.arg(m_filePath, what);
        return false;
    };

    // A file that is not SQLite fails here ("file is not a database"), a damaged
    // one in the check. Neither is touched: the blocks in it may still be wanted.
    if (!q.exec(u"PRAGMA quick_check"_s))
        return fail(u"is not a readable SQLite database (%1)"_s.arg(q.lastError().text()));
    QStringList problems;
    while (q.next())
        problems.append(q.value(0).toString());
    if (problems != QStringList{u"ok"_s}) {
        QString what = problems.join(u"; "_s).simplified();
        if (what.size() > 160)
            what = what.left(160) + u"…"_s;
        return fail(u"is damaged (%1)"_s.arg(what));
    }

    if (!q.exec(u"PRAGMA application_id"_s) || !q.next())
        return fail(u"cannot be read (%1)"_s.arg(q.lastError().text()));
    const qint64 appId = q.value(0).toLongLong();
    if (!q.exec(u"SELECT count(*) FROM sqlite_master"_s) || !q.next())
        return fail(u"cannot be read (%1)"_s.arg(q.lastError().text()));
    const qint64 objects = q.value(0).toLongLong();
    if (appId != SpoolApplicationId && (appId != 0 || objects != 0))
        return fail(u"is not a Tidewatch spool file (another program's SQLite database)"_s);
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return fail(u"cannot be read (%1)"_s.arg(q.lastError().text()));
    if (q.value(0).toInt() > SpoolSchemaVersion)
        return fail(
            u"was written by a newer Tidewatch (spool version %1)"_s.arg(q.value(0).toInt()));

    // The file holds what the writer could not send; losing the last second of
    // it in a power cut is acceptable, a damaged file is not: WAL + NORMAL.
    if (!q.exec(u"PRAGMA journal_mode = WAL"_s) || !q.exec(u"PRAGMA synchronous = NORMAL"_s))
        return fail(u"cannot be configured (%1)"_s.arg(q.lastError().text()));
    if (objects == 0) {
        if (!q.exec(u"PRAGMA application_id = %1"_s.arg(SpoolApplicationId)) ||
            !q.exec(u"PRAGMA user_version = %1"_s.arg(SpoolSchemaVersion)) ||
            !q.exec(u"CREATE TABLE IF NOT EXISTS spool (pos INTEGER PRIMARY KEY, "
                    u"host TEXT NOT NULL, metric TEXT NOT NULL, tier INTEGER NOT NULL, "
                    u"start_ts INTEGER NOT NULL, end_ts INTEGER NOT NULL, "
                    u"count INTEGER NOT NULL, revision INTEGER NOT NULL, "
                    u"data BLOB NOT NULL)"_s))
            return fail(u"cannot be created (%1)"_s.arg(q.lastError().text()));
    }

    // Replay what an earlier run left: index the blocks, keep the payload on disk.
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT pos, host, metric, tier, start_ts, count, revision, length(data) "
                u"FROM spool ORDER BY pos"_s))
        return fail(u"has an unexpected layout (%1)"_s.arg(q.lastError().text()));
    m_file.clear();
    m_fileBytes = 0;
    while (q.next()) {
        const qint64 pos = q.value(0).toLongLong();
        FileEntry e;
        e.key = Key{q.value(1).toString(), q.value(2).toString(), q.value(3).toInt(),
                    q.value(4).toLongLong()};
        e.points = q.value(5).toInt();
        e.revision = q.value(6).toULongLong();
        e.bytes = q.value(7).toLongLong() + 2 * (e.key.host.size() + e.key.metric.size()) +
                  BlockOverheadBytes;
        m_fileBytes += e.bytes;
        m_nextPos = qMax(m_nextPos, pos + 1);
        m_nextRevision = qMax(m_nextRevision, e.revision + 1);
        m_positions.insert(e.key, pos);
        m_file.emplace(pos, std::move(e));
    }
    return true;
}

void BlockSpool::push(const StoredBlockList &blocks)
{
    for (const StoredBlock &block : blocks) {
        const Key key = keyOf(block);
        const quint64 revision = m_nextRevision++;
        const auto known = m_positions.constFind(key);
        if (known != m_positions.constEnd()) {
            const qint64 pos = *known;
            if (auto mem = m_memory.find(pos); mem != m_memory.end()) {
                m_memoryBytes += blockBytes(block) - blockBytes(mem->second.block);
                mem->second = MemoryEntry{block, revision};
                continue;
            }
            if (m_file.contains(pos)) {
                replaceInFile(pos, block, revision);
                continue;
            }
        }
        const qint64 pos = m_nextPos++;
        m_positions.insert(key, pos);
        m_memoryBytes += blockBytes(block);
        m_memory.emplace(pos, MemoryEntry{block, revision});
    }
    enforceMemoryCap();
    enforceFileCap();
}

StoredBlockList BlockSpool::peek(int maxBlocks) const
{
    StoredBlockList out;
    m_peeked.clear();
    if (maxBlocks <= 0)
        return out;

    // The oldest are in the file (spilled from the front of memory), but a merge
    // by position keeps the order right whatever the mix.
    StoredBlockList fromFile;
    QList<std::pair<qint64, quint64>> fileIds;
    if (m_fileOpen && !m_file.empty()) {
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.setForwardOnly(true);
        q.prepare(u"SELECT pos, host, metric, tier, start_ts, end_ts, count, revision, data "
                  u"FROM spool ORDER BY pos LIMIT ?"_s);
        q.addBindValue(maxBlocks);
        if (q.exec()) {
            while (q.next()) {
                StoredBlock b;
                b.host = q.value(1).toString();
                b.metric = q.value(2).toString();
                b.tier = StoreTier(q.value(3).toInt());
                b.startTs = q.value(4).toLongLong();
                b.endTs = q.value(5).toLongLong();
                b.count = q.value(6).toInt();
                b.data = q.value(8).toByteArray();
                fileIds.append({q.value(0).toLongLong(), q.value(7).toULongLong()});
                fromFile.append(std::move(b));
            }
        } else {
            qWarning("BlockSpool: cannot read %s: %s", qPrintable(m_filePath),
                     qPrintable(q.lastError().text()));
        }
    }

    qsizetype fi = 0;
    auto mem = m_memory.cbegin();
    while (out.size() < maxBlocks && (fi < fromFile.size() || mem != m_memory.cend())) {
        const bool takeFile =
            fi < fromFile.size() && (mem == m_memory.cend() || fileIds.at(fi).first < mem->first);
        if (takeFile) {
            out.append(fromFile.at(fi));
            m_peeked.append(fileIds.at(fi));
            ++fi;
        } else {
            out.append(mem->second.block);
            m_peeked.append({mem->first, mem->second.revision});
            ++mem;
        }
    }
    return out;
}

void BlockSpool::pop(int count)
{
    if (count <= 0)
        return;
    QList<std::pair<qint64, quint64>> targets = m_peeked.mid(0, count);
    m_peeked.clear();
    if (targets.size() < count) {
        // Beyond (or without) a peek: the oldest, whatever their revision.
        QList<qint64> all;
        for (const auto &[pos, e] : m_file)
            all.append(pos);
        for (const auto &[pos, e] : m_memory)
            all.append(pos);
        std::sort(all.begin(), all.end());
        for (qint64 pos : std::as_const(all)) {
            if (targets.size() >= count)
                break;
            const bool taken = std::any_of(targets.cbegin(), targets.cend(),
                                           [pos](const auto &t) { return t.first == pos; });
            if (taken)
                continue;
            const auto m = m_memory.find(pos);
            targets.append(
                {pos, m != m_memory.end() ? m->second.revision : m_file.at(pos).revision});
        }
    }

    QList<qint64> fromFile;
    for (const auto &[pos, revision] : std::as_const(targets)) {
        if (auto m = m_memory.find(pos); m != m_memory.end()) {
            if (m->second.revision != revision)
                continue; // replaced since the peek: the newer version still has to go
            m_memoryBytes -= blockBytes(m->second.block);
            m_positions.remove(keyOf(m->second.block));
            m_memory.erase(m);
        } else if (auto f = m_file.find(pos); f != m_file.end()) {
            if (f->second.revision != revision)
                continue;
            fromFile.append(pos);
        }
    }
    if (!fromFile.isEmpty())
        deleteFromFile(fromFile);
}

bool BlockSpool::sync()
{
    if (!m_fileOpen)
        return false;
    QList<qint64> positions;
    for (const auto &[pos, e] : m_memory)
        positions.append(pos);
    const bool ok = positions.isEmpty() || spill(positions);
    enforceFileCap();
    return ok;
}

void BlockSpool::enforceMemoryCap()
{
    if (m_memoryBytes <= m_memoryCap)
        return;
    QList<qint64> oldest;
    qint64 freed = 0;
    for (const auto &[pos, e] : m_memory) {
        if (m_memoryBytes - freed <= m_memoryCap)
            break;
        oldest.append(pos);
        freed += blockBytes(e.block);
    }
    if (m_fileOpen && spill(oldest))
        return;
    // No file, or it could not take them: bounded memory wins, the oldest go.
    for (qint64 pos : std::as_const(oldest)) {
        const auto m = m_memory.find(pos);
        countDropped(m->second.block.count, m->second.block.tier == StoreTier::Raw);
        m_memoryBytes -= blockBytes(m->second.block);
        m_positions.remove(keyOf(m->second.block));
        m_memory.erase(m);
    }
}

void BlockSpool::enforceFileCap()
{
    if (m_fileBytes <= m_fileCap || m_file.empty())
        return;
    QList<qint64> oldest;
    QList<std::pair<int, bool>> lost;
    qint64 freed = 0;
    for (const auto &[pos, e] : m_file) {
        if (m_fileBytes - freed <= m_fileCap)
            break;
        oldest.append(pos);
        lost.append({e.points, e.raw()});
        freed += e.bytes;
    }
    if (deleteFromFile(oldest)) {
        for (const auto &[points, raw] : std::as_const(lost))
            countDropped(points, raw);
    }
}

bool BlockSpool::spill(const QList<qint64> &positions)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        setError(u"spool file %1: %2"_s.arg(m_filePath, db.lastError().text()));
        return false;
    }
    QSqlQuery q(db);
    q.prepare(u"INSERT OR REPLACE INTO spool (pos, host, metric, tier, start_ts, end_ts, count, "
              u"revision, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    for (qint64 pos : positions) {
        const MemoryEntry &e = m_memory.at(pos);
        q.addBindValue(pos);
        q.addBindValue(e.block.host);
        q.addBindValue(e.block.metric);
        q.addBindValue(int(e.block.tier));
        q.addBindValue(e.block.startTs);
        q.addBindValue(e.block.endTs);
        q.addBindValue(e.block.count);
        q.addBindValue(qint64(e.revision));
        q.addBindValue(e.block.data);
        if (!q.exec()) {
            setError(u"spool file %1: cannot write: %2"_s.arg(m_filePath, q.lastError().text()));
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        setError(u"spool file %1: cannot write: %2"_s.arg(m_filePath, db.lastError().text()));
        db.rollback();
        return false;
    }
    for (qint64 pos : positions) {
        const auto m = m_memory.find(pos);
        FileEntry f{keyOf(m->second.block), blockBytes(m->second.block), m->second.block.count,
                    m->second.revision};
        m_memoryBytes -= f.bytes;
        m_fileBytes += f.bytes;
        m_file.emplace(pos, std::move(f));
        m_memory.erase(m);
    }
    return true;
}

bool BlockSpool::replaceInFile(qint64 pos, const StoredBlock &block, quint64 revision)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"UPDATE spool SET end_ts = ?, count = ?, revision = ?, data = ? WHERE pos = ?"_s);
    q.addBindValue(block.endTs);
    q.addBindValue(block.count);
    q.addBindValue(qint64(revision));
    q.addBindValue(block.data);
    q.addBindValue(pos);
    if (!q.exec()) {
        // The older version stays; the writer rewrites an open block on its next flush.
        setError(u"spool file %1: cannot write: %2"_s.arg(m_filePath, q.lastError().text()));
        return false;
    }
    FileEntry &f = m_file.at(pos);
    m_fileBytes += blockBytes(block) - f.bytes;
    f.bytes = blockBytes(block);
    f.points = block.count;
    f.revision = revision;
    return true;
}

bool BlockSpool::deleteFromFile(const QList<qint64> &positions)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    bool ok = db.transaction();
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM spool WHERE pos = ?"_s);
    for (qint64 pos : positions) {
        if (!ok)
            break;
        q.addBindValue(pos);
        ok = q.exec();
    }
    if (ok)
        ok = db.commit();
    if (!ok) {
        setError(u"spool file %1: cannot delete: %2"_s.arg(
            m_filePath, q.lastError().isValid() ? q.lastError().text() : db.lastError().text()));
        db.rollback();
        return false;
    }
    for (qint64 pos : positions) {
        const auto f = m_file.find(pos);
        m_fileBytes -= f->second.bytes;
        m_positions.remove(f->second.key);
        m_file.erase(f);
    }
    return true;
}

} // namespace tidewatch
