// SPDX-License-Identifier: GPL-3.0-or-later
// bench_hub: what the Hub's in-memory history costs (issue #2: the idle
// daemon's RSS), for two sets of values:
//   real       the default metric set of this machine, recorded through the
//              real SamplingPass on / (--record N passes --spacing-ms apart),
//              then replayed in a loop with fresh timestamps;
//   synthetic  61 series of realistic shapes (CPU % with two decimals of
//              noise, byte levels in kB steps, byte and event rates with
//              bursts, temperatures, frequencies, seconds).
// For each, at 1 Hz over 10 min (601 rows), at 100 ms over 10 min (6001
// rows) and at 100 ms over 1 h (7200 rows, the cap), after two full windows:
//   bytes      Hub::historyBytes(), against raw doubles (points x 8) and the
//              old layout (a double per series and row of the ring, plus the
//              ring of timestamps);
//   publish    wall time of Hub::publish per snapshot (median, p99), nothing
//              connected;
//   history    Hub::history() of one series over the whole window (median).
// 10 min at 100 ms is 6001 rows, under the cap (MaxPointsPerSeries, 7200
// rows): a third run takes a 1 h window at 100 ms, which the cap shortens.
// --per-series prints the bytes of each series alone, to see which shapes
// cost.
//
// Targets (issue): publish <= 5 us per snapshot of 61 series; history of 600
// points <= 50 us; bytes at least 3x smaller than raw doubles.
#include "Clock.h"
#include "Hub.h"
#include "Platform.h"
#include "Sampler.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QStringList>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include <malloc.h>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 T0 = 1'794'960'000'000;

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto i =
        std::clamp<std::size_t>(std::size_t(p / 100.0 * double(v.size()) + 0.999999), 1, v.size());
    return v[i - 1];
}

double nowUs()
{
    using namespace std::chrono;
    return double(duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count()) /
           1000.0;
}

/// Value rows to replay, over one catalog.
struct Recording
{
    CatalogPtr catalog;
    std::vector<QList<double>> rows;
};

Recording recordReal(int passes, int spacingMs)
{
    Recording rec;
    SamplingPass pass(createCollectors(PlatformOptions{}), std::make_shared<SystemClock>(),
                      u"bench"_s);
    pass.prime();
    for (int i = 0; i < passes; ++i) {
        QThread::msleep(ulong(spacingMs));
        const SnapshotPtr s = pass.run();
        if (!rec.catalog)
            rec.catalog = s->catalog;
        if (s->catalog != rec.catalog)
            continue; // the metric set changed (a disk came or went): keep one catalog
        rec.rows.push_back(s->values);
    }
    return rec;
}

Recording synthetic(int rows)
{
    Recording rec;
    QList<MetricInfo> infos;
    const auto add = [&](const QString &id, const QString &unit, MetricKind kind) {
        infos.append({id, id, unit, 0, qQNaN(), kind, {}});
    };
    for (int c = 0; c < 17; ++c)
        add(c == 0 ? u"cpu.total"_s : u"cpu.core.%1"_s.arg(c - 1), u"%"_s, MetricKind::Gauge);
    for (int m = 0; m < 10; ++m)
        add(u"mem.%1"_s.arg(m), u"B"_s, MetricKind::Gauge);
    for (int r = 0; r < 12; ++r)
        add(u"io.%1"_s.arg(r), u"B/s"_s, MetricKind::Rate);
    for (int r = 0; r < 8; ++r)
        add(u"events.%1"_s.arg(r), u"/s"_s, MetricKind::Rate);
    for (int t = 0; t < 5; ++t)
        add(u"temp.%1"_s.arg(t), u"°C"_s, MetricKind::Gauge);
    for (int f = 0; f < 5; ++f)
        add(u"freq.%1"_s.arg(f), u"Hz"_s, MetricKind::Gauge);
    for (int s = 0; s < 4; ++s)
        add(u"load.%1"_s.arg(s), QString(), MetricKind::Gauge);
    rec.catalog = std::make_shared<const MetricCatalog>(infos);

    QRandomGenerator rng(42);
    const auto uniform = [&](double lo, double hi) {
        return lo + (hi - lo) * rng.generateDouble();
    };
    QList<double> v(infos.size(), 0.0);
    std::vector<double> level(infos.size());
    for (qsizetype i = 0; i < infos.size(); ++i)
        level[size_t(i)] = uniform(0, 1);
    for (int row = 0; row < rows; ++row) {
        qsizetype i = 0;
        for (int c = 0; c < 17; ++c, ++i) // busy-ish CPU: jiffy ratios, many decimals
            v[i] = std::clamp(100.0 * level[size_t(i)] * 0.3 + uniform(-3, 3), 0.0, 100.0) +
                   1.0 / 3.0 * uniform(0, 0.01);
        for (int m = 0; m < 10; ++m, ++i) { // kB-granular levels drifting a little
            if (row == 0)
                v[i] = std::round(level[size_t(i)] * 8e6) * 1024.0;
            else if (rng.bounded(4) == 0)
                v[i] += double(int(rng.bounded(400)) - 200) * 1024.0;
        }
        for (int r = 0; r < 12; ++r, ++i) // idle most of the time, then bursts
            v[i] = rng.bounded(10) < 7 ? double(rng.bounded(5)) * 4096.0 / 1.001
                                       : uniform(0, 2e6) / 1.0003;
        for (int r = 0; r < 8; ++r, ++i) // interrupts, context switches per second
            v[i] = 200.0 + 3000.0 * level[size_t(i)] + uniform(-50, 50);
        for (int t = 0; t < 5; ++t, ++i) // whole degrees, now and then a step
            v[i] = 40.0 + std::round(level[size_t(i)] * 20.0) + double(rng.bounded(3));
        for (int f = 0; f < 5; ++f, ++i) // cpufreq in kHz steps
            v[i] = double(800'000 + 100'000 * rng.bounded(30)) * 1000.0;
        for (int s = 0; s < 4; ++s, ++i)
            v[i] = std::round(uniform(0.2, 2.5) * 100.0) / 100.0;
        rec.rows.push_back(v);
    }
    return rec;
}

qint64 heapInUse()
{
    return qint64(mallinfo2().uordblks); // glibc: bytes in use, with malloc's headers
}

struct Figures
{
    qsizetype series = 0, capacity = 0, points = 0, bytes = 0, rawBytes = 0, oldBytes = 0;
    qint64 heapBytes = 0;
    double publishMedianUs = 0, publishP99Us = 0, historyMedianUs = 0;
    qsizetype historyPoints = 0;
};

Figures run(const Recording &rec, int intervalMs, qint64 historyMs, const QString &historyId)
{
    Figures f;
    const qsizetype rows =
        2 * std::min<qsizetype>(historyMs / intervalMs + 1, Hub::MaxPointsPerSeries);
    std::vector<double> publishUs;
    publishUs.reserve(size_t(rows));
    // Snapshots are built ahead: the figure is the Hub's, not the allocator's.
    std::vector<SnapshotPtr> snapshots;
    snapshots.reserve(size_t(rows));
    for (qsizetype r = 0; r < rows; ++r) {
        auto s = std::make_shared<Snapshot>();
        s->host = u"bench"_s;
        s->ts = T0 + r * intervalMs;
        s->seq = quint64(r + 1);
        s->catalog = rec.catalog;
        s->values = rec.rows.at(size_t(r) % rec.rows.size());
        snapshots.push_back(std::move(s));
    }
    const qint64 heapBefore = heapInUse();
    Hub hub(historyMs);
    hub.setSampleIntervalMs(intervalMs);
    f.capacity = hub.capacityPerSeries();
    for (qsizetype r = 0; r < rows; ++r) {
        const double t0 = nowUs();
        hub.publish(snapshots[size_t(r)]);
        const double t1 = nowUs();
        if (r >= f.capacity) // the second window: chunks are being reused
            publishUs.push_back(t1 - t0);
    }
    f.heapBytes = heapInUse() - heapBefore; // the Hub with all it holds (the vector is reserved)
    f.series = hub.historyIds().size();
    f.points = hub.historyPointCount();
    f.bytes = hub.historyBytes();
    f.rawBytes = f.points * 8;
    f.oldBytes = (f.series + 1) * f.capacity * 8;
    f.publishMedianUs = percentile(publishUs, 50);
    f.publishP99Us = percentile(publishUs, 99);
    std::vector<double> historyUs;
    for (int i = 0; i < 2000; ++i) {
        const double t0 = nowUs();
        const QList<HistoryPoint> points = hub.history(historyId);
        const double t1 = nowUs();
        historyUs.push_back(t1 - t0);
        f.historyPoints = points.size();
    }
    f.historyMedianUs = percentile(historyUs, 50);
    return f;
}

void print(const char *set, int intervalMs, const Figures &f)
{
    std::printf(
        "%-9s %5d ms: %3lld series x %4lld rows = %7lld points; %8lld bytes "
        "(%.2f B/point; raw doubles %lld B = %.1fx, old ring %lld B = %.1fx; heap in use %lld B); "
        "publish median %.2f us, p99 %.2f us; history of %lld points median %.1f us\n",
        set, intervalMs, static_cast<long long>(f.series), static_cast<long long>(f.capacity),
        static_cast<long long>(f.points), static_cast<long long>(f.bytes),
        double(f.bytes) / double(std::max<qsizetype>(1, f.points)),
        static_cast<long long>(f.rawBytes), double(f.rawBytes) / double(f.bytes),
        static_cast<long long>(f.oldBytes), double(f.oldBytes) / double(f.bytes),
        static_cast<long long>(f.heapBytes), f.publishMedianUs, f.publishP99Us,
        static_cast<long long>(f.historyPoints), f.historyMedianUs);
}

void printJson(const char *set, int intervalMs, const Figures &f, bool last)
{
    std::printf(
        "{\"set\":\"%s\",\"interval_ms\":%d,\"series\":%lld,\"rows\":%lld,"
        "\"points\":%lld,\"bytes\":%lld,\"raw_bytes\":%lld,\"old_bytes\":%lld,\"heap_bytes\":%lld,"
        "\"publish_median_us\":%.3f,\"publish_p99_us\":%.3f,"
        "\"history_points\":%lld,\"history_median_us\":%.2f}%s",
        set, intervalMs, static_cast<long long>(f.series), static_cast<long long>(f.capacity),
        static_cast<long long>(f.points), static_cast<long long>(f.bytes),
        static_cast<long long>(f.rawBytes), static_cast<long long>(f.oldBytes),
        static_cast<long long>(f.heapBytes), f.publishMedianUs, f.publishP99Us,
        static_cast<long long>(f.historyPoints), f.historyMedianUs, last ? "" : ",");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int passes = 300;
    int spacingMs = 100;
    bool perSeries = false;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == u"--record"_s && i + 1 < args.size())
            passes = std::max(0, args.at(++i).toInt());
        else if (args.at(i) == u"--spacing-ms"_s && i + 1 < args.size())
            spacingMs = std::max(1, args.at(++i).toInt());
        else if (args.at(i) == u"--per-series"_s)
            perSeries = true;
        else {
            std::fprintf(stderr, "usage: bench_hub [--record PASSES] [--spacing-ms MS] "
                                 "[--per-series]\n"
                                 "  --record 0 skips the real set; --per-series also prints\n"
                                 "  the bytes of each series alone at 1 Hz\n");
            return 2;
        }
    }

    std::vector<std::pair<const char *, Recording>> sets;
    if (passes > 0) {
        std::printf("bench_hub: recording %d real passes %d ms apart on /\n", passes, spacingMs);
        std::fflush(stdout);
        sets.emplace_back("real", recordReal(passes, spacingMs));
    }
    sets.emplace_back("synthetic", synthetic(7200));

    if (perSeries) { // bytes of each series alone at 1 Hz, without the timestamps
        for (const auto &[name, rec] : sets) {
            for (qsizetype m = 0; m < rec.catalog->size(); ++m) {
                const MetricInfo &info = rec.catalog->at(m);
                if (info.kind == MetricKind::Counter)
                    continue;
                Recording one;
                one.catalog = std::make_shared<const MetricCatalog>(QList<MetricInfo>{info});
                for (const QList<double> &row : rec.rows)
                    one.rows.push_back({row.at(m)});
                const Figures f = run(one, 1000, 10 * 60 * 1000, info.id);
                std::printf(
                    "%-9s %-40s %-4s %6lld B\n", name, qPrintable(info.id), qPrintable(info.unit),
                    static_cast<long long>(f.bytes - f.capacity * qsizetype(sizeof(qint64))));
            }
        }
    }
    std::vector<std::tuple<const char *, int, Figures>> results;
    for (const auto &[name, rec] : sets) {
        // 10 min at 1 Hz and at 100 ms, then 1 h at 100 ms: the cap.
        for (const auto &[intervalMs, historyMs] :
             {std::pair{1000, 600'000}, std::pair{100, 600'000}, std::pair{100, 3'600'000}}) {
            const Figures f = run(rec, intervalMs, historyMs, u"cpu.total"_s);
            print(name, intervalMs, f);
            results.emplace_back(name, intervalMs, f);
        }
    }
    std::printf("targets: publish <= 5 us per snapshot of 61 series; history of 600 points "
                "<= 50 us; bytes >= 3x smaller than raw doubles\n");
    std::printf("BENCH {\"bench\":\"hub\",\"record_passes\":%d,\"spacing_ms\":%d,\"runs\":[",
                passes, spacingMs);
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto &[name, intervalMs, f] = results[i];
        printJson(name, intervalMs, f, i + 1 == results.size());
    }
    std::printf("]}\n");
    return 0;
}
