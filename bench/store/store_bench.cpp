// SPDX-License-Identifier: GPL-3.0-or-later
// The history store's figures (issue #5):
//   1. records the real default metric set of this machine through the
//      SamplingPass for --record-seconds at 1 Hz (or --synthetic);
//   2. replays 24 h of it at 1 Hz (ts from the recording's own jitter) into a
//      fresh SQLite file: insert throughput, then bytes per raw sample on disk;
//   3. codec alone: bytes per sample and decode cost by raw block size;
//   4. queries: 24 h of one metric to 1000 points, all metrics over 1 h to 600;
//   5. write cost at 1 Hz: CPU of the writer thread per 5 s flush.
// With --prefill FILE it only writes 24 h of this host's series, ending now,
// into FILE (the history a day-old tidewatchd has) and exits: bench/daemon-idle
// --database FILE then measures the daemon against a full day of history.
#include "BlockCodec.h"
#include "Clock.h"
#include "HistoryStore.h"
#include "Platform.h"
#include "Sampler.h"
#include "StoreBuffer.h"
#include "StoreDatabase.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

// A midnight UTC; --prefill moves it to 24 h before now.
qint64 T0 = 1'794'960'000'000;
QString g_host = u"bench"_s;

struct Recording
{
    CatalogPtr catalog;
    QList<QList<double>> values; // per tick
    QList<qint64> jitterMs;      // lateness behind the 1 s grid, per tick
};

Recording record(int seconds)
{
    Recording rec;
    SamplingPass pass(createCollectors(PlatformOptions{}), std::make_shared<SystemClock>(),
                      u"bench"_s);
    pass.prime();
    SystemClock clock;
    qint64 next = (clock.wallMs() / 1000 + 1) * 1000;
    for (int i = 0; i < seconds; ++i) {
        while (clock.wallMs() < next)
            QThread::usleep(std::max<qint64>(100, (next - clock.wallMs()) * 1000));
        const SnapshotPtr s = pass.run();
        rec.catalog = s->catalog;
        rec.values.append(s->values);
        rec.jitterMs.append(s->ts % 1000);
        next += 1000;
    }
    return rec;
}

// Stand-ins for the same metric set when recording is not wanted: noisy
// percentages, slowly moving byte levels, bursty rates, constants.
Recording synthesize(const Recording &shape, int seconds)
{
    Recording rec;
    rec.catalog = shape.catalog;
    QRandomGenerator rng(5);
    const qsizetype n = shape.catalog->size();
    QList<double> level(n);
    for (qsizetype m = 0; m < n; ++m)
        level[m] = double(rng.bounded(1, 1000)) * 1024 * 1024;
    for (int i = 0; i < seconds; ++i) {
        QList<double> v(n);
        for (qsizetype m = 0; m < n; ++m) {
            const MetricInfo &info = shape.catalog->at(m);
            if (info.unit == u"%"_s)
                v[m] =
                    std::clamp(10 + rng.generateDouble() * 5 + 3 * std::sin(i / 60.0), 0.0, 100.0);
            else if (info.kind == MetricKind::Rate)
                v[m] = rng.bounded(10) == 0 ? double(rng.bounded(1 << 20)) : 0.0;
            else if (info.unit == u"B"_s)
                v[m] = (level[m] += double(rng.bounded(-16, 17)) * 4096);
            else
                v[m] = double(m);
        }
        rec.values.append(v);
        rec.jitterMs.append(rng.bounded(3));
    }
    return rec;
}

qint64 storedMetricCount(const MetricCatalog &catalog)
{
    qint64 n = 0;
    for (const MetricInfo &info : catalog.metrics())
        n += info.kind == MetricKind::Counter ? 0 : 1;
    return n;
}

SnapshotPtr replayTick(const Recording &rec, qint64 k)
{
    const qsizetype j = qsizetype(k % rec.values.size());
    auto s = std::make_shared<Snapshot>();
    s->host = g_host;
    s->ts = T0 + k * 1000 + rec.jitterMs.at(j);
    s->seq = quint64(k + 1);
    s->catalog = rec.catalog;
    s->values = rec.values.at(j);
    return s;
}

// A replayed point as the store keeps it (docs/store.md): time to 100 ms,
// value to the unit's decimals.
qint64 storedTs(const Recording &rec, qint64 k)
{
    const qint64 step = store::StoreBuffer::TimeResolutionMs;
    const qint64 ts = T0 + k * 1000 + rec.jitterMs.at(qsizetype(k % rec.values.size()));
    return (ts + step / 2) / step * step;
}

double storedValue(const Recording &rec, qint64 k, qsizetype m)
{
    const double v = rec.values.at(qsizetype(k % rec.values.size())).at(m);
    return roundToDecimals(v, historyDecimals(rec.catalog->at(m).unit));
}

int decimalsOf(const Recording &rec, qsizetype m)
{
    return historyDecimals(rec.catalog->at(m).unit);
}

int shiftOf(const Recording &rec, qsizetype m) // as StoreBuffer chooses it
{
    return rec.catalog->at(m).unit == u"B"_s ? 12 : 0;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

// ns the thread named `name` of this process has run, from schedstat.
qint64 threadRunNs(const QString &name)
{
    const QStringList tasks =
        QDir(u"/proc/self/task"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &tid : tasks) {
        QFile comm(u"/proc/self/task/%1/comm"_s.arg(tid));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name.toUtf8())
            continue;
        QFile stat(u"/proc/self/task/%1/schedstat"_s.arg(tid));
        if (stat.open(QIODevice::ReadOnly))
            return stat.readAll().split(' ').value(0).toLongLong();
    }
    return -1;
}

qint64 threadCpuNs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    int recordSeconds = 120;
    int realtimeSeconds = 0;
    bool synthetic = false;
    QString prefill;
    for (int i = 1; i < args.size(); ++i) {
        if (args.at(i) == u"--record-seconds"_s && i + 1 < args.size())
            recordSeconds = args.at(++i).toInt();
        else if (args.at(i) == u"--realtime-seconds"_s && i + 1 < args.size())
            realtimeSeconds = args.at(++i).toInt();
        else if (args.at(i) == u"--synthetic"_s)
            synthetic = true;
        else if (args.at(i) == u"--prefill"_s && i + 1 < args.size())
            prefill = args.at(++i);
    }

    // 1. The series.
    Recording rec = record(synthetic ? 2 : recordSeconds);
    if (synthetic)
        rec = synthesize(rec, 3600);
    const qint64 metrics = storedMetricCount(*rec.catalog);
    std::printf("bench_store: %s, %lld ticks of %lld metrics (%lld stored: gauges and rates)\n",
                synthetic ? "synthetic series" : "recorded from this machine",
                static_cast<long long>(rec.values.size()),
                static_cast<long long>(rec.catalog->size()), static_cast<long long>(metrics));

    if (!prefill.isEmpty()) {
        // 24 h ending now, for this host, flushed hourly as the replay below.
        const qint64 ticks = 86'400;
        T0 = (QDateTime::currentMSecsSinceEpoch() / 1000 - ticks) * 1000;
        g_host = QSysInfo::machineHostName();
        StoreOptions options;
        options.url = prefill;
        options.host = g_host;
        options.flushIntervalMs = 3'600'000;
        bool ok = false;
        {
            HistoryStore store(options);
            QString error;
            if (!store.open(&error)) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
            for (qint64 k = 0; k < ticks; ++k) {
                store.append(replayTick(rec, k));
                if ((k + 1) % 3600 == 0)
                    store.flushSync();
            }
            store.flushSync();
            ok = store.status().state == StoreStatus::State::Ok;
        } // closed: the WAL is checkpointed into the file
        std::printf("prefill: 24 h of %lld series for host %s in %s (%lld bytes)\n",
                    static_cast<long long>(metrics), qPrintable(g_host), qPrintable(prefill),
                    static_cast<long long>(QFileInfo(prefill).size()));
        return ok ? 0 : 1;
    }

    QTemporaryDir dir;
    const QString file = dir.filePath(u"history.sqlite"_s);
    StoreOptions options;
    options.url = file;
    options.host = u"bench"_s;
    options.flushIntervalMs = 3'600'000; // the bench flushes itself

    // 2. 24 h replay: throughput, then size.
    const qint64 ticks = 86'400;
    {
        HistoryStore store(options);
        QString error;
        if (!store.open(&error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        QList<SnapshotPtr> snaps;
        snaps.reserve(ticks);
        for (qint64 k = 0; k < ticks; ++k)
            snaps.append(replayTick(rec, k));
        QElapsedTimer t;
        t.start();
        for (qint64 k = 0; k < ticks; ++k) {
            store.append(snaps.at(k));
            if ((k + 1) % 3600 == 0)
                store.flushSync(); // one transaction per simulated hour
        }
        store.flushSync();
        const double secs = double(t.nsecsElapsed()) / 1e9;
        const StoreStatus st = store.status();
        if (st.state != StoreStatus::State::Ok)
            std::printf("store state %d: %s\n", int(st.state), qPrintable(st.message));
        std::printf("\ninsert: %lld raw samples (24 h at 1 Hz) in %.2f s = %.0f samples/s "
                    "(append + encode + tiers + SQLite commit); written %lld\n",
                    static_cast<long long>(ticks * metrics), secs, double(ticks * metrics) / secs,
                    static_cast<long long>(st.writtenPoints));
    }
    const qint64 samples = ticks * metrics;
    const qint64 fileBytes = QFileInfo(file).size();
    std::printf("\nsize after 24 h: %lld bytes for %lld raw samples = %.3f bytes/sample "
                "(file, all tiers, indexes, free pages)\n",
                static_cast<long long>(fileBytes), static_cast<long long>(samples),
                double(fileBytes) / double(samples));
    {
        store::StoreLocation loc;
        QString error;
        store::parseLocation(file, &loc, &error);
        QSqlDatabase db;
        if (store::openConnection(loc, u"bench"_s, &db, &error)) {
            QSqlQuery q(db);
            q.exec(
                u"SELECT tier, COUNT(*), SUM(count), SUM(LENGTH(data)) FROM blocks GROUP BY tier"_s);
            while (q.next())
                std::printf("  tier %d: %lld blocks, %lld points, %lld data bytes = %.3f "
                            "bytes/point\n",
                            q.value(0).toInt(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                            q.value(3).toLongLong(), q.value(3).toDouble() / q.value(2).toDouble());
            q.finish();
            q.exec(u"PRAGMA page_count"_s);
            q.next();
            const qint64 pages = q.value(0).toLongLong();
            q.exec(u"PRAGMA page_size"_s);
            q.next();
            const qint64 pageSize = q.value(0).toLongLong();
            q.exec(u"PRAGMA freelist_count"_s);
            q.next();
            std::printf("  pages %lld of %lld B, free %lld\n", static_cast<long long>(pages),
                        static_cast<long long>(pageSize), q.value(0).toLongLong());
        }
        store::dropConnection(&db);
    }

    // 3. Codec alone, by raw block size, on the points as the store keeps
    // them: size against the cost to decode one hour of one metric.
    std::printf("\nraw block size (codec alone, same 24 h as stored; +40 B/row for key columns "
                "and index entry):\n");
    for (int blockPoints : {60, 120, 300, 600, 1200, 3600}) {
        qint64 bytes = 0, rows = 0;
        for (qsizetype m = 0; m < rec.catalog->size(); ++m) {
            if (rec.catalog->at(m).kind == MetricKind::Counter)
                continue;
            BlockEncoder enc(1, decimalsOf(rec, m), shiftOf(rec, m));
            for (qint64 k = 0; k < ticks; ++k) {
                const double v = storedValue(rec, k, m);
                if (std::isnan(v))
                    continue;
                enc.append(storedTs(rec, k), v);
                if (enc.count() == blockPoints) {
                    bytes += enc.encodedSize();
                    ++rows;
                    enc.clear();
                }
            }
            if (enc.count() > 0) {
                bytes += enc.encodedSize();
                ++rows;
            }
        }
        // Decode the blocks covering one hour of the first stored metric.
        qsizetype first = 0;
        while (rec.catalog->at(first).kind == MetricKind::Counter)
            ++first;
        BlockEncoder enc(1, decimalsOf(rec, first), shiftOf(rec, first));
        QList<QByteArray> blocks;
        for (qint64 k = 0; k < 3600 + blockPoints; ++k) {
            enc.append(storedTs(rec, k), storedValue(rec, k, first));
            if (enc.count() == blockPoints) {
                blocks.append(enc.data());
                enc.clear();
            }
        }
        QList<double> runs;
        for (int r = 0; r < 21; ++r) {
            QElapsedTimer t;
            t.start();
            DecodedBlock out;
            qint64 points = 0;
            for (const QByteArray &b : std::as_const(blocks)) {
                decodeBlock(b, &out, nullptr);
                points += out.ts.size();
            }
            runs.append(double(t.nsecsElapsed()) / 1e3);
            if (points == 0)
                return 1;
        }
        std::printf("  %5d points/block: %.3f bytes/sample data, %.3f with row overhead; "
                    "decode 1 h + 1 block of one metric %.0f us\n",
                    blockPoints, double(bytes) / double(samples),
                    double(bytes + rows * 40) / double(samples), median(runs));
    }

    // Where the bytes go, as stored: timestamps alone (a constant value
    // costs one bit per point), and the most expensive metrics.
    {
        QList<std::pair<double, QString>> perMetric;
        qint64 tsBytes = 0, tsPoints = 0;
        QList<qint64> jitter(10);
        for (qint64 j : std::as_const(rec.jitterMs))
            ++jitter[std::min<qint64>(j / 10, 9)];
        for (qsizetype m = 0; m < rec.catalog->size(); ++m) {
            if (rec.catalog->at(m).kind == MetricKind::Counter)
                continue;
            BlockEncoder enc(1, decimalsOf(rec, m), shiftOf(rec, m)), tsOnly(1, 0);
            qint64 bytes = 0, points = 0;
            for (qint64 k = 0; k < 3600; ++k) {
                const double v = storedValue(rec, k, m);
                if (std::isnan(v))
                    continue;
                enc.append(storedTs(rec, k), v);
                tsOnly.append(storedTs(rec, k), 0.0);
                ++points;
                if (enc.count() == 600) {
                    bytes += enc.encodedSize();
                    tsBytes += tsOnly.encodedSize();
                    enc.clear();
                    tsOnly.clear();
                }
            }
            tsPoints += points;
            perMetric.append(
                {double(bytes) / double(std::max<qint64>(1, points)), rec.catalog->at(m).id});
        }
        std::sort(perMetric.begin(), perMetric.end(), std::greater<>());
        std::printf("\ntimestamps alone: %.3f bytes/sample; lateness behind the 1 s grid "
                    "(10 ms bins, 0..90+):",
                    double(tsBytes) / double(std::max<qint64>(1, tsPoints)));
        for (qint64 c : std::as_const(jitter))
            std::printf(" %lld", static_cast<long long>(c));
        std::printf("\ncostliest metrics (bytes/sample):");
        for (qsizetype i = 0; i < std::min<qsizetype>(12, perMetric.size()); ++i)
            std::printf(" %s %.2f%s", qPrintable(perMetric.at(i).second), perMetric.at(i).first,
                        i + 1 < std::min<qsizetype>(12, perMetric.size()) ? "," : "\n");
    }

    // 4. Queries on the 24 h file.
    {
        HistoryStore store(options);
        QString error;
        if (!store.open(&error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        HistoryRequest one;
        for (const MetricInfo &info : rec.catalog->metrics()) {
            if (info.id == u"cpu.total"_s ||
                (one.patterns.isEmpty() && info.kind != MetricKind::Counter))
                one.patterns = {info.id};
        }
        one.fromTs = T0;
        one.toTs = T0 + ticks * 1000;
        one.maxPoints = 1000;
        QList<double> runs;
        HistoryResult r;
        for (int i = 0; i < 21; ++i) {
            QElapsedTimer t;
            t.start();
            r = store.querySync(one);
            runs.append(double(t.nsecsElapsed()) / 1e6);
        }
        std::printf("\nquery 24 h of %s to 1000 points: median %.2f ms, min %.2f, max %.2f "
                    "(tier %d, %lld buckets of %lld ms)\n",
                    qPrintable(one.patterns.value(0)), median(runs),
                    *std::min_element(runs.begin(), runs.end()),
                    *std::max_element(runs.begin(), runs.end()), int(r.tier),
                    static_cast<long long>(r.ts.size()), static_cast<long long>(r.stepMs));
        HistoryRequest all;
        all.fromTs = T0 + ticks * 1000 - 3'600'000;
        all.toTs = T0 + ticks * 1000;
        all.maxPoints = 600;
        runs.clear();
        for (int i = 0; i < 21; ++i) {
            QElapsedTimer t;
            t.start();
            r = store.querySync(all);
            runs.append(double(t.nsecsElapsed()) / 1e6);
        }
        std::printf("query all %lld metrics over the last 1 h to 600 points: median %.2f ms, "
                    "min %.2f, max %.2f (tier %d, %lld buckets)\n",
                    static_cast<long long>(r.series.size()), median(runs),
                    *std::min_element(runs.begin(), runs.end()),
                    *std::max_element(runs.begin(), runs.end()), int(r.tier),
                    static_cast<long long>(r.ts.size()));
    }

    // 5. Write cost at 1 Hz: 5 ticks per flush (the default 5 s cadence),
    // 1 h of them, on a file that already holds 24 h. CPU of the writer
    // thread per flush, plus the CPU append() costs its caller.
    {
        HistoryStore store(options);
        QString error;
        if (!store.open(&error))
            return 1;
        const int flushes = 720;
        qint64 appendNs = 0;
        const qint64 writer0 = threadRunNs(u"store-writer"_s);
        QElapsedTimer wall;
        wall.start();
        for (int f = 0; f < flushes; ++f) {
            for (int k = 0; k < 5; ++k) {
                const SnapshotPtr s = replayTick(rec, ticks + f * 5 + k);
                const qint64 c0 = threadCpuNs();
                store.append(s);
                appendNs += threadCpuNs() - c0;
            }
            store.flushSync();
        }
        const qint64 writerNs = threadRunNs(u"store-writer"_s) - writer0;
        const double perFlushUs = double(writerNs) / flushes / 1e3;
        const double simulatedSecs = flushes * 5.0;
        std::printf("\nwrite cost at 1 Hz (%d flushes of 5 ticks = %.0f s of data, run in %.1f s): "
                    "writer %.0f us CPU per flush, append %.1f us per tick\n",
                    flushes, simulatedSecs, double(wall.nsecsElapsed()) / 1e9, perFlushUs,
                    double(appendNs) / (flushes * 5) / 1e3);
        std::printf("  = %.4f %% of one core (writer %.4f %%, append %.4f %%)\n",
                    100.0 * (double(writerNs) + double(appendNs)) / (simulatedSecs * 1e9),
                    100.0 * double(writerNs) / (simulatedSecs * 1e9),
                    100.0 * double(appendNs) / (simulatedSecs * 1e9));
    }
    // 6. Optionally, the same in real time: one snapshot per second for
    // --realtime-seconds, the writer on its own 5 s timer, as in the daemon.
    if (realtimeSeconds > 0) {
        StoreOptions live = options;
        live.flushIntervalMs = 5000;
        HistoryStore store(live);
        QString error;
        if (!store.open(&error))
            return 1;
        qint64 appendNs = 0;
        qint64 k = ticks + 10'000;
        const qint64 writer0 = threadRunNs(u"store-writer"_s);
        QElapsedTimer wall;
        wall.start();
        QTimer tick;
        tick.setInterval(1000);
        QObject::connect(&tick, &QTimer::timeout, &app, [&] {
            const SnapshotPtr s = replayTick(rec, k++);
            const qint64 c0 = threadCpuNs();
            store.append(s);
            appendNs += threadCpuNs() - c0;
            if (wall.elapsed() >= realtimeSeconds * 1000LL)
                app.quit();
        });
        tick.start();
        app.exec();
        const qint64 writerNs = threadRunNs(u"store-writer"_s) - writer0;
        const double secs = double(wall.nsecsElapsed()) / 1e9;
        std::printf("\nreal time at 1 Hz for %.0f s (%lld snapshots, writer on its 5 s timer): "
                    "writer %.3f ms CPU, append %.3f ms = %.4f %% of one core\n",
                    secs, static_cast<long long>(k - ticks - 10'000), double(writerNs) / 1e6,
                    double(appendNs) / 1e6, 100.0 * double(writerNs + appendNs) / (secs * 1e9));
    }
    return 0;
}
