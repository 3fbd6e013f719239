// SPDX-License-Identifier: GPL-3.0-or-later
#include "HistoryStore.h"

#include "StoreBuffer.h"
#include "StoreDatabase.h"
#include "StoreReader.h"
#include "StoreWriter.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace tidewatch {

using namespace store;

bool StoreOptions::fromUrl(const QString &url, StoreOptions *out, QString *error)
{
    StoreLocation location;
    QString why;
    if (!parseLocation(url, &location, &why)) {
        if (error)
            *error = why;
        return false;
    }
    out->url = url;
    return true;
}

HistoryStore::HistoryStore(StoreOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    qRegisterMetaType<StoreStatus>();
    m_writerThread.setObjectName(u"store-writer"_s);
    m_readerThread.setObjectName(u"store-reader"_s);
}

HistoryStore::~HistoryStore()
{
    close();
}

bool HistoryStore::open(QString *error)
{
    if (m_open)
        return true;
    QString why;
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    StoreLocation location;
    if (!parseLocation(m_options.url, &location, &why))
        return fail(why);

    QString unreachable;
    if (location.isSqlite()) {
        // Check and create on this thread, before any worker connects: a
        // foreign or damaged file is refused before anything writes to it.
        if (!checkSqliteFile(location.path, &why))
            return fail(why);
        QSqlDatabase db;
        const QString name = u"tidewatch-store-open-%1"_s.arg(quintptr(this), 0, 16);
        // quick_check reads every page once: a big cache would only hold
        // pages nobody reads again, up to 2 MB of the main thread's heap.
        const bool ok = openConnection(location, name, &db, &why, WriterCacheKiB) &&
                        prepareSchema(db, location, &why);
        dropConnection(&db);
        if (!ok)
            return fail(why);
    } else {
        // A server that answers but holds another application's tables is
        // an error now; one that does not answer is retried in the background.
        QSqlDatabase db;
        const QString name = u"tidewatch-store-open-%1"_s.arg(quintptr(this), 0, 16);
        const bool reachable = openConnection(location, name, &db, &why);
        const bool ok = !reachable || prepareSchema(db, location, &why);
        dropConnection(&db);
        if (!ok)
            return fail(why);
        if (!reachable)
            unreachable = why;
    }

    // SQLite: spoolMemoryBytes bounds the unwritten blocks. PostgreSQL: the
    // writer moves them to the spool, which applies that cap; the buffer's
    // own bound is only a safety net should the writer stall.
    const qint64 memoryCap = location.isSqlite()
                                 ? m_options.spoolMemoryBytes
                                 : std::max<qint64>(4 * m_options.spoolMemoryBytes, 64LL << 20);
    m_buffer = std::make_shared<StoreBuffer>(m_options.host, memoryCap);
    QPointer<HistoryStore> self(this);
    m_writer = std::make_unique<StoreWriter>(location, m_options, m_buffer,
                                             [self](const StoreStatus &status) {
                                                 if (!self)
                                                     return;
                                                 QMetaObject::invokeMethod(
                                                     self.data(),
                                                     [self, status] {
                                                         if (self)
                                                             Q_EMIT self->statusChanged(status);
                                                     },
                                                     Qt::QueuedConnection);
                                             });
    m_reader = std::make_unique<StoreReader>(location, m_options, m_buffer);
    m_writer->moveToThread(&m_writerThread);
    m_reader->moveToThread(&m_readerThread);
    m_writerThread.start(); // the reader's starts with the first query
    StoreWriter *writer = m_writer.get();
    QMetaObject::invokeMethod(
        writer, [writer, unreachable] { writer->start(unreachable); },
        Qt::BlockingQueuedConnection);
    m_open = true;
    return true;
}

void HistoryStore::close()
{
    if (!m_open)
        return;
    StoreWriter *writer = m_writer.get();
    QMetaObject::invokeMethod(
        writer, [writer] { writer->shutdown(); }, Qt::BlockingQueuedConnection);
    StoreReader *reader = m_reader.get();
    if (m_readerThread.isRunning())
        QMetaObject::invokeMethod(
            reader, [reader] { reader->shutdown(); }, Qt::BlockingQueuedConnection);
    m_writerThread.quit();
    m_readerThread.quit();
    m_writerThread.wait();
    m_readerThread.wait();
    m_writer.reset();
    m_reader.reset();
    m_open = false;
}

StoreReader *HistoryStore::startedReader() const
{
    // A daemon nobody asks for history keeps no idle reader thread.
    if (!m_readerThread.isRunning())
        m_readerThread.start();
    return m_reader.get();
}

void HistoryStore::append(const SnapshotPtr &snapshot)
{
    if (m_open && snapshot)
        m_buffer->append(*snapshot);
}

void HistoryStore::flush()
{
    if (!m_open)
        return;
    StoreWriter *writer = m_writer.get();
    QMetaObject::invokeMethod(
        writer, [writer] { writer->flushNow(); }, Qt::QueuedConnection);
}

void HistoryStore::flushSync()
{
    if (!m_open)
        return;
    StoreWriter *writer = m_writer.get();
    QMetaObject::invokeMethod(
        writer, [writer] { writer->flushNow(); }, Qt::BlockingQueuedConnection);
}

void HistoryStore::query(const HistoryRequest &request, QObject *context,
                         std::function<void(const HistoryResult &)> done)
{
    QPointer<QObject> target(context);
    if (!m_open) {
        HistoryResult r;
        r.error = u"history store is not open"_s;
        QMetaObject::invokeMethod(
            context, [done = std::move(done), r] { done(r); }, Qt::QueuedConnection);
        return;
    }
    StoreReader *reader = startedReader();
    QMetaObject::invokeMethod(
        reader,
        [reader, request, target, done = std::move(done)]() mutable {
            HistoryResult r = reader->run(request);
            if (target)
                QMetaObject::invokeMethod(
                    target.data(), [done = std::move(done), r = std::move(r)] { done(r); },
                    Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

HistoryResult HistoryStore::querySync(const HistoryRequest &request)
{
    HistoryResult r;
    if (!m_open) {
        r.error = u"history store is not open"_s;
        return r;
    }
    StoreReader *reader = startedReader();
    QMetaObject::invokeMethod(
        reader, [reader, &request, &r] { r = reader->run(request); }, Qt::BlockingQueuedConnection);
    return r;
}

StoreStatus HistoryStore::status() const
{
    if (!m_open) {
        StoreStatus s;
        StoreLocation location;
        QString why;
        if (parseLocation(m_options.url, &location, &why)) {
            s.backend = location.backendName();
            s.location = location.display();
        }
        return s;
    }
    return m_writer->status();
}

QStringList HistoryStore::hosts() const
{
    if (!m_open)
        return {};
    QStringList out;
    StoreReader *reader = startedReader();
    QMetaObject::invokeMethod(
        reader, [reader, &out] { out = reader->hosts(); }, Qt::BlockingQueuedConnection);
    return out;
}

} // namespace tidewatch
