// SPDX-License-Identifier: GPL-3.0-or-later
// The history store against a real PostgreSQL server that goes away: the
// server is stopped mid-run (and absent at start), appends go on, and when it
// returns every sample arrives exactly once.
#include "BlockCodec.h"
#include "HistoryStore.h"
#include "PgRig.h"

#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <cmath>
#include <cstring>
#include <map>

using namespace Qt::StringLiterals;
using namespace tidewatch;
using tidewatch::test::PgRig;

namespace {

constexpr qint64 T0 = 1'767'225'600'000; // 2026-01-01, ms
constexpr qint64 StepMs = 1000;
constexpr int Gauges = 4;
/// Generous: the writer backs off up to 30 s between attempts while the server is away.
constexpr int ReturnTimeoutMs = 60'000;

CatalogPtr catalog()
{
    QList<MetricInfo> metrics;
    for (int i = 0; i < Gauges; ++i) {
        MetricInfo m;
        m.id = u"outage.gauge.%1"_s.arg(i);
        m.unit = u"%"_s;
        m.kind = i == Gauges - 1 ? MetricKind::Rate : MetricKind::Gauge;
        metrics.append(m);
    }
    MetricInfo counter;
    counter.id = u"outage.counter"_s; // counters are not stored
    counter.kind = MetricKind::Counter;
    metrics.append(counter);
    return std::make_shared<const MetricCatalog>(metrics);
}

/// Distinct, irregular values, so a sample written to the wrong place shows.
double valueOf(int metric, qint64 ts)
{
    const double n = double((ts - T0) / StepMs);
    return std::sin(n * 0.37 + metric) * 100.0 + metric * 1000.0 + n / 7.0;
}

SnapshotPtr snapshotAt(const CatalogPtr &cat, const QString &host, qint64 ts)
{
    auto s = std::make_shared<Snapshot>();
    s->host = host;
    s->ts = ts;
    s->seq = quint64((ts - T0) / StepMs + 1);
    s->catalog = cat;
    for (int i = 0; i < Gauges; ++i)
        s->values.append(valueOf(i, ts));
    s->values.append(double(ts)); // the counter
    return s;
}

bool settled(const StoreStatus &s)
{
    return s.state == StoreStatus::State::Ok && s.pendingPoints == 0;
}

QString describe(const StoreStatus &s)
{
    return u"state %1, written %2, pending %3, spooled %4, dropped %5, message '%6'"_s
        .arg(int(s.state))
        .arg(s.writtenPoints)
        .arg(s.pendingPoints)
        .arg(s.spooledBlocks)
        .arg(s.droppedPoints)
        .arg(s.message);
}

} // namespace

class TestHistoryStoreOutage final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    CatalogPtr m_catalog = catalog();

    /// Reads every raw block of `host` from the server itself (not through the
    /// store, whose memory could hide a gap) and checks that each metric holds
    /// exactly the samples at `stamps`, once each, with the values the store keeps.
    void verifyExactlyOnce(const QString &url, const QString &host, const QList<qint64> &stamps)
    {
        const QString connection = u"verify"_s;
        {
            QUrl u(url);
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connection);
            db.setHostName(u.host());
            db.setPort(u.port());
            db.setUserName(u.userName());
            db.setPassword(u.password());
            db.setDatabaseName(u.path().mid(1));
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            q.prepare(u"SELECT m.name, b.start_ts, b.count, b.data FROM blocks b "
                      u"JOIN hosts h ON h.id = b.host_id JOIN metrics m ON m.id = b.metric_id "
                      u"WHERE h.name = ? AND b.tier = 0 ORDER BY m.name, b.start_ts"_s);
            q.addBindValue(host);
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));

            std::map<QString, std::map<qint64, int>> seen; // metric -> ts -> times
            int badValues = 0;
            QString firstBad;
            while (q.next()) {
                const QString metric = q.value(0).toString();
                DecodedBlock block;
                QString error;
                QVERIFY2(decodeBlock(q.value(3).toByteArray(), &block, &error),
                         qPrintable(
                             u"%1 @%2: %3"_s.arg(metric).arg(q.value(1).toLongLong()).arg(error)));
                QCOMPARE(block.ts.size(), q.value(2).toInt());
                QCOMPARE(block.ts.value(0), q.value(1).toLongLong());
                const int index = metric.section(u'.', 2).toInt();
                for (qsizetype i = 0; i < block.ts.size(); ++i) {
                    ++seen[metric][block.ts.at(i)];
                    // The store keeps "%" values to 2 decimals (docs/store.md).
                    const double expected = roundToDecimals(valueOf(index, block.ts.at(i)), 2);
                    if (std::memcmp(&expected, &block.values.at(i), sizeof(double)) != 0) {
                        if (badValues++ == 0)
                            firstBad = u"%1 @%2: %3 instead of %4"_s.arg(metric)
                                           .arg(block.ts.at(i))
                                           .arg(block.values.at(i))
                                           .arg(expected);
                    }
                }
            }
            QVERIFY2(badValues == 0, qPrintable(firstBad));
            QCOMPARE(int(seen.size()), Gauges); // the gauges and the rate, not the counter
            QVERIFY(!seen.contains(u"outage.counter"_s));
            for (const auto &[metric, times] : seen) {
                int missing = 0, duplicated = 0;
                for (qint64 ts : stamps) {
                    const auto it = times.find(ts);
                    if (it == times.end())
                        ++missing;
                    else if (it->second != 1)
                        ++duplicated;
                }
                const int extra = int(times.size()) - int(stamps.size()) + missing;
                QVERIFY2(
                    missing == 0 && duplicated == 0 && extra == 0,
                    qPrintable(u"%1: %2 missing, %3 duplicated, %4 unexpected of %5"_s.arg(metric)
                                   .arg(missing)
                                   .arg(duplicated)
                                   .arg(extra)
                                   .arg(stamps.size())));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString missing = PgRig::missing();
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<StoreStatus>();
    }

    void cleanup()
    {
        // A failed test must not leave the server down for the next one.
        const QString error = PgRig::ensureRunning();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void serverStopsMidRun()
    {
        QString error;
        const QString url = PgRig::freshDatabase(u"outage_midrun"_s, &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));

        StoreOptions options;
        QVERIFY2(StoreOptions::fromUrl(url, &options, &error), qPrintable(error));
        options.host = u"outage-host"_s;
        options.flushIntervalMs = 100;
        options.spoolPath = m_dir.filePath(u"midrun-spool.sqlite"_s);
        HistoryStore store(options);
        QVERIFY2(store.open(&error), qPrintable(error));
        QCOMPARE(store.status().backend, u"postgresql"_s);
        QVERIFY2(!store.status().location.contains(QUrl(url).password()),
                 qPrintable(store.status().location));

        QList<qint64> stamps;
        qint64 ts = T0;
        auto appendSome = [&](int n) {
            for (int i = 0; i < n; ++i, ts += StepMs) {
                store.append(snapshotAt(m_catalog, options.host, ts));
                stamps.append(ts);
            }
        };

        // Before: written normally.
        appendSome(700); // more than a raw block: one sealed, one open
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                  30'000);

        // The server goes away mid-run. Appends go on, the store says why it is degraded.
        QSignalSpy degraded(&store, &HistoryStore::statusChanged);
        QString stopped = PgRig::stopServer();
        QVERIFY2(stopped.isEmpty(), qPrintable(stopped));
        appendSome(200);
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Degraded,
                                  qPrintable(describe(store.status())), 30'000);
        const StoreStatus during = store.status();
        QVERIFY2(during.message.contains(u"PostgreSQL"_s), qPrintable(during.message));
        QVERIFY2(during.pendingPoints > 0, qPrintable(describe(during)));
        // Listeners hear it too (queued to this thread).
        QTRY_VERIFY_WITH_TIMEOUT(!degraded.isEmpty(), 30'000);
        QCOMPARE(degraded.last().at(0).value<StoreStatus>().state, StoreStatus::State::Degraded);
        // Keep writing through the outage, across block boundaries.
        appendSome(1500);
        store.flush();
        QVERIFY2(store.status().state == StoreStatus::State::Degraded,
                 qPrintable(describe(store.status())));

        // The server returns: the store catches up by itself.
        const QString started = PgRig::startServer();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        appendSome(100);
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                  ReturnTimeoutMs);
        const StoreStatus after = store.status();
        QCOMPARE(after.droppedPoints, 0);
        QCOMPARE(after.writtenPoints, qint64(stamps.size()) * Gauges);
        verifyExactlyOnce(url, options.host, stamps);
    }

    // A server that goes away while nothing is waiting to be written still
    // shows: the flush's only statement (pruning) fails, and that is an outage.
    void serverStopsWhileIdle()
    {
        QString error;
        const QString url = PgRig::freshDatabase(u"outage_idle"_s, &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));

        StoreOptions options;
        QVERIFY2(StoreOptions::fromUrl(url, &options, &error), qPrintable(error));
        options.host = u"idle-host"_s;
        options.flushIntervalMs = 100;
        options.spoolPath = m_dir.filePath(u"idle-spool.sqlite"_s);
        HistoryStore store(options);
        QVERIFY2(store.open(&error), qPrintable(error));
        QList<qint64> stamps;
        for (qint64 ts = T0; ts < T0 + 100 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            stamps.append(ts);
        }
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                  30'000);

        // Nothing pending: only the flush timer notices.
        const QString stopped = PgRig::stopServer();
        QVERIFY2(stopped.isEmpty(), qPrintable(stopped));
        QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Degraded,
                                  qPrintable(describe(store.status())), 30'000);
        QVERIFY2(store.status().message.contains(u"PostgreSQL"_s),
                 qPrintable(store.status().message));

        // The reconnect logic takes over when it returns.
        const QString started = PgRig::startServer();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        for (qint64 ts = T0 + 100 * StepMs; ts < T0 + 200 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            stamps.append(ts);
        }
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                  ReturnTimeoutMs);
        verifyExactlyOnce(url, options.host, stamps);
    }

    // A spool file the store cannot use is in the status line while the
    // server is away (so /healthz shows it), and is left as it is.
    void unusableSpoolFileIsReported()
    {
        QString error;
        const QString url = PgRig::freshDatabase(u"outage_badspool"_s, &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        StoreOptions options;
        QVERIFY2(StoreOptions::fromUrl(url, &options, &error), qPrintable(error));
        options.host = u"badspool-host"_s;
        options.flushIntervalMs = 100;
        options.spoolPath = m_dir.filePath(u"bad-spool.sqlite"_s);
        const QByteArray foreign("these are somebody's notes, not a SQLite database\n");
        {
            QFile f(options.spoolPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(foreign);
        }
        HistoryStore store(options);
        QVERIFY2(store.open(&error), qPrintable(error));
        QList<qint64> stamps;
        for (qint64 ts = T0; ts < T0 + 100 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            stamps.append(ts);
        }
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                  30'000);

        const QString stopped = PgRig::stopServer();
        QVERIFY2(stopped.isEmpty(), qPrintable(stopped));
        for (qint64 ts = T0 + 100 * StepMs; ts < T0 + 200 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            stamps.append(ts);
        }
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Degraded,
                                  qPrintable(describe(store.status())), 30'000);
        const QString message = store.status().message;
        QVERIFY2(message.contains(u"PostgreSQL"_s), qPrintable(message));
        QVERIFY2(message.contains(options.spoolPath), qPrintable(message));
        QVERIFY2(message.contains(u"memory only"_s), qPrintable(message));

        const QString started = PgRig::startServer();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                  ReturnTimeoutMs);
        QVERIFY2(store.status().message.isEmpty(), qPrintable(store.status().message));
        verifyExactlyOnce(url, options.host, stamps);
        QFile f(options.spoolPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), foreign);
    }

    // A spool file locked by another live process is not touched: this store
    // spools in memory only and says so.
    void lockedSpoolFileIsLeftAlone()
    {
        QString error;
        const QString url = PgRig::freshDatabase(u"outage_locked"_s, &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        StoreOptions options;
        QVERIFY2(StoreOptions::fromUrl(url, &options, &error), qPrintable(error));
        options.host = u"locked-host"_s;
        options.flushIntervalMs = 100;
        options.spoolMemoryBytes = 16 * 1024; // spills soon
        options.spoolPath = m_dir.filePath(u"locked-spool.sqlite"_s);
        QLockFile other(options.spoolPath + u".lock"_s); // held as by another process
        QVERIFY(other.tryLock(0));

        HistoryStore store(options);
        QVERIFY2(store.open(&error), qPrintable(error));
        const QString stopped = PgRig::stopServer();
        QVERIFY2(stopped.isEmpty(), qPrintable(stopped));
        for (qint64 ts = T0; ts < T0 + 2000 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            if ((ts - T0) % (600 * StepMs) == 0)
                store.flush();
        }
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Degraded &&
                                      store.status().message.contains(u"in use"_s),
                                  qPrintable(describe(store.status())), 30'000);
        const QString message = store.status().message;
        QVERIFY2(message.contains(options.spoolPath), qPrintable(message));
        QVERIFY2(message.contains(u"memory only"_s), qPrintable(message));
        QVERIFY2(!QFileInfo::exists(options.spoolPath), qPrintable(options.spoolPath));
        const QString started = PgRig::startServer();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Ok,
                                  qPrintable(describe(store.status())), ReturnTimeoutMs);
    }

    void serverAbsentAtStart()
    {
        QString error;
        const QString url = PgRig::freshDatabase(u"outage_atstart"_s, &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        const QString stopped = PgRig::stopServer();
        QVERIFY2(stopped.isEmpty(), qPrintable(stopped));

        StoreOptions options;
        QVERIFY2(StoreOptions::fromUrl(url, &options, &error), qPrintable(error));
        options.host = u"absent-host"_s;
        options.flushIntervalMs = 100;
        options.spoolPath = m_dir.filePath(u"atstart-spool.sqlite"_s);
        HistoryStore store(options);
        // Unreachable is not an error: the store opens degraded and keeps the samples.
        QVERIFY2(store.open(&error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Degraded,
                                  qPrintable(describe(store.status())), 30'000);
        QVERIFY2(store.status().message.contains(u"PostgreSQL unreachable"_s),
                 qPrintable(store.status().message));

        QList<qint64> stamps;
        for (qint64 ts = T0; ts < T0 + 1300 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            stamps.append(ts);
        }
        store.flush();
        QVERIFY2(store.status().pendingPoints > 0, qPrintable(describe(store.status())));

        const QString started = PgRig::startServer();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                  ReturnTimeoutMs);
        QCOMPARE(store.status().droppedPoints, 0);
        verifyExactlyOnce(url, options.host, stamps);
    }

    void longOutageSpillsToSpoolFile()
    {
        QString error;
        const QString url = PgRig::freshDatabase(u"outage_spill"_s, &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));

        StoreOptions options;
        QVERIFY2(StoreOptions::fromUrl(url, &options, &error), qPrintable(error));
        options.host = u"spill-host"_s;
        options.flushIntervalMs = 100;
        options.spoolMemoryBytes = 16 * 1024; // a few blocks: the rest must go to the file
        options.spoolPath = m_dir.filePath(u"spill-spool.sqlite"_s);
        HistoryStore store(options);
        QVERIFY2(store.open(&error), qPrintable(error));

        QList<qint64> stamps;
        qint64 ts = T0;
        for (; ts < T0 + 300 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            stamps.append(ts);
        }
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                  30'000);

        const QString stopped = PgRig::stopServer();
        QVERIFY2(stopped.isEmpty(), qPrintable(stopped));
        // Ten raw blocks per metric and their aggregates: far over the memory cap.
        for (; ts < T0 + 6300 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            stamps.append(ts);
            // A real run appends one snapshot a second and the writer spills every
            // flush; this burst lets it catch up every few hundred.
            if ((ts - T0) % (300 * StepMs) == 0)
                store.flushSync();
        }
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Degraded &&
                                      store.status().spooledBlocks > 0,
                                  qPrintable(describe(store.status())), 30'000);
        QVERIFY(QFileInfo(options.spoolPath).size() > 0);

        const QString started = PgRig::startServer();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()) && store.status().spooledBlocks == 0,
                                  qPrintable(describe(store.status())), ReturnTimeoutMs);
        QCOMPARE(store.status().droppedPoints, 0);
        verifyExactlyOnce(url, options.host, stamps);
    }

    void spoolSurvivesRestart()
    {
        QString error;
        const QString url = PgRig::freshDatabase(u"outage_restart"_s, &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));

        StoreOptions options;
        QVERIFY2(StoreOptions::fromUrl(url, &options, &error), qPrintable(error));
        options.host = u"restart-host"_s;
        options.flushIntervalMs = 100;
        options.spoolMemoryBytes = 16 * 1024;
        options.spoolPath = m_dir.filePath(u"restart-spool.sqlite"_s);

        const QString stopped = PgRig::stopServer();
        QVERIFY2(stopped.isEmpty(), qPrintable(stopped));
        QList<qint64> stamps;
        {
            // A run that never sees the server, then shuts down cleanly.
            HistoryStore store(options);
            QVERIFY2(store.open(&error), qPrintable(error));
            for (qint64 ts = T0; ts < T0 + 2000 * StepMs; ts += StepMs) {
                store.append(snapshotAt(m_catalog, options.host, ts));
                stamps.append(ts);
                if ((ts - T0) % (300 * StepMs) == 0)
                    store.flushSync(); // the pace of a real run, see above
            }
            store.flush();
            QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Degraded,
                                      qPrintable(describe(store.status())), 30'000);
            QVERIFY2(store.status().spooledBlocks > 0, qPrintable(describe(store.status())));
            QCOMPARE(store.status().droppedPoints, 0);
        }
        QVERIFY(QFileInfo(options.spoolPath).size() > 0);

        const QString started = PgRig::startServer();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        // The next run replays the spool file by itself (series it has not seen
        // yet included), then carries on.
        HistoryStore store(options);
        QVERIFY2(store.open(&error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()) && store.status().spooledBlocks == 0,
                                  qPrintable(describe(store.status())), ReturnTimeoutMs);
        verifyExactlyOnce(url, options.host, stamps);
        for (qint64 ts = T0 + 2000 * StepMs; ts < T0 + 2100 * StepMs; ts += StepMs) {
            store.append(snapshotAt(m_catalog, options.host, ts));
            stamps.append(ts);
        }
        store.flush();
        QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()) && store.status().spooledBlocks == 0,
                                  qPrintable(describe(store.status())), ReturnTimeoutMs);
        QCOMPARE(store.status().droppedPoints, 0);
        verifyExactlyOnce(url, options.host, stamps);
    }

    void damagedSpoolFileIsLeftAlone()
    {
        QString error;
        const QString url = PgRig::freshDatabase(u"outage_badspool"_s, &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));

        StoreOptions options;
        QVERIFY2(StoreOptions::fromUrl(url, &options, &error), qPrintable(error));
        options.host = u"badspool-host"_s;
        options.flushIntervalMs = 100;
        options.spoolPath = m_dir.filePath(u"bad-spool.sqlite"_s);
        QByteArray garbage;
        for (int i = 0; i < 4096; ++i)
            garbage.append(char((i * 131) % 256));
        {
            QFile f(options.spoolPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(garbage);
        }
        auto fileBytes = [&] {
            QFile f(options.spoolPath);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };

        QList<qint64> stamps;
        {
            // The spool file is not usable, the store is: it writes, and rides out a
            // short outage in memory, without ever writing over the file.
            HistoryStore store(options);
            QVERIFY2(store.open(&error), qPrintable(error));
            qint64 ts = T0;
            for (; ts < T0 + 100 * StepMs; ts += StepMs) {
                store.append(snapshotAt(m_catalog, options.host, ts));
                stamps.append(ts);
            }
            store.flush();
            QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                      30'000);

            const QString stopped = PgRig::stopServer();
            QVERIFY2(stopped.isEmpty(), qPrintable(stopped));
            for (; ts < T0 + 800 * StepMs; ts += StepMs) {
                store.append(snapshotAt(m_catalog, options.host, ts));
                stamps.append(ts);
            }
            store.flush();
            QTRY_VERIFY2_WITH_TIMEOUT(store.status().state == StoreStatus::State::Degraded,
                                      qPrintable(describe(store.status())), 30'000);
            QCOMPARE(fileBytes(), garbage);
            const QString started = PgRig::startServer();
            QVERIFY2(started.isEmpty(), qPrintable(started));
            QTRY_VERIFY2_WITH_TIMEOUT(settled(store.status()), qPrintable(describe(store.status())),
                                      ReturnTimeoutMs);
            QCOMPARE(store.status().droppedPoints, 0);
        }
        QCOMPARE(fileBytes(), garbage);
        verifyExactlyOnce(url, options.host, stamps);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStoreOutage)
#include "tst_historystore_outage.moc"
