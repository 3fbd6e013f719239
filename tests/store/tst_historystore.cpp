// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlockCodec.h"
#include "HistoryStore.h"
#include "StoreBuffer.h"
#include "StoreDatabase.h"
#include "StoreWriter.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <sys/resource.h>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Day = 24LL * 3600 * 1000;
constexpr qint64 T0 = 1'794'999'600'000; // 2026-11-18 20:20 UTC, a whole hour

// The backend under test: PostgreSQL when the PostgreSQL fixture gives a
// URL (TIDEWATCH_TEST_PG_URL, or a file named by TIDEWATCH_TEST_PG_URL_FILE),
// else a fresh SQLite file per test case.
QString postgresUrl()
{
    QString url = qEnvironmentVariable("TIDEWATCH_TEST_PG_URL");
    if (url.isEmpty()) {
        QFile f(qEnvironmentVariable("TIDEWATCH_TEST_PG_URL_FILE"));
        if (!f.fileName().isEmpty() && f.open(QIODevice::ReadOnly))
            url = QString::fromUtf8(f.readAll()).trimmed();
    }
    return url;
}

MetricInfo gauge(const QString &id, const QString &unit = u"%"_s)
{
    return {id, id, unit, 0, 100, MetricKind::Gauge, {}};
}

CatalogPtr makeCatalog(int gauges)
{
    QList<MetricInfo> infos;
    for (int i = 0; i < gauges; ++i)
        infos.append(gauge(u"g.%1"_s.arg(i, 2, 10, QChar(u'0')),
                           i == 1 ? QString() : u"%"_s)); // a count has no unit
    infos.append({u"c.total"_s, u"total"_s, u"B"_s, 0, qQNaN(), MetricKind::Counter, {}});
    return std::make_shared<const MetricCatalog>(infos);
}

SnapshotPtr snap(const CatalogPtr &catalog, const QString &host, qint64 ts, QList<double> values)
{
    auto s = std::make_shared<Snapshot>();
    s->host = host;
    s->ts = ts;
    s->catalog = catalog;
    while (values.size() < catalog->size())
        values.append(values.isEmpty() ? 0.0 : values.last());
    s->values = std::move(values);
    return s;
}

// The value of gauge g at time ts: a smooth wave, deterministic.
double wave(int g, qint64 ts)
{
    return 50 + 20 * std::sin(double(ts) / 600'000.0 + g) + g;
}

// What the store keeps of it: g.01 has no unit (3 decimals), the rest are % (2).
double stored(int g, qint64 ts)
{
    return roundToDecimals(wave(g, ts), g == 1 ? 3 : 2);
}

void feed(HistoryStore &store, const CatalogPtr &catalog, const QString &host, qint64 from,
          qint64 to, qint64 step, int flushEvery = 0)
{
    int n = 0;
    const int gauges = int(catalog->size()) - 1;
    for (qint64 t = from; t <= to; t += step) {
        QList<double> v;
        for (int g = 0; g < gauges; ++g)
            v.append(wave(g, t));
        v.append(double(t)); // the counter: never stored
        store.append(snap(catalog, host, t, v));
        if (flushEvery > 0 && ++n % flushEvery == 0)
            store.flushSync();
    }
}

qint64 countRows(const QString &url, const QString &sql)
{
    store::StoreLocation loc;
    QString error;
    if (!store::parseLocation(url, &loc, &error))
        qFatal("%s", qPrintable(error));
    QSqlDatabase db;
    qint64 n = -1;
    if (store::openConnection(loc, u"tst-count"_s, &db, &error)) {
        QSqlQuery q(db);
        if (q.exec(sql) && q.next())
            n = q.value(0).toLongLong();
        else
            qWarning("%s", qPrintable(q.lastError().text()));
    } else {
        qWarning("%s", qPrintable(error));
    }
    store::dropConnection(&db);
    return n;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestHistoryStore final : public QObject
{
    Q_OBJECT

    QString m_pg;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_url;

    bool isPostgres() const { return !m_pg.isEmpty(); }

    StoreOptions options(qint64 flushMs = 3'600'000) const
    {
        StoreOptions o;
        o.url = m_url;
        o.host = u"here"_s;
        o.flushIntervalMs = int(flushMs);                 // tests flush themselves
        o.spoolPath = m_dir->filePath(u"spool.sqlite"_s); // never the user's folder
        return o;
    }

    void resetPostgres()
    {
        store::StoreLocation loc;
        QString error;
        QVERIFY(store::parseLocation(m_pg, &loc, &error));
        QSqlDatabase db;
        QVERIFY2(store::openConnection(loc, u"tst-reset"_s, &db, &error), qPrintable(error));
        QSqlQuery q(db);
        QVERIFY2(q.exec(u"DROP TABLE IF EXISTS blocks, series, metrics, hosts, meta"_s),
                 qPrintable(q.lastError().text()));
        store::dropConnection(&db);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // defaults never touch the user's files
        m_pg = postgresUrl();
        qInfo("backend: %s", isPostgres() ? "postgresql" : "sqlite");
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        if (isPostgres()) {
            resetPostgres();
            m_url = m_pg;
        } else {
            m_url = m_dir->filePath(u"history.sqlite"_s);
        }
    }

    void urlsAreValidated_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("ok");
        QTest::newRow("default") << QString() << true;
        QTest::newRow("path") << u"/tmp/x/history.sqlite"_s << true;
        QTest::newRow("sqlite:/") << u"sqlite:/tmp/h.sqlite"_s << true;
        QTest::newRow("sqlite:///") << u"sqlite:///tmp/h.sqlite"_s << true;
        QTest::newRow("postgresql") << u"postgresql://u:p@db.example:5433/tw"_s << true;
        QTest::newRow("no database") << u"postgresql://u:p@db.example:5433/"_s << false;
        QTest::newRow("other scheme") << u"mysql://u@h/db"_s << false;
        QTest::newRow("empty sqlite") << u"sqlite:"_s << false;
    }
    void urlsAreValidated()
    {
        QFETCH(QString, url);
        QFETCH(bool, ok);
        StoreOptions o;
        QString error;
        QCOMPARE(StoreOptions::fromUrl(url, &o, &error), ok);
        QCOMPARE(error.isEmpty(), ok);
        if (ok)
            QCOMPARE(o.url, url);
    }

    void passwordNeverShown()
    {
        StoreOptions o;
        o.url = u"postgresql://me:secret@db.example:5433/tw"_s;
        HistoryStore store(o);
        const StoreStatus s = store.status();
        QCOMPARE(s.backend, u"postgresql"_s);
        QCOMPARE(s.location, u"db.example:5433/tw"_s);
    }

    void writeAndQueryRaw()
    {
        auto catalog = makeCatalog(3);
        {
            HistoryStore store(options());
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
            QCOMPARE(store.status().state, StoreStatus::State::Ok);
            feed(store, catalog, u"here"_s, T0, T0 + 599'000, 1000);
            store.flushSync();
            const StoreStatus st = store.status();
            QCOMPARE(st.writtenPoints, 3 * 600);
            QCOMPARE(st.pendingPoints, 0);
        }
        // A new store reads what the first one wrote.
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 599'000;
        req.maxPoints = 1000;
        const HistoryResult r = store.querySync(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.tier, StoreTier::Raw);
        QCOMPARE(r.stepMs, 0);
        QCOMPARE(r.series.size(), 3); // the counter is not stored
        QCOMPARE(r.ts.size(), 600);
        QCOMPARE(r.ts.first(), T0);
        for (const HistorySeries &s : r.series) {
            const int g = s.id.mid(2).toInt();
            for (int i = 0; i < 600; i += 37)
                QCOMPARE(s.avg.at(i), stored(g, T0 + i * 1000));
        }
        req.patterns = {u"g.01"_s};
        const HistoryResult one = store.querySync(req);
        QCOMPARE(one.series.size(), 1);
        QCOMPARE(one.series.first().id, u"g.01"_s);
    }

    void queryIncludesUnwrittenPoints()
    {
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(2);
        feed(store, catalog, u"here"_s, T0, T0 + 9000, 1000);
        QCOMPARE(store.status().pendingPoints, 20);
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 9000;
        HistoryResult r = store.querySync(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.ts.size(), 10);
        QCOMPARE(r.series.at(1).avg.last(), stored(1, T0 + 9000));
        // Half written, half not: still every point, once.
        store.flushSync();
        feed(store, catalog, u"here"_s, T0 + 10'000, T0 + 19'000, 1000);
        req.toTs = T0 + 19'000;
        r = store.querySync(req);
        QCOMPARE(r.ts.size(), 20);
        for (int i = 1; i < r.ts.size(); ++i)
            QCOMPARE(r.ts.at(i) - r.ts.at(i - 1), 1000);
    }

    // Raw times are stored to 100 ms; a query's exact bounds must still find
    // every sample whose exact time lies within them (a WebSocket back-fill
    // whose `to` is the newest sample's time).
    // The outage spool's file is created only when blocks spill to it.
    void spoolFileOnlyWhenNeeded()
    {
        if (!isPostgres())
            QSKIP("the spool is used with PostgreSQL only (tst_historystore_pg)");
        const StoreOptions o = options();
        {
            HistoryStore store(o);
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
            feed(store, makeCatalog(2), u"here"_s, T0, T0 + 9000, 1000);
            store.flushSync();
            QCOMPARE(store.status().state, StoreStatus::State::Ok);
            QCOMPARE(store.status().pendingPoints, 0);
        }
        QVERIFY2(!QFile::exists(o.spoolPath), qPrintable(o.spoolPath));
    }

    // Blocks replayed from the outage spool come back without their sealed
    // flag; marking them written must not leave one count entry per block.
    void replayedBlocksLeaveNoCounts()
    {
        store::StoreBuffer buffer(u"here"_s, 64LL * 1024 * 1024);
        auto catalog = makeCatalog(2);
        const int rounds = 5;
        qint64 t = T0;
        qint64 written = 0;
        for (int r = 0; r < rounds; ++r) {
            // An outage: everything goes to the spool ...
            for (int i = 0; i < 1300; ++i, t += 1000)
                buffer.append(*snap(catalog, u"here"_s, t, {wave(0, t), wave(1, t), 0.0}));
            const QList<store::PendingBlock> spooled = buffer.takePending();
            // ... and is replayed as drainSpool does: version 0, not sealed.
            QList<store::PendingBlock> replayed;
            for (const store::PendingBlock &p : spooled)
                replayed.append(store::PendingBlock{p.block, 0, false});
            buffer.markWritten(replayed, t);
            written += 2 * 1300;
            QCOMPARE(buffer.writtenPoints(), written);
        }
        // Only the two open blocks (they will be written again) keep a count.
        QVERIFY2(buffer.writtenCountEntries() <= 2,
                 qPrintable(QString::number(buffer.writtenCountEntries())));
    }

    // Two processes with the same default spool would share one file: the
    // default is unique per database target and host, and never shows the password.
    void defaultSpoolPathIsPerTargetAndHost()
    {
        using store::StoreWriter;
        const QString a =
            StoreWriter::defaultSpoolPath(u"postgresql://u:one@db:5432/tw"_s, u"h1"_s);
        QVERIFY(!a.isEmpty());
        QVERIFY2(
            a.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u'/'),
            qPrintable(a));
        QVERIFY2(QFileInfo(a).fileName().startsWith(u"spool-"_s), qPrintable(a));
        QVERIFY2(!a.contains(u"one"_s), qPrintable(a));
        // The password is not part of the target.
        QCOMPARE(StoreWriter::defaultSpoolPath(u"postgresql://u:two@db:5432/tw"_s, u"h1"_s), a);
        QVERIFY(StoreWriter::defaultSpoolPath(u"postgresql://u:one@db:5432/tw"_s, u"h2"_s) != a);
        QVERIFY(StoreWriter::defaultSpoolPath(u"postgresql://u:one@db:5432/other"_s, u"h1"_s) != a);
        QVERIFY(StoreWriter::defaultSpoolPath(u"postgresql://u:one@db2:5432/tw"_s, u"h1"_s) != a);
    }

    void queryBoundsMatchRoundedTimes()
    {
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(1);
        const qint64 first = T0 + 60; // off the 100 ms grid: stored as T0 + 100
        const qint64 newest = first + 9000;
        feed(store, catalog, u"here"_s, first, newest, 1000);
        HistoryRequest req;
        req.fromTs = first;
        req.toTs = newest;
        for (int pass = 0; pass < 2; ++pass) { // in memory, then written
            const HistoryResult r = store.querySync(req);
            QVERIFY2(r.ok, qPrintable(r.error));
            QCOMPARE(r.tier, StoreTier::Raw);
            QCOMPARE(r.ts.size(), 10);
            QCOMPARE(r.ts.first(), T0 + 100);
            QCOMPARE(r.ts.last(), newest + 40);
            QCOMPARE(r.series.first().avg.last(), stored(0, newest));
            // Bucketed: the newest sample lands in the last bucket.
            HistoryRequest few = req;
            few.maxPoints = 5;
            const HistoryResult b = store.querySync(few);
            QVERIFY2(b.ok, qPrintable(b.error));
            QCOMPARE(b.series.first().max.last(),
                     std::max(stored(0, newest), stored(0, newest - 1000)));
            QVERIFY(!std::isnan(b.series.first().avg.first()));
            store.flushSync();
        }
    }

    void tiersAcrossDaysKeepSpikes()
    {
        StoreOptions o = options();
        o.rawRetentionMs = Day;
        HistoryStore store(o);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(2);
        const qint64 spikeTs = T0 + Day + 7 * 3'600'000 + 123 * 10'000; // one sample, day 2
        int n = 0;
        for (qint64 t = T0; t < T0 + 3 * Day; t += 10'000) {
            const double v0 = t == spikeTs ? 1000.0 : 10.0;
            store.append(snap(catalog, u"here"_s, t, {v0, wave(1, t), 0}));
            if (++n % 2000 == 0)
                store.flushSync();
        }
        store.flushSync();

        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 3 * Day - 1;
        req.maxPoints = 1000;
        HistoryResult r = store.querySync(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.tier, StoreTier::Minute); // 4320 minutes >= 1000, 72 hours are not
        QVERIFY(r.stepMs % 60'000 == 0);
        QVERIFY(r.ts.size() <= 1000);
        const HistorySeries &flat = r.series.at(0);
        QCOMPARE(flat.id, u"g.00"_s);
        double top = 0;
        qsizetype topAt = -1;
        for (qsizetype i = 0; i < flat.max.size(); ++i) {
            if (flat.max.at(i) > top) {
                top = flat.max.at(i);
                topAt = i;
            }
        }
        QCOMPARE(top, 1000.0); // the spike survives in max
        QVERIFY(r.ts.at(topAt) <= spikeTs && spikeTs < r.ts.at(topAt) + r.stepMs);
        QVERIFY(flat.avg.at(topAt) < 1000.0); // and is averaged away in avg
        QCOMPARE(flat.min.at(topAt), 10.0);

        req.maxPoints = 50;
        r = store.querySync(req);
        QCOMPARE(r.tier, StoreTier::Hour);
        QVERIFY(r.ts.size() <= 50);
        double hourTop = 0;
        for (double v : std::as_const(r.series.at(0).max))
            hourTop = std::max(hourTop, v);
        QCOMPARE(hourTop, 1000.0);

        // Within the raw window: raw. Before it: the minute tier answers.
        req.maxPoints = 600;
        req.fromTs = T0 + 3 * Day - 3'600'000;
        r = store.querySync(req);
        QCOMPARE(r.tier, StoreTier::Raw);
        QCOMPARE(r.ts.size(), 360);
        req.fromTs = T0 + 3'600'000;
        req.toTs = T0 + 2 * 3'600'000 - 1;
        r = store.querySync(req);
        QCOMPARE(r.tier, StoreTier::Minute);
        QCOMPARE(r.stepMs, 60'000);
        QCOMPARE(r.ts.size(), 60);
        for (double v : std::as_const(r.series.at(0).avg))
            QCOMPARE(v, 10.0);
    }

    void retentionPrunesIncrementally()
    {
        StoreOptions o = options();
        o.rawRetentionMs = Day;
        o.minuteRetentionMs = 2 * Day;
        HistoryStore store(o);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(30);
        // 3 days at 10 s, flushed as it goes: pruning keeps up with it.
        feed(store, catalog, u"here"_s, T0, T0 + 3 * Day, 10'000, 5000);
        store.flushSync();
        const qint64 newest = T0 + 3 * Day;
        auto expired = [&](int tier, qint64 retention) {
            return countRows(
                m_url,
                u"SELECT COUNT(*) FROM blocks WHERE tier = %1 AND end_ts < %2"_s.arg(tier).arg(
                    newest - retention));
        };
        QCOMPARE(expired(0, Day), 0);
        QCOMPARE(expired(1, 2 * Day), 0);
        QVERIFY(countRows(m_url, u"SELECT COUNT(*) FROM blocks WHERE tier = 0"_s) > 0);
        QVERIFY(countRows(m_url, u"SELECT COUNT(*) FROM blocks WHERE tier = 2"_s) > 0);
        // Hours are kept (2 years): the first hour is still there.
        QVERIFY(countRows(
                    m_url,
                    u"SELECT COUNT(*) FROM blocks WHERE tier = 2 AND start_ts = %1"_s.arg(T0)) > 0);
    }

    void pruningIsBounded()
    {
        // Write 3 days with no retention pressure, then reopen with a short
        // raw retention: each flush deletes at most PruneBatchBlocks per tier.
        auto catalog = makeCatalog(30);
        {
            StoreOptions o = options();
            o.rawRetentionMs = 30 * Day;
            HistoryStore store(o);
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
            feed(store, catalog, u"here"_s, T0, T0 + 3 * Day, 10'000, 5000);
        }
        const QString sql =
            u"SELECT COUNT(*) FROM blocks WHERE tier = 0 AND end_ts < %1"_s.arg(T0 + 3 * Day - Day);
        const qint64 before = countRows(m_url, sql);
        QVERIFY2(before > store::StoreWriter::PruneBatchBlocks,
                 qPrintable(QString::number(before)));
        StoreOptions o = options();
        o.rawRetentionMs = Day;
        HistoryStore store(o);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        feed(store, catalog, u"here"_s, T0 + 3 * Day + 10'000, T0 + 3 * Day + 10'000, 10'000);
        store.flushSync();
        const qint64 after1 = countRows(m_url, sql);
        QCOMPARE(after1, before - store::StoreWriter::PruneBatchBlocks);
        for (int i = 0; i < 10 && countRows(m_url, sql) > 0; ++i)
            store.flushSync();
        QCOMPARE(countRows(m_url, sql), 0);
    }

    void multipleHosts()
    {
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(1);
        for (int i = 0; i < 10; ++i) {
            store.append(snap(catalog, u"alpha"_s, T0 + i * 1000, {1.0, 0}));
            store.append(snap(catalog, u"beta"_s, T0 + i * 1000, {2.0, 0}));
        }
        store.append(snap(catalog, QString(), T0, {3.0, 0})); // no host: the store's
        store.flushSync();
        QCOMPARE(store.hosts(), (QStringList{u"alpha"_s, u"beta"_s, u"here"_s}));
        HistoryRequest req;
        req.host = u"beta"_s;
        req.fromTs = T0;
        req.toTs = T0 + 9000;
        HistoryResult r = store.querySync(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.series.size(), 1);
        QCOMPARE(r.ts.size(), 10);
        for (double v : std::as_const(r.series.first().avg))
            QCOMPARE(v, 2.0);
        req.host = QString();
        r = store.querySync(req);
        QCOMPARE(r.ts.size(), 1);
        QCOMPARE(r.series.first().avg.first(), 3.0);
    }

    void badRequestsGetErrors()
    {
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 1000;
        req.maxPoints = 0;
        HistoryResult r = store.querySync(req);
        QVERIFY(!r.ok);
        QVERIFY(r.error.contains(u"maxPoints"_s));
        req.maxPoints = 100;
        req.toTs = T0 - 1;
        r = store.querySync(req);
        QVERIFY(!r.ok);
        QVERIFY(!r.error.isEmpty());
    }

    void asyncQueryAnswersInContextThread()
    {
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        feed(store, makeCatalog(1), u"here"_s, T0, T0 + 4000, 1000);
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 4000;
        QObject context;
        HistoryResult got;
        bool called = false;
        store.query(req, &context, [&](const HistoryResult &r) {
            QCOMPARE(QThread::currentThread(), context.thread());
            got = r;
            called = true;
        });
        QTRY_VERIFY(called);
        QVERIFY(got.ok);
        QCOMPARE(got.ts.size(), 5);
    }

    void keepsDocumentedPrecision()
    {
        // Timestamps to 100 ms, "%" to 2 decimals, bytes whole, NaN skipped.
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = std::make_shared<const MetricCatalog>(
            QList<MetricInfo>{gauge(u"p"_s), gauge(u"b"_s, u"B"_s)});
        store.append(snap(catalog, u"here"_s, T0 + 37, {12.34567, 1024.6}));
        store.append(snap(catalog, u"here"_s, T0 + 1051, {qQNaN(), 2048.0}));
        // Within the same 100 ms step as b's last sample: b keeps the exact time.
        store.append(snap(catalog, u"here"_s, T0 + 1130, {1.0, 7.0}));
        store.flushSync();
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 2000;
        const HistoryResult r = store.querySync(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.ts, (QList<qint64>{T0, T0 + 1100, T0 + 1130}));
        QCOMPARE(r.series.at(0).id, u"b"_s);
        QCOMPARE(r.series.at(0).avg, (QList<double>{1025.0, 2048.0, 7.0}));
        QCOMPARE(r.series.at(1).avg.at(0), 12.35);
        QCOMPARE(r.series.at(1).avg.at(1), 1.0); // p's first sample in that step
        QVERIFY(std::isnan(r.series.at(1).avg.at(2)));
    }

    void outOfOrderPointsAreCountedNotStored()
    {
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(1);
        store.append(snap(catalog, u"here"_s, T0 + 1000, {1.0, 0}));
        store.append(snap(catalog, u"here"_s, T0, {2.0, 0})); // clock stepped back
        QCOMPARE(store.status().droppedPoints, 1);
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 1000;
        const HistoryResult r = store.querySync(req);
        QCOMPARE(r.ts, (QList<qint64>{T0 + 1000}));
    }

    void reopenAfterUncleanShutdown()
    {
        if (isPostgres())
            QSKIP("SQLite files only");
        // What a crash leaves: the database file and its WAL as they were
        // while the store was running, copied without closing it.
        const QString crashed = m_dir->filePath(u"crashed.sqlite"_s);
        HistoryStore store(options());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(5);
        feed(store, catalog, u"here"_s, T0, T0 + 999'000, 1000);
        store.flushSync();
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
            if (QFile::exists(m_url + suffix))
                QVERIFY(QFile::copy(m_url + suffix, crashed + suffix));
        }
        QVERIFY(QFile::exists(crashed + u"-wal"_s)); // the unclean part
        StoreOptions o = options();
        o.url = crashed;
        HistoryStore again(o);
        QVERIFY2(again.open(&error), qPrintable(error));
        QCOMPARE(countRows(crashed, u"SELECT COUNT(*) FROM blocks WHERE tier = 0"_s) > 0, true);
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 999'000;
        HistoryResult r = again.querySync(req);
        QCOMPARE(r.ts.size(), 1000);
        QCOMPARE(r.series.size(), 5);
        feed(again, catalog, u"here"_s, T0 + 1'000'000, T0 + 1'099'000, 1000);
        again.flushSync();
        QCOMPARE(again.status().state, StoreStatus::State::Ok);
        req.toTs = T0 + 1'099'000;
        r = again.querySync(req);
        QCOMPARE(r.tier, StoreTier::Raw);
        QCOMPARE(r.ts.size(), 1000); // 1100 points, bucketed to <= 1000
        QVERIFY(r.stepMs > 0);
        QCOMPARE(r.series.at(0).max.last(), stored(0, T0 + 1'099'000));
    }

    void killNineMidWrite()
    {
        if (isPostgres())
            QSKIP("the SQLite crash test; PostgreSQL has its own outage test");
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QStringLiteral(STORE_WRITER_CHILD), {m_url, QString::number(T0)});
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        qint64 flushedTs = 0;
        int flushes = 0;
        QByteArray pending;
        // Let it write for a while: some synchronous flushes plus the
        // writer's own every 20 ms, so the kill lands during writes.
        while (flushes < 15) {
            QVERIFY2(child.waitForReadyRead(30'000), "child stopped writing");
            pending += child.readAll();
            qsizetype nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                const QByteArray line = pending.left(nl);
                pending.remove(0, nl + 1);
                if (line.startsWith("flushed ")) {
                    flushedTs = line.mid(8).toLongLong();
                    ++flushes;
                }
            }
        }
        QCOMPARE(::kill(pid_t(child.processId()), SIGKILL), 0);
        QVERIFY(child.waitForFinished(10'000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QVERIFY(flushedTs > T0);

        // Consistent on disk (the first connection recovers the WAL).
        store::StoreLocation loc;
        QString error;
        QVERIFY(store::parseLocation(m_url, &loc, &error));
        QSqlDatabase db;
        QVERIFY2(store::openConnection(loc, u"tst-integrity"_s, &db, &error), qPrintable(error));
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA integrity_check"_s));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), u"ok"_s);
        }
        store::dropConnection(&db);

        // Everything flushed before the kill is there, and writing goes on.
        StoreOptions o = options();
        o.host = u"child"_s;
        HistoryStore store(o);
        QVERIFY2(store.open(&error), qPrintable(error));
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = flushedTs;
        req.maxPoints = 10000;
        req.patterns = {u"m.7"_s};
        HistoryResult r = store.querySync(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        const qint64 expected = (flushedTs - T0) / 1000 + 1;
        if (expected <= 10000) {
            QCOMPARE(r.ts.size(), expected);
        } else {
            qint64 total = 0;
            QCOMPARE(r.series.size(), 1);
            // Bucketed: every bucket full means no point is missing.
            for (double v : std::as_const(r.series.first().avg))
                total += std::isnan(v) ? 0 : 1;
            QCOMPARE(total, qint64(r.ts.size()));
        }
        const qint64 after = countRows(m_url, u"SELECT MAX(end_ts) FROM blocks WHERE tier = 0"_s);
        auto catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{gauge(u"m.7"_s)});
        for (int i = 1; i <= 100; ++i)
            store.append(snap(catalog, u"child"_s, after + i * 1000, {double(i)}));
        store.flushSync();
        QCOMPARE(store.status().state, StoreStatus::State::Ok);
        QCOMPARE(store.status().writtenPoints, 100);
    }

    void corruptOrForeignFileIsRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("text file") << u"text"_s;
        QTest::newRow("foreign sqlite") << u"foreign"_s;
        QTest::newRow("damaged page") << u"damaged"_s;
        QTest::newRow("truncated") << u"truncated"_s;
        QTest::newRow("newer schema") << u"newer"_s;
    }
    void corruptOrForeignFileIsRefused()
    {
        if (isPostgres())
            QSKIP("SQLite files only");
        QFETCH(QString, kind);
        const QString path = m_dir->filePath(u"victim.sqlite"_s);
        if (kind == u"text"_s) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("my notes, not a database\n").repeated(200));
        } else if (kind == u"foreign"_s) {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst-foreign"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE users (name TEXT)"_s));
            QVERIFY(q.exec(u"INSERT INTO users VALUES ('ada')"_s));
            q.finish();
            store::dropConnection(&db);
        } else {
            {
                StoreOptions o = options();
                o.url = path;
                HistoryStore store(o);
                QString error;
                QVERIFY2(store.open(&error), qPrintable(error));
                feed(store, makeCatalog(40), u"here"_s, T0, T0 + 3 * 3'600'000, 1000);
            }
            QVERIFY(!QFile::exists(path + u"-wal"_s)); // checkpointed on close
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            if (kind == u"damaged"_s) {
                // Garbage over the middle of the file, pages' headers included.
                QVERIFY(f.size() > 64 * 1024);
                f.seek(f.size() / 2 - (f.size() / 2) % 4096);
                f.write(QByteArray(3 * 4096, '\x5a'));
            } else if (kind == u"truncated"_s) {
                QVERIFY(f.resize(f.size() / 3 - (f.size() / 3) % 4096));
            } else {
                f.close();
                QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst-newer"_s);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(u"UPDATE meta SET value = '99' WHERE key = 'schema_version'"_s));
                QVERIFY(q.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s));
                q.finish();
                store::dropConnection(&db);
            }
        }
        const QByteArray before = fileBytes(path);
        QVERIFY(!before.isEmpty());
        StoreOptions o = options();
        o.url = path;
        HistoryStore store(o);
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY2(error.contains(path), qPrintable(error));
        qInfo("%s", qPrintable(error));
        QCOMPARE(fileBytes(path), before); // untouched
        QCOMPARE(store.status().state, StoreStatus::State::Off);
    }

    void writeErrorDegradesThenRecovers()
    {
        if (isPostgres())
            QSKIP("SQLite files only; PostgreSQL outages are tst_historystore_outage");
        // A real write failure without root or a small filesystem: the
        // process's file size limit (writes beyond it fail with EFBIG).
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        HistoryStore store(options(50));
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(20);
        feed(store, catalog, u"here"_s, T0, T0 + 599'000, 1000);
        store.flushSync();
        QCOMPARE(store.status().state, StoreStatus::State::Ok);

        rlimit tiny = saved;
        tiny.rlim_cur = 4096;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &tiny), 0);
        feed(store, catalog, u"here"_s, T0 + 600'000, T0 + 1'199'000, 1000);
        store.flushSync();
        const StoreStatus bad = store.status();
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &saved), 0); // before any QVERIFY can return
        QCOMPARE(bad.state, StoreStatus::State::Degraded);
        QVERIFY2(bad.message.contains(m_url), qPrintable(bad.message));
        QVERIFY(bad.pendingPoints >= 20 * 600);
        qInfo("%s", qPrintable(bad.message));
        // The feed goes on and queries still see the unwritten points.
        feed(store, catalog, u"here"_s, T0 + 1'200'000, T0 + 1'259'000, 1000);
        HistoryRequest req;
        req.fromTs = T0;
        req.toTs = T0 + 1'259'000;
        req.maxPoints = 10000;
        req.patterns = {u"g.03"_s};
        QCOMPARE(store.querySync(req).ts.size(), 1260);

        // The writer retries by itself once the disk has room again.
        QTRY_COMPARE_WITH_TIMEOUT(store.status().state, StoreStatus::State::Ok, 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(store.status().pendingPoints, 0, 20'000);
        QCOMPARE(store.status().writtenPoints, 20 * 1260);
        QCOMPARE(store.status().droppedPoints, 0);
        QCOMPARE(countRows(m_url, u"SELECT SUM(count) FROM blocks WHERE tier = 0"_s), 20 * 1260);
    }

    void writeErrorKeepsMemoryBounded()
    {
        if (isPostgres())
            QSKIP("SQLite files only; PostgreSQL spools instead");
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        StoreOptions o = options();
        o.spoolMemoryBytes = 16 * 1024;
        HistoryStore store(o);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto catalog = makeCatalog(20);
        feed(store, catalog, u"here"_s, T0, T0 + 9000, 1000);
        store.flushSync();
        rlimit tiny = saved;
        tiny.rlim_cur = 4096;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &tiny), 0);
        // 3 hours the database cannot take: far more than 16 KiB of blocks.
        feed(store, catalog, u"here"_s, T0 + 10'000, T0 + 3 * 3'600'000, 1000, 600);
        store.flushSync();
        const StoreStatus bad = store.status();
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &saved), 0);
        QCOMPARE(bad.state, StoreStatus::State::Degraded);
        QVERIFY(bad.droppedPoints > 0);
        const qint64 appended = 20 * (3 * 3600 + 1);
        QCOMPARE(bad.writtenPoints + bad.pendingPoints + bad.droppedPoints, appended);
        // Oldest dropped first: what is left is the newest, and it all arrives.
        store.flushSync();
        const StoreStatus good = store.status();
        QCOMPARE(good.state, StoreStatus::State::Ok);
        QCOMPARE(good.pendingPoints, 0);
        QCOMPARE(good.writtenPoints + good.droppedPoints, appended);
        QCOMPARE(countRows(m_url, u"SELECT SUM(count) FROM blocks WHERE tier = 0"_s),
                 good.writtenPoints);
        QCOMPARE(countRows(m_url, u"SELECT MAX(end_ts) FROM blocks WHERE tier = 0"_s),
                 T0 + 3 * 3'600'000);
    }

    void unwritableLocationIsAnError()
    {
        if (isPostgres())
            QSKIP("SQLite files only");
        const QString path = m_dir->filePath(u"file/history.sqlite"_s);
        QFile blocker(m_dir->filePath(u"file"_s)); // a file where the directory should be
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        StoreOptions o = options();
        o.url = path;
        HistoryStore store(o);
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY2(error.contains(path), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
