// SPDX-License-Identifier: GPL-3.0-or-later
// The collectors on this machine's own /proc and /sys: what they find must
// agree with what the C library says, and a full pass must stay cheap (the
// cost is printed, not asserted: benchmarks live in bench/).

#include "DiskCollector.h"
#include "FilesystemCollector.h"
#include "NetworkCollector.h"
#include "Platform.h"

#include <QTest>

#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

using namespace tidewatch;
using namespace Qt::StringLiterals;

namespace {
qint64 nowUs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

Snapshot pass(CollectorList &collectors)
{
    SnapshotBuilder b;
    const SampleContext context{nowUs(CLOCK_MONOTONIC), nowUs(CLOCK_REALTIME) / 1000};
    for (const auto &c : collectors)
        c->collect(context, b);
    return b.build(nullptr);
}
} // namespace

class TestLiveSystem final : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithLibc();
    void rereadsKernelFiles();
    void passCost();
};

void TestLiveSystem::agreesWithLibc()
{
    CollectorList collectors = createCollectors(PlatformOptions{});
    const Snapshot first = pass(collectors);
    QVERIFY(std::isnan(first.value(u"net.rx"_s)));

    // Burn a little CPU so the second pass has ticks to divide.
    const qint64 until = nowUs(CLOCK_MONOTONIC) + 50'000;
    volatile quint64 spin = 0;
    while (nowUs(CLOCK_MONOTONIC) < until)
        spin = spin + 1;
    const Snapshot s = pass(collectors);

    QCOMPARE(s.value(u"cpu.count"_s), double(::sysconf(_SC_NPROCESSORS_ONLN)));
    struct sysinfo info
    {
    };
    QCOMPARE(::sysinfo(&info), 0);
    QCOMPARE(s.value(u"mem.total"_s), double(info.totalram) * info.mem_unit);
    QCOMPARE(s.value(u"swap.total"_s), double(info.totalswap) * info.mem_unit);
    const double total = s.value(u"cpu.total"_s);
    QVERIFY2(total >= 0 && total <= 100, qPrintable(QString::number(total)));
    QVERIFY(s.value(u"fs./.size"_s) > 0);
    QVERIFY(s.value(u"proc.count"_s) >= 1);
    QVERIFY(!s.processes.topRss.isEmpty());
    QVERIFY(std::abs(s.value(u"host.uptime"_s) - double(info.uptime)) <= 2);
    QVERIFY(!std::isnan(s.value(u"net.rx"_s)));

    QStringList ids;
    for (const MetricInfo &m : s.catalog->metrics())
        ids << m.id;
    qInfo().noquote() << s.catalog->size() << "metrics on this machine:" << ids.join(u' ');
}

void TestLiveSystem::rereadsKernelFiles()
{
    // mountinfo, diskstats and net/dev are served a page at a time and re-read
    // with pread() from offset 0: every pass must see the whole file again.
    FilesystemCollector filesystems(u"/"_s, true);
    DiskCollector disks(u"/"_s, true);
    NetworkCollector network(u"/"_s);
    auto ids = [](Collector &c, qint64 us) {
        SnapshotBuilder b;
        c.collect(SampleContext{us, 0}, b);
        QStringList out;
        for (const MetricInfo &m : b.infos())
            out << m.id;
        return out;
    };
    for (Collector *c : std::initializer_list<Collector *>{&filesystems, &disks, &network}) {
        const QStringList first = ids(*c, 1'000'000);
        QVERIFY2(!first.isEmpty(), qPrintable(c->name()));
        QCOMPARE(ids(*c, 2'000'000), first);
        QCOMPARE(ids(*c, 13'000'000), first); // past the filesystem rescan period
    }
}

void TestLiveSystem::passCost()
{
    CollectorList collectors = createCollectors(PlatformOptions{});
    constexpr int Passes = 300;
    // Per collector and in all, CPU time of this thread; the catalogue is
    // reused from one pass to the next, as the sampler does.
    std::vector<QList<qint64>> perCollector(collectors.size());
    QList<qint64> cpu;
    QList<qint64> wall;
    SnapshotBuilder builder;
    CatalogPtr catalog;
    qsizetype metrics = 0;
    for (int i = 0; i <= Passes; ++i) {
        const qint64 c0 = nowUs(CLOCK_THREAD_CPUTIME_ID);
        const qint64 w0 = nowUs(CLOCK_MONOTONIC);
        const SampleContext context{w0, nowUs(CLOCK_REALTIME) / 1000};
        for (size_t c = 0; c < collectors.size(); ++c) {
            const qint64 start = nowUs(CLOCK_THREAD_CPUTIME_ID);
            collectors[c]->collect(context, builder);
            perCollector[c] << nowUs(CLOCK_THREAD_CPUTIME_ID) - start;
        }
        Snapshot s = builder.build(catalog);
        catalog = s.catalog;
        metrics = s.values.size();
        if (i == 0)
            continue; // the first pass opens files and builds metadata, once
        cpu << nowUs(CLOCK_THREAD_CPUTIME_ID) - c0;
        wall << nowUs(CLOCK_MONOTONIC) - w0;
    }
    auto median = [](QList<qint64> v) {
        std::sort(v.begin(), v.end());
        return qlonglong(v.at(v.size() / 2));
    };
    qInfo("full pass over %lld metrics, %d passes: CPU median %lld us (p90 %lld), "
          "wall median %lld us",
          qlonglong(metrics), Passes, median(cpu), qlonglong([&] {
              auto v = cpu;
              std::sort(v.begin(), v.end());
              return v.at(Passes * 9 / 10);
          }()),
          median(wall));
    for (size_t c = 0; c < collectors.size(); ++c)
        qInfo("  %s: CPU median %lld us", qPrintable(collectors[c]->name()),
              median(perCollector[c]));
    QVERIFY(metrics > 0);
}

QTEST_GUILESS_MAIN(TestLiveSystem)
#include "tst_livesystem.moc"
