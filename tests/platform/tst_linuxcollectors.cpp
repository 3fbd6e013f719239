// SPDX-License-Identifier: GPL-3.0-or-later
// The Linux collectors over fixture trees: exact values worked out by hand
// from the t0 and t1 files of each machine shape, one second apart.

#include "CpuCollector.h"
#include "DiskCollector.h"
#include "FilesystemCollector.h"
#include "FixtureTree.h"
#include "MemoryCollector.h"
#include "NetworkCollector.h"
#include "Platform.h"
#include "ProcFile.h"
#include "ProcessCollector.h"
#include "SensorCollector.h"

#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <cmath>

using namespace tidewatch;
using namespace tidewatch::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 T0 = 5'000'000; // µs, arbitrary origin
constexpr qint64 T1 = 6'000'000; // one second later
constexpr double KiB = 1024.0;
const double NaN = qQNaN();

QString fixture(const QString &shape, const char *state)
{
    return QFINDTESTDATA(QStringLiteral("fixtures/") + shape + u'/' + QLatin1StringView(state));
}

bool sameValue(double actual, double expected)
{
    if (std::isnan(expected))
        return std::isnan(actual);
    return !std::isnan(actual) &&
           std::abs(actual - expected) <= 1e-9 * std::max(1.0, std::abs(expected));
}

#define COMPARE_VALUE(snapshot, id, expected)                                                      \
    do {                                                                                           \
        const double actual_ = (snapshot).value(id);                                               \
        if (!sameValue(actual_, (expected)))                                                       \
            QFAIL(qPrintable(QStringLiteral("%1: got %2, expected %3")                             \
                                 .arg(id)                                                          \
                                 .arg(actual_, 0, 'g', 17)                                         \
                                 .arg(double(expected), 0, 'g', 17)));                             \
        if (!has((snapshot), (id)))                                                                \
            QFAIL(qPrintable(QStringLiteral("%1 missing").arg(id)));                               \
    } while (false)

/// A fixture shape loaded into a scratch root, with the collector run at t0
/// and at t1.
struct TwoPasses
{
    Snapshot first;
    Snapshot second;
};

template<typename Make> TwoPasses runShape(const QString &shape, Make make)
{
    FixtureTree tree;
    TwoPasses r;
    if (!tree.isValid() || !tree.load(fixture(shape, "t0"))) {
        qWarning("cannot load fixture %s", qPrintable(shape));
        return r;
    }
    auto collector = make(tree.root());
    r.first = collectOnce(*collector, T0);
    if (!tree.load(fixture(shape, "t1"))) {
        qWarning("cannot load fixture %s/t1", qPrintable(shape));
        return r;
    }
    r.second = collectOnce(*collector, T1);
    return r;
}

double userHz()
{
    return double(::sysconf(_SC_CLK_TCK));
}

using Doubles = QList<double>;
using Ints = QList<int>;

/// Fixed statvfs answers by mount point, as df would see them; paths not
/// listed are pseudo filesystems (zero blocks), "/media/nas" is a dead NFS server.
struct FakeStatVfs
{
    QString root;
    int calls = 0;
    int operator()(const char *path, struct statvfs *out)
    {
        ++calls;
        QString p = QFile::decodeName(path);
        if (p.startsWith(root))
            p = p.mid(root.size());
        while (p.size() > 1 && p.endsWith(u'/'))
            p.chop(1);
        if (p.isEmpty())
            p = QStringLiteral("/");
        *out = {};
        if (p == u"/media/nas")
            return -1;
        struct Row
        {
            unsigned long frsize;
            fsblkcnt_t blocks, bfree, bavail;
        };
        static const QHash<QString, Row> table{
            {QStringLiteral("/"), {4096, 1000000, 400000, 350000}},
            {QStringLiteral("/home"), {4096, 2000000, 1500000, 1500000}},
            {QStringLiteral("/boot/efi"), {1024, 524288, 500000, 500000}},
            {QStringLiteral("/mnt/backup disk"), {4096, 100, 100, 95}},
            {QStringLiteral("/boot/firmware"), {512, 1048576, 786432, 786432}},
            {QStringLiteral("/etc/hosts"), {4096, 25000000, 5000000, 3750000}},
            {QStringLiteral("/data"), {4096, 10, 0, 0}},
        };
        const auto it = table.constFind(p);
        if (it != table.cend()) {
            out->f_frsize = it->frsize;
            out->f_bsize = it->frsize;
            out->f_blocks = it->blocks;
            out->f_bfree = it->bfree;
            out->f_bavail = it->bavail;
        }
        return 0;
    }
};

} // namespace

class TestLinuxCollectors final : public QObject
{
    Q_OBJECT

private slots:
    void cpu_data();
    void cpu();
    void cpuFirstPassIsNaN_data() { shapes(); }
    void cpuFirstPassIsNaN();
    void memory_data();
    void memory();
    void filesystems_data();
    void filesystems();
    void filesystemsRescanWhenMountsChange();
    void disks_data();
    void disks();
    void network_data();
    void network();
    void sensors_data();
    void sensors();
    void processes_data();
    void processes();
    void processesTopLimit();
    void allCollectors_data() { shapes(); }
    void allCollectors();
    void missingRoot();
    void procFileSharedBuffer();

private:
    static void shapes()
    {
        QTest::addColumn<QString>("shape");
        for (const char *s :
             {"thisbox", "manycores", "offline", "noswap", "nonewline", "container"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
};

void TestLinuxCollectors::cpu_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<Ints>("coreIds");
    QTest::addColumn<Doubles>("split"); // total user nice system irq iowait steal idle
    QTest::addColumn<Doubles>("coreBusy");
    QTest::addColumn<Doubles>("coreHz"); // NaN: no cpufreq, metric absent
    QTest::addColumn<Doubles>("rest");   // ctxt/s load.1 uptime boot_time running blocked forks

    // Captured: both cores saturated (idle did not move), 259 ticks in all.
    QTest::newRow("thisbox")
        << u"thisbox"_s << Ints{0, 1}
        << Doubles{100.0, 100.0 * 217 / 259, 0, 100.0 * 41 / 259, 100.0 * 1 / 259, 0, 0, 0}
        << Doubles{100.0, 100.0} << Doubles{NaN, NaN}
        << Doubles{971, 0.69, 346.05, 1795872535, 4, 0, 4020};
    // 64 cores, deltas of 100 ticks each; core i: user 10·(i%4+1), system 5,
    // iowait 2, irq 1, softirq 2, rest idle; guest 5 inside user, not counted twice.
    Ints ids64;
    Doubles busy64, hz64;
    for (int i = 0; i < 64; ++i) {
        ids64 << i;
        busy64 << 8.0 + 10.0 * (i % 4 + 1);
        hz64 << (2400000.0 + i * 1000.0) * 1000.0;
    }
    QTest::newRow("manycores") << u"manycores"_s << ids64
                               << Doubles{33.0, 25.0, 0, 5.0, 3.0, 2.0, 0, 65.0} << busy64 << hz64
                               << Doubles{12345, 13.0, 123456.78, 1700000000, 5, 0, 50010};
    // cpu2 is offline: no line, so ids go 0, 1, 3.
    QTest::newRow("offline") << u"offline"_s << Ints{0, 1, 3}
                             << Doubles{35.0, 20.0, 100.0 / 30, 10.0, 0, 5.0, 100.0 / 60, 60.0}
                             << Doubles{80.0, 25.0, 0.0} << Doubles{3400000e3, 800000e3, 1900123e3}
                             << Doubles{300, 0.52, 5001.0, 1710000000, 1, 0, 9001};
    const Doubles arm{
        100.0 * 170 / 400, 100.0 * 135 / 400, 0, 100.0 * 35 / 400, 0, 100.0 * 10 / 400, 0,
        100.0 * 220 / 400};
    QTest::newRow("noswap") << u"noswap"_s << Ints{0, 1, 2, 3} << arm
                            << Doubles{50.0, 0.0, 100.0, 20.0} << Doubles{NaN, NaN, NaN, NaN}
                            << Doubles{500, 1.0, 101.0, 1720000000, 2, 1, 2002};
    QTest::newRow("nonewline") << u"nonewline"_s << Ints{0, 1, 2, 3} << arm
                               << Doubles{50.0, 0.0, 100.0, 20.0} << Doubles{NaN, NaN, NaN, NaN}
                               << Doubles{500, 1.0, 101.0, 1720000000, 2, 1, 2002};
    QTest::newRow("container") << u"container"_s << Ints{0, 1}
                               << Doubles{35.0, 20.0, 0, 15.0, 0, 0, 0, 65.0} << Doubles{50.0, 20.0}
                               << Doubles{NaN, NaN}
                               << Doubles{100, 0.0, 86401.0, 1730000000, 1, 0, 301};
}

void TestLinuxCollectors::cpu()
{
    QFETCH(QString, shape);
    QFETCH(Ints, coreIds);
    QFETCH(Doubles, split);
    QFETCH(Doubles, coreBusy);
    QFETCH(Doubles, coreHz);
    QFETCH(Doubles, rest);

    const TwoPasses r =
        runShape(shape, [](const QString &root) { return std::make_unique<CpuCollector>(root); });
    const Snapshot &s = r.second;
    QVERIFY(s.catalog);

    const QStringList splitIds{u"cpu.total"_s, u"cpu.user"_s,   u"cpu.nice"_s,  u"cpu.system"_s,
                               u"cpu.irq"_s,   u"cpu.iowait"_s, u"cpu.steal"_s, u"cpu.idle"_s};
    for (qsizetype i = 0; i < splitIds.size(); ++i)
        COMPARE_VALUE(s, splitIds[i], split[i]);
    COMPARE_VALUE(s, u"cpu.count"_s, double(coreIds.size()));

    // Exactly the kernel's ids, gaps included.
    QStringList expectedCores;
    for (int id : coreIds)
        expectedCores << QStringLiteral("cpu.core.%1").arg(id);
    QStringList cores = idsMatching(s, u"cpu.core."_s, QString());
    cores.removeIf([](const QString &id) { return id.count(u'.') != 2; });
    QCOMPARE(cores, expectedCores);

    for (qsizetype i = 0; i < coreIds.size(); ++i) {
        const QString core = QStringLiteral("cpu.core.%1").arg(coreIds[i]);
        COMPARE_VALUE(s, core, coreBusy[i]);
        if (std::isnan(coreHz[i]))
            QVERIFY2(!has(s, core + u".freq"_s), qPrintable(core));
        else
            COMPARE_VALUE(s, core + u".freq"_s, coreHz[i]);
        QVERIFY(has(s, core + u".seconds.steal"_s));
    }
    COMPARE_VALUE(s, u"cpu.ctxt"_s, rest[0]);
    COMPARE_VALUE(s, u"load.1"_s, rest[1]);
    COMPARE_VALUE(s, u"host.uptime"_s, rest[2]);
    COMPARE_VALUE(s, u"host.boot_time"_s, rest[3]);
    COMPARE_VALUE(s, u"proc.running"_s, rest[4]);
    COMPARE_VALUE(s, u"proc.blocked"_s, rest[5]);
    COMPARE_VALUE(s, u"cpu.forks.total"_s, rest[6]);

    if (shape == u"manycores") {
        // core 3 at t1: user 1030 + 40 ticks; idle 100300 + 50 ticks.
        COMPARE_VALUE(s, u"cpu.core.3.seconds.user"_s, 1070 / userHz());
        COMPARE_VALUE(s, u"cpu.core.3.seconds.idle"_s, 100350 / userHz());
        COMPARE_VALUE(s, u"cpu.core.63.seconds.softirq"_s, 22 / userHz());
        COMPARE_VALUE(s, u"cpu.ctxt.total"_s, 1012345.0);
        COMPARE_VALUE(s, u"load.15"_s, 8.25);
        const qsizetype i = s.catalog->indexOf(u"cpu.core.5.freq"_s);
        QCOMPARE(s.catalog->at(i).unit, u"Hz"_s);
        QCOMPARE(s.catalog->at(i).kind, MetricKind::Gauge);
        QCOMPARE(s.catalog->at(s.catalog->indexOf(u"cpu.ctxt"_s)).kind, MetricKind::Rate);
        QCOMPARE(s.catalog->at(s.catalog->indexOf(u"cpu.core.5.seconds.user"_s)).kind,
                 MetricKind::Counter);
    }
}

void TestLinuxCollectors::cpuFirstPassIsNaN()
{
    QFETCH(QString, shape);
    const TwoPasses r =
        runShape(shape, [](const QString &root) { return std::make_unique<CpuCollector>(root); });
    QVERIFY(r.first.catalog);
    for (const char *id : {"cpu.total", "cpu.user", "cpu.idle", "cpu.core.0", "cpu.ctxt"}) {
        const QString metric = QString::fromLatin1(id);
        QVERIFY2(has(r.first, metric), id);
        QVERIFY2(std::isnan(r.first.value(metric)), id);
        QVERIFY2(!std::isnan(r.second.value(metric)), id);
    }
    // Levels and counters need no history.
    QVERIFY(!std::isnan(r.first.value(u"cpu.ctxt.total"_s)));
    QVERIFY(!std::isnan(r.first.value(u"cpu.core.0.seconds.user"_s)));
    // Same metrics, same order, on both passes: the catalogue is stable.
    QCOMPARE(r.first.catalog->metrics(), r.second.catalog->metrics());
}

void TestLinuxCollectors::memory_data()
{
    QTest::addColumn<QString>("shape");
    // total available free buffers cached used, in kB; then swap total free, in kB
    QTest::addColumn<Doubles>("mem");
    QTest::addColumn<Doubles>("swap");

    QTest::newRow("thisbox") << u"thisbox"_s
                             << Doubles{24683620, 23836968,       23860744,
                                        7876,     139068 + 62664, 24683620 - 23836968}
                             << Doubles{0, 0};
    QTest::newRow("manycores") << u"manycores"_s
                               << Doubles{263856844, 200000000,          100000000,
                                          1000000,   50000000 + 3000000, 63856844}
                               << Doubles{8388604, 8000000};
    QTest::newRow("offline") << u"offline"_s
                             << Doubles{16284400, 9000000, 2000000, 300000, 6400000, 7284400}
                             << Doubles{2097148, 2097148};
    QTest::newRow("noswap") << u"noswap"_s
                            << Doubles{3884100, 3300000, 2500000, 50000, 730000, 584100}
                            << Doubles{0, 0};
    QTest::newRow("nonewline") << u"nonewline"_s
                               << Doubles{3884100, 3300000, 2500000, 50000, 730000, 584100}
                               << Doubles{0, 0};
    QTest::newRow("container") << u"container"_s
                               << Doubles{8000000, 6000000, 1000000, 100000, 3200000, 2000000}
                               << Doubles{1048576, 524288};
}

void TestLinuxCollectors::memory()
{
    QFETCH(QString, shape);
    QFETCH(Doubles, mem);
    QFETCH(Doubles, swap);
    const TwoPasses r = runShape(
        shape, [](const QString &root) { return std::make_unique<MemoryCollector>(root); });
    QVERIFY(has(r.first, u"mem.used"_s)); // levels need no history
    for (const Snapshot *s : {&r.second}) {
        COMPARE_VALUE(*s, u"mem.total"_s, mem[0] * KiB);
        COMPARE_VALUE(*s, u"mem.available"_s, mem[1] * KiB);
        COMPARE_VALUE(*s, u"mem.free"_s, mem[2] * KiB);
        COMPARE_VALUE(*s, u"mem.buffers"_s, mem[3] * KiB);
        COMPARE_VALUE(*s, u"mem.cached"_s, mem[4] * KiB);
        COMPARE_VALUE(*s, u"mem.used"_s, mem[5] * KiB);
        // free (procps 4): used = total - available, and % on that.
        COMPARE_VALUE(*s, u"mem.percent"_s, 100.0 * (mem[0] - mem[1]) / mem[0]);
        COMPARE_VALUE(*s, u"swap.total"_s, swap[0] * KiB);
        COMPARE_VALUE(*s, u"swap.free"_s, swap[1] * KiB);
        COMPARE_VALUE(*s, u"swap.used"_s, (swap[0] - swap[1]) * KiB);
        COMPARE_VALUE(*s, u"swap.percent"_s,
                      swap[0] > 0 ? 100.0 * (swap[0] - swap[1]) / swap[0] : 0.0);
    }
}

void TestLinuxCollectors::filesystems_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<bool>("all");
    QTest::addColumn<QStringList>("mounts");
    QTest::addColumn<Doubles>("first"); // size used free percent of the first mount

    // Only ext4 on / is real; cgroup, tmpfs, proc … are not.
    QTest::newRow("thisbox") << u"thisbox"_s << false << QStringList{u"/"_s}
                             << Doubles{4096e6, 600000 * 4096.0, 350000 * 4096.0,
                                        100.0 * 600000 / 950000};
    // /srv/data and /home are the same xfs: kept once, at the shorter path, in
    // the place of the first one; \040 is a space; the NFS mount does not answer.
    QTest::newRow("manycores") << u"manycores"_s << false
                               << QStringList{u"/"_s, u"/boot/efi"_s, u"/home"_s,
                                              u"/mnt/backup disk"_s}
                               << Doubles{4096e6, 600000 * 4096.0, 350000 * 4096.0,
                                          100.0 * 600000 / 950000};
    QTest::newRow("manycores all") << u"manycores"_s << true
                                   << QStringList{u"/sys"_s,
                                                  u"/proc"_s,
                                                  u"/dev"_s,
                                                  u"/dev/pts"_s,
                                                  u"/run"_s,
                                                  u"/"_s,
                                                  u"/sys/fs/cgroup"_s,
                                                  u"/boot/efi"_s,
                                                  u"/home"_s,
                                                  u"/snap/core22/1122"_s,
                                                  u"/mnt/backup disk"_s,
                                                  u"/run/user/1000/doc"_s,
                                                  u"/var/lib/docker/overlay2/abc/merged"_s,
                                                  u"/sys/kernel/debug"_s,
                                                  u"/tmp"_s}
                                   << Doubles{0, 0, 0, 0};
    // Docker: the overlay root is hidden; /etc/hosts stands for the host disk.
    QTest::newRow("container") << u"container"_s << false
                               << QStringList{u"/etc/hosts"_s, u"/data"_s}
                               << Doubles{25000000 * 4096.0, 20000000 * 4096.0, 3750000 * 4096.0,
                                          100.0 * 20000000 / 23750000};
    QTest::newRow("noswap") << u"noswap"_s << false << QStringList{u"/"_s, u"/boot/firmware"_s}
                            << Doubles{4096e6, 600000 * 4096.0, 350000 * 4096.0,
                                       100.0 * 600000 / 950000};
    QTest::newRow("nonewline") << u"nonewline"_s << false
                               << QStringList{u"/"_s, u"/boot/firmware"_s}
                               << Doubles{4096e6, 600000 * 4096.0, 350000 * 4096.0,
                                          100.0 * 600000 / 950000};
}

void TestLinuxCollectors::filesystems()
{
    QFETCH(QString, shape);
    QFETCH(bool, all);
    QFETCH(QStringList, mounts);
    QFETCH(Doubles, first);

    const TwoPasses r = runShape(shape, [all](const QString &root) {
        return std::make_unique<FilesystemCollector>(root, all, FakeStatVfs{root});
    });
    const Snapshot &s = r.second;
    QStringList found = idsMatching(s, u"fs."_s, u".percent"_s);
    for (QString &id : found)
        id = id.mid(3, id.size() - 3 - 8);
    QCOMPARE(found, mounts);

    const QString id = u"fs."_s + mounts.first();
    COMPARE_VALUE(s, id + u".size"_s, first[0]);
    COMPARE_VALUE(s, id + u".used"_s, first[1]);
    COMPARE_VALUE(s, id + u".free"_s, first[2]);
    COMPARE_VALUE(s, id + u".percent"_s, first[3]);

    if (shape == u"manycores" && !all) {
        COMPARE_VALUE(s, u"fs./home.percent"_s, 25.0);
        COMPARE_VALUE(s, u"fs./boot/efi.used"_s, 24288 * 1024.0);
        // Reserved blocks are neither used nor available, as in df.
        COMPARE_VALUE(s, u"fs./mnt/backup disk.percent"_s, 0.0);
        COMPARE_VALUE(s, u"fs./mnt/backup disk.free"_s, 95 * 4096.0);
        const MetricInfo &info = s.catalog->at(s.catalog->indexOf(u"fs./home.used"_s));
        QCOMPARE(info.attribute(u"device"_s), u"/dev/sda1"_s);
        QCOMPARE(info.attribute(u"fstype"_s), u"xfs"_s);
        QCOMPARE(info.attribute(u"mountpoint"_s), u"/home"_s);
        QCOMPARE(info.unit, u"B"_s);
    }
    if (shape == u"container")
        COMPARE_VALUE(s, u"fs./data.percent"_s, 100.0);
}

void TestLinuxCollectors::filesystemsRescanWhenMountsChange()
{
    FixtureTree tree;
    QVERIFY(tree.load(fixture(u"noswap"_s, "t0")));
    FakeStatVfs fake{tree.root()};
    FilesystemCollector collector(tree.root(), false, std::ref(fake));
    Snapshot s = collectOnce(collector, T0);
    QCOMPARE(idsMatching(s, u"fs."_s, u".size"_s),
             (QStringList{u"fs./.size"_s, u"fs./boot/firmware.size"_s}));

    // A file cannot signal a change through poll(), so the list follows the
    // file within the rescan period (10 s), not on every tick.
    QFile mountinfo(tree.root() + u"/proc/self/mountinfo"_s);
    QVERIFY(mountinfo.open(QIODevice::WriteOnly | QIODevice::Truncate));
    mountinfo.write("20 1 179:2 / / rw,noatime - ext4 /dev/mmcblk0p2 rw\n"
                    "30 20 8:1 / /home rw,noatime - ext4 /dev/sda1 rw\n");
    mountinfo.close();
    const int callsBefore = fake.calls;
    s = collectOnce(collector, T0 + 1'000'000);
    QCOMPARE(idsMatching(s, u"fs."_s, u".size"_s).size(), 2);
    QCOMPARE(fake.calls - callsBefore, 2); // one statvfs per mount per tick, no rescan
    s = collectOnce(collector, T0 + 11'000'000);
    QCOMPARE(idsMatching(s, u"fs."_s, u".size"_s),
             (QStringList{u"fs./.size"_s, u"fs./home.size"_s}));
    COMPARE_VALUE(s, u"fs./home.percent"_s, 25.0);
}

void TestLinuxCollectors::disks_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<bool>("all");
    QTest::addColumn<QStringList>("devices");
    QTest::addColumn<Doubles>("first");  // read write read_ops write_ops busy of devices[0]
    QTest::addColumn<Doubles>("totals"); // disk.read disk.write

    // vda is the only disk in /sys/block that is not loop or zram.
    QTest::newRow("thisbox") << u"thisbox"_s << false << QStringList{u"vda"_s}
                             << Doubles{102848 * 512.0, 102416 * 512.0, 34, 101, 8.4}
                             << Doubles{102848 * 512.0, 102416 * 512.0};
    // sda1 and nvme0n1p1 are partitions (not in /sys/block); loop0 and sr0 are
    // never disks. nvme0n1's io_ticks ran 1200 ms in 1 s: capped at 100 %.
    QTest::newRow("manycores") << u"manycores"_s << false
                               << QStringList{u"sda"_s, u"sdb"_s, u"nvme0n1"_s, u"dm-0"_s}
                               << Doubles{2048 * 512.0, 4096 * 512.0, 100, 50, 25.0}
                               << Doubles{(2048 + 20480) * 512.0, (4096 + 2048) * 512.0};
    QTest::newRow("manycores all")
        << u"manycores"_s << true
        << QStringList{u"sda"_s,       u"sda1"_s,  u"sdb"_s,  u"nvme0n1"_s,
                       u"nvme0n1p1"_s, u"loop0"_s, u"dm-0"_s, u"sr0"_s}
        << Doubles{2048 * 512.0, 4096 * 512.0, 100, 50, 25.0}
        << Doubles{(2048 + 2048 + 20480 + 80) * 512.0, (4096 + 4096 + 2048) * 512.0};
    // No /sys/block: partitions are told by their names.
    const QStringList containerDisks{u"sda"_s,  u"sdb"_s, u"nvme0n1"_s, u"mmcblk0"_s, u"vdb"_s,
                                     u"xvda"_s, u"hda"_s, u"dm-0"_s,    u"md0"_s};
    QTest::newRow("container") << u"container"_s << false << containerDisks
                               << Doubles{200 * 512.0, 100 * 512.0, 10, 5, 5.0}
                               << Doubles{9 * 200 * 512.0, 9 * 100 * 512.0};
    QTest::newRow("noswap") << u"noswap"_s << false << QStringList{u"mmcblk0"_s}
                            << Doubles{100 * 512.0, 8 * 512.0, 10, 1, 10.0}
                            << Doubles{100 * 512.0, 8 * 512.0};
    QTest::newRow("nonewline") << u"nonewline"_s << false << QStringList{u"mmcblk0"_s}
                               << Doubles{100 * 512.0, 8 * 512.0, 10, 1, 10.0}
                               << Doubles{100 * 512.0, 8 * 512.0};
    QTest::newRow("offline") << u"offline"_s << false << QStringList{u"nvme0n1"_s}
                             << Doubles{0, 0, 0, 0, 0} << Doubles{0, 0};
}

void TestLinuxCollectors::disks()
{
    QFETCH(QString, shape);
    QFETCH(bool, all);
    QFETCH(QStringList, devices);
    QFETCH(Doubles, first);
    QFETCH(Doubles, totals);

    const TwoPasses r = runShape(
        shape, [all](const QString &root) { return std::make_unique<DiskCollector>(root, all); });
    QStringList found = idsMatching(r.second, u"disk."_s, u".busy"_s);
    for (QString &id : found)
        id = id.mid(5, id.size() - 5 - 5);
    QCOMPARE(found, devices);

    const QString d = u"disk."_s + devices.first();
    COMPARE_VALUE(r.second, d + u".read"_s, first[0]);
    COMPARE_VALUE(r.second, d + u".write"_s, first[1]);
    COMPARE_VALUE(r.second, d + u".read_ops"_s, first[2]);
    COMPARE_VALUE(r.second, d + u".write_ops"_s, first[3]);
    COMPARE_VALUE(r.second, d + u".busy"_s, first[4]);
    COMPARE_VALUE(r.second, u"disk.read"_s, totals[0]);
    COMPARE_VALUE(r.second, u"disk.write"_s, totals[1]);
    // First pass: rates unknown, counters known.
    COMPARE_VALUE(r.first, d + u".read"_s, NaN);
    COMPARE_VALUE(r.first, d + u".busy"_s, NaN);
    COMPARE_VALUE(r.first, u"disk.read"_s, NaN);
    QVERIFY(!std::isnan(r.first.value(d + u".read.total"_s)));

    if (shape == u"manycores" && !all) {
        COMPARE_VALUE(r.second, u"disk.nvme0n1.busy"_s, 100.0);
        COMPARE_VALUE(r.second, u"disk.sda.read.total"_s, 202048 * 512.0);
        COMPARE_VALUE(r.second, u"disk.sda.write_ops.total"_s, 550.0);
        COMPARE_VALUE(r.second, u"disk.sda.io_time.total"_s, 50.25);
        QCOMPARE(r.second.catalog->at(r.second.catalog->indexOf(u"disk.sda.read"_s))
                     .attribute(u"device"_s),
                 u"sda"_s);
    }
}

void TestLinuxCollectors::network_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<QStringList>("interfaces");
    QTest::addColumn<QString>("probe");
    QTest::addColumn<Doubles>("rates");  // rx tx rx_packets tx_packets of probe
    QTest::addColumn<Doubles>("totals"); // net.rx net.tx net.rx.total net.tx.total

    QTest::newRow("thisbox") << u"thisbox"_s
                             << QStringList{u"lo"_s, u"ifb0"_s, u"ifb1"_s, u"eth0"_s} << u"eth0"_s
                             << Doubles{0, 0, 0, 0} << Doubles{0, 0, 64656539, 87431};
    // wlp3s0's counters went backwards (reset), docker0 is new: no rates, not
    // in the totals; lo never is.
    QTest::newRow("manycores") << u"manycores"_s
                               << QStringList{u"lo"_s, u"eno1"_s, u"wlp3s0"_s, u"docker0"_s}
                               << u"eno1"_s << Doubles{12500000, 500000, 10000, 400}
                               << Doubles{12500000, 500000, 5012500000.0 + 1000 + 123456,
                                          1500000.0 + 2000 + 654321};
    QTest::newRow("offline") << u"offline"_s << QStringList{u"lo"_s, u"wlan0"_s} << u"wlan0"_s
                             << Doubles{2048, 1024, 2, 2} << Doubles{2048, 1024, 3048, 1524};
    QTest::newRow("noswap") << u"noswap"_s << QStringList{u"lo"_s, u"eth0"_s, u"wlan0"_s}
                            << u"eth0"_s << Doubles{1500, 800, 10, 5}
                            << Doubles{1500, 800, 11500, 20800};
    QTest::newRow("nonewline") << u"nonewline"_s << QStringList{u"lo"_s, u"eth0"_s, u"wlan0"_s}
                               << u"eth0"_s << Doubles{1500, 800, 10, 5}
                               << Doubles{1500, 800, 11500, 20800};
    QTest::newRow("container") << u"container"_s << QStringList{u"lo"_s, u"eth0"_s} << u"eth0"_s
                               << Doubles{1000, 500, 10, 5} << Doubles{1000, 500, 5000, 3500};
}

void TestLinuxCollectors::network()
{
    QFETCH(QString, shape);
    QFETCH(QStringList, interfaces);
    QFETCH(QString, probe);
    QFETCH(Doubles, rates);
    QFETCH(Doubles, totals);

    const TwoPasses r = runShape(
        shape, [](const QString &root) { return std::make_unique<NetworkCollector>(root); });
    QStringList found = idsMatching(r.second, u"net."_s, u".rx_packets"_s);
    for (QString &id : found)
        id = id.mid(4, id.size() - 4 - 11);
    QCOMPARE(found, interfaces);

    const QString i = u"net."_s + probe;
    COMPARE_VALUE(r.second, i + u".rx"_s, rates[0]);
    COMPARE_VALUE(r.second, i + u".tx"_s, rates[1]);
    COMPARE_VALUE(r.second, i + u".rx_packets"_s, rates[2]);
    COMPARE_VALUE(r.second, i + u".tx_packets"_s, rates[3]);
    COMPARE_VALUE(r.second, u"net.rx"_s, totals[0]);
    COMPARE_VALUE(r.second, u"net.tx"_s, totals[1]);
    COMPARE_VALUE(r.second, u"net.rx.total"_s, totals[2]);
    COMPARE_VALUE(r.second, u"net.tx.total"_s, totals[3]);
    COMPARE_VALUE(r.first, i + u".rx"_s, NaN);
    COMPARE_VALUE(r.first, u"net.rx"_s, NaN);

    if (shape == u"manycores") {
        for (const char *id : {"net.wlp3s0.rx", "net.wlp3s0.tx", "net.wlp3s0.rx_packets",
                               "net.docker0.rx", "net.docker0.tx_packets"})
            COMPARE_VALUE(r.second, QString::fromLatin1(id), NaN);
        COMPARE_VALUE(r.second, u"net.wlp3s0.rx.total"_s, 1000.0);
        COMPARE_VALUE(r.second, u"net.eno1.rx_drop.total"_s, 12.0);
        COMPARE_VALUE(r.second, u"net.eno1.rx_errors.total"_s, 3.0);
        COMPARE_VALUE(r.second, u"net.eno1.tx_drop.total"_s, 2.0);
    }
}

void TestLinuxCollectors::sensors_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<Doubles>("celsius");

    // hwmon0, 1, 2, 3, 10 in numeric order; the second "nvme" is nvme_1; an
    // input that cannot be read stays listed with no value.
    QTest::newRow("manycores")
        << u"manycores"_s
        << QStringList{u"temp.acpitz.temp1"_s,          u"temp.acpitz.temp2"_s,
                       u"temp.coretemp.package_id_0"_s, u"temp.coretemp.core_0"_s,
                       u"temp.coretemp.core_1"_s,       u"temp.nvme.composite"_s,
                       u"temp.iwlwifi_1.temp1"_s,       u"temp.nvme_1.composite"_s}
        << Doubles{27.8, 29.8, 47.0, 43.0, 44.0, 38.85, NaN, 40.85};
    for (const char *shape : {"thisbox", "offline", "noswap", "nonewline", "container"})
        QTest::newRow(shape) << QString::fromLatin1(shape) << QStringList() << Doubles();
}

void TestLinuxCollectors::sensors()
{
    QFETCH(QString, shape);
    QFETCH(QStringList, ids);
    QFETCH(Doubles, celsius);

    const TwoPasses r = runShape(
        shape, [](const QString &root) { return std::make_unique<SensorCollector>(root); });
    QCOMPARE(idsMatching(r.second, u"temp."_s, QString()), ids);
    QCOMPARE(idsMatching(r.first, u"temp."_s, QString()), ids);
    for (qsizetype i = 0; i < ids.size(); ++i)
        COMPARE_VALUE(r.second, ids[i], celsius[i]);
    if (shape == u"manycores") {
        COMPARE_VALUE(r.first, u"temp.coretemp.package_id_0"_s, 45.0);
        const MetricInfo &info =
            r.second.catalog->at(r.second.catalog->indexOf(u"temp.coretemp.package_id_0"_s));
        QCOMPARE(info.attribute(u"chip"_s), u"coretemp"_s);
        QCOMPARE(info.attribute(u"sensor"_s), u"temp1"_s);
        QCOMPARE(info.attribute(u"label"_s), u"Package id 0"_s);
        QCOMPARE(info.unit, QStringLiteral("°C"));
    }
}

void TestLinuxCollectors::processes_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("threads");
    QTest::addColumn<Ints>("topCpuPids");
    QTest::addColumn<Doubles>("topCpuPercent");
    QTest::addColumn<Ints>("topRssPids");

    // 4000 exited; 5000 is a new process on a reused pid and 6000 is new: no
    // CPU delta yet, so not ranked by CPU. "a) b" has a ')' in its name.
    QTest::newRow("manycores") << u"manycores"_s << 7 << 48 << Ints{2000, 3000, 1234, 1, 42}
                               << Doubles{200.0, 50.0, 5.0, 1.0, 1.0}
                               << Ints{2000, 3000, 1, 1234, 6000, 5000, 42};
    QTest::newRow("thisbox") << u"thisbox"_s << 12 << 24 << Ints{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
                             << Doubles{1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
                             << Ints{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    QTest::newRow("noswap") << u"noswap"_s << 2 << 4 << Ints{77, 1} << Doubles{100.0, 10.0}
                            << Ints{77, 1};
    QTest::newRow("nonewline") << u"nonewline"_s << 2 << 4 << Ints{77, 1} << Doubles{100.0, 10.0}
                               << Ints{77, 1};
    QTest::newRow("container") << u"container"_s << 2 << 12 << Ints{1, 7} << Doubles{50.0, 0.0}
                               << Ints{1, 7};
    QTest::newRow("offline") << u"offline"_s << 1 << 1 << Ints{1} << Doubles{2.0} << Ints{1};
}

void TestLinuxCollectors::processes()
{
    QFETCH(QString, shape);
    QFETCH(int, count);
    QFETCH(int, threads);
    QFETCH(Ints, topCpuPids);
    QFETCH(Doubles, topCpuPercent);
    QFETCH(Ints, topRssPids);

    const TwoPasses r = runShape(
        shape, [](const QString &root) { return std::make_unique<ProcessCollector>(root, 10); });
    const Snapshot &s = r.second;
    COMPARE_VALUE(s, u"proc.count"_s, double(count));
    COMPARE_VALUE(s, u"proc.threads"_s, double(threads));
    QCOMPARE(s.processes.count, count);
    QVERIFY(r.first.processes.topCpu.isEmpty()); // nothing has a delta on the first pass
    QCOMPARE(r.first.processes.topRss.size(), std::min<qsizetype>(10, r.first.processes.count));

    Ints pids;
    Doubles percents;
    for (const ProcessInfo &p : s.processes.topCpu) {
        pids << int(p.pid);
        percents << p.cpuPercent;
    }
    QCOMPARE(pids, topCpuPids);
    for (qsizetype i = 0; i < percents.size(); ++i)
        QVERIFY2(sameValue(percents[i], topCpuPercent[i] * 100.0 / userHz()),
                 qPrintable(QString::number(percents[i])));
    pids.clear();
    for (const ProcessInfo &p : s.processes.topRss)
        pids << int(p.pid);
    QCOMPARE(pids, topRssPids);

    if (shape == u"manycores") {
        const qint64 page = ::sysconf(_SC_PAGESIZE);
        QCOMPARE(s.processes.topCpu.first().name, u"a) b"_s);
        QCOMPARE(s.processes.topRss.first().rssBytes, 250000 * page);
        QCOMPARE(s.processes.topCpu.at(2).name, u"tmux: server"_s);
        // The reused pid reports its new name, and 0 % until it has a delta.
        const ProcessInfo &reused = s.processes.topRss.at(5);
        QCOMPARE(reused.name, u"newer"_s);
        QCOMPARE(reused.cpuPercent, 0.0);
    }
}

void TestLinuxCollectors::processesTopLimit()
{
    const TwoPasses r = runShape(u"manycores"_s, [](const QString &root) {
        return std::make_unique<ProcessCollector>(root, 3);
    });
    QCOMPARE(r.second.processes.topCpu.size(), 3);
    QCOMPARE(r.second.processes.topRss.size(), 3);
    QCOMPARE(r.second.processes.topCpu.at(2).pid, qint64(1234));
    QCOMPARE(r.second.processes.count, 7);
}

void TestLinuxCollectors::allCollectors()
{
    QFETCH(QString, shape);
    PlatformOptions options;
    FixtureTree tree;
    QVERIFY(tree.load(fixture(shape, "t0")));
    options.rootPath = tree.root();
    CollectorList collectors = createCollectors(options);
    QCOMPARE(collectors.size(), size_t(7));
    auto pass = [&](qint64 us) {
        SnapshotBuilder b;
        for (const auto &c : collectors)
            c->collect(SampleContext{us, 0}, b);
        return b.build(nullptr);
    };
    const Snapshot first = pass(T0);
    QVERIFY(tree.load(fixture(shape, "t1")));
    const Snapshot second = pass(T1);

    QSet<QString> ids;
    for (qsizetype i = 0; i < first.catalog->size(); ++i) {
        const MetricInfo &m = first.catalog->at(i);
        QVERIFY2(!ids.contains(m.id), qPrintable(m.id)); // ids are unique
        ids.insert(m.id);
        if (m.kind == MetricKind::Rate)
            QVERIFY2(std::isnan(first.values.at(i)), qPrintable(m.id));
    }
    for (qsizetype i = 0; i < second.catalog->size(); ++i) {
        const double v = second.values.at(i);
        QVERIFY2(std::isnan(v) || v >= 0, qPrintable(second.catalog->at(i).id));
        QVERIFY2(!std::isinf(v), qPrintable(second.catalog->at(i).id));
    }
    for (const char *id : {"cpu.total", "mem.percent", "disk.read", "net.rx", "proc.count"})
        QVERIFY2(!std::isnan(second.value(QString::fromLatin1(id))), id);
}

void TestLinuxCollectors::missingRoot()
{
    // Nothing to read is an empty snapshot, not a crash and not garbage.
    PlatformOptions options;
    options.rootPath = u"/nonexistent/tidewatch/root"_s;
    CollectorList collectors = createCollectors(options);
    SnapshotBuilder b;
    for (int i = 0; i < 2; ++i) {
        for (const auto &c : collectors)
            c->collect(SampleContext{T0 + i * 1'000'000, 0}, b);
    }
    QCOMPARE(b.size(), 0);
    QCOMPARE(b.processes().count, 0);
}

// Files read one after another into one caller's buffer each come back whole,
// including one longer than the buffer's first size, and re-reads see new
// content written in place.
void TestLinuxCollectors::procFileSharedBuffer()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const QString &name, const QByteArray &text) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QCOMPARE(f.write(text), text.size());
        QVERIFY(f.resize(text.size()));
    };
    const QByteArray small = "12345 (short) S 1 2 3\n";
    QByteArray big;
    for (int i = 0; big.size() < 10000; ++i)
        big += QByteArray::number(i) + ' ';
    write(u"a"_s, small);
    write(u"b"_s, big);

    ProcFile a(QFile::encodeName(dir.filePath(u"a"_s)));
    ProcFile b(QFile::encodeName(dir.filePath(u"b"_s)));
    ProcFile missing(QFile::encodeName(dir.filePath(u"gone"_s)));
    QByteArray shared;
    QCOMPARE(a.read(shared).toByteArray(), small);
    QCOMPARE(b.read(shared).toByteArray(), big);
    QVERIFY(shared.size() >= big.size());
    QCOMPARE(a.read(shared).toByteArray(), small);
    QVERIFY(missing.read(shared).isEmpty());

    write(u"a"_s, "7\n"_ba);
    QCOMPARE(a.read(shared).toByteArray(), "7\n"_ba);
    // The file's own buffer is untouched by shared reads and still works.
    QCOMPARE(b.read().toByteArray(), big);
}

QTEST_GUILESS_MAIN(TestLinuxCollectors)
#include "tst_linuxcollectors.moc"
