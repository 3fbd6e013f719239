// SPDX-License-Identifier: GPL-3.0-or-later
// The pure /proc parsers: real kernel text, odd but legal text, and garbage.

#include "ProcParsers.h"

#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace tidewatch::procfs;
using namespace Qt::StringLiterals;

class TestProcParsers final : public QObject
{
    Q_OBJECT

private slots:
    void procStat();
    void procStatOldKernel();
    void memInfo();
    void memInfoOldKernel();
    void loadAverageAndUptime_data();
    void loadAverageAndUptime();
    void diskStats();
    void netDev();
    void mountInfo();
    void unescape_data();
    void unescape();
    void pidStat_data();
    void pidStat();
    void partitions_data();
    void partitions();
    void virtualFilesystems();
    void sanitize_data();
    void sanitize();
    void garbageNeverCrashes();
    void truncatedFixturesNeverCrash();
};

void TestProcParsers::procStat()
{
    const QByteArray text =
        "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0\n"
        "cpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0\n"
        "cpu2 1335 7 2 13 1 2 3 4 5 6\n"
        "intr 1462898 0 0 0 0 0 0 0 0 1 0 0 0 1 0\n"
        "ctxt 62180512\n"
        "btime 1700000000\n"
        "processes 97312\n"
        "procs_running 3\n"
        "procs_blocked 1\n"
        "softirq 12274371 0 1917917 56 171573 115342 0 181858 4968428 48 4919149\n";
    ProcStat s;
    s.cores.push_back({7, {}}); // the output is reused: old content must go
    parseProcStat(text, s);
    QVERIFY(s.total);
    QCOMPARE(s.total->user, 10132153u);
    QCOMPARE(s.total->guest, 175628u);
    // guest is inside user already: top's total leaves it out.
    QCOMPARE(s.total->total(), 10132153u + 290696 + 3084719 + 46828483 + 16683 + 0 + 25195 + 0);
    QCOMPARE(s.cores.size(), size_t(2));
    QCOMPARE(s.cores[0].id, 0);
    QCOMPARE(s.cores[1].id, 2); // cpu1 is offline: the id skips
    QCOMPARE(s.cores[1].times.steal, 4u);
    QCOMPARE(s.cores[1].times.guestNice, 6u);
    QCOMPARE(s.contextSwitches.value_or(0), 62180512u);
    QCOMPARE(s.bootTime.value_or(0), 1700000000u);
    QCOMPARE(s.forks.value_or(0), 97312u);
    QCOMPARE(s.running.value_or(0), 3u);
    QCOMPARE(s.blocked.value_or(0), 1u);

    parseProcStat("", s);
    QVERIFY(!s.total);
    QVERIFY(s.cores.empty());
    QVERIFY(!s.contextSwitches);
}

void TestProcParsers::procStatOldKernel()
{
    // 2.4 kernels had four fields; 2.6.11 eight; "cpuX" with junk is not a core.
    ProcStat s;
    parseProcStat("cpu 1 2 3 4\ncpu0 1 2 3 4 5 6 7 8\ncpuX 1 2 3 4\ncpu1 1 2\n", s);
    QVERIFY(s.total);
    QCOMPARE(s.total->total(), 10u);
    QCOMPARE(s.cores.size(), size_t(1));
    QCOMPARE(s.cores[0].times.steal, 8u);
}

void TestProcParsers::memInfo()
{
    const MemInfo m = parseMemInfo("MemTotal:       16284400 kB\n"
                                   "MemFree:         2000000 kB\n"
                                   "MemAvailable:    9000000 kB\n"
                                   "Buffers:          300000 kB\n"
                                   "Cached:          6000000 kB\n"
                                   "SwapCached:            0 kB\n"
                                   "SwapTotal:             0 kB\n"
                                   "SwapFree:              0 kB\n"
                                   "SReclaimable:     400000 kB\n"
                                   "HugePages_Total:       0\n"
                                   "DirectMap1G:    12582912 kB");
    QCOMPARE(m.total.value_or(0), 16284400ull * 1024);
    QCOMPARE(m.free.value_or(0), 2000000ull * 1024);
    QCOMPARE(m.available.value_or(0), 9000000ull * 1024);
    QCOMPARE(m.buffers.value_or(0), 300000ull * 1024);
    QCOMPARE(m.cached.value_or(1), 6000000ull * 1024); // not SwapCached
    QCOMPARE(m.sReclaimable.value_or(0), 400000ull * 1024);
    QVERIFY(m.swapTotal && *m.swapTotal == 0);
    QVERIFY(m.swapFree && *m.swapFree == 0);
}

void TestProcParsers::memInfoOldKernel()
{
    const MemInfo m = parseMemInfo("MemTotal: 1000 kB\nMemFree: 10 kB\nCached: x kB\n");
    QCOMPARE(m.total.value_or(0), 1024000u);
    QVERIFY(!m.available);
    QVERIFY(!m.cached); // garbled value is absent, not zero
    QVERIFY(!m.swapTotal);
}

void TestProcParsers::loadAverageAndUptime_data()
{
    QTest::addColumn<QByteArray>("loadavg");
    QTest::addColumn<bool>("loadValid");
    QTest::addColumn<double>("load1");
    QTest::addColumn<double>("load15");
    QTest::addColumn<QByteArray>("uptime");
    QTest::addColumn<double>("seconds"); // -1: invalid

    QTest::newRow("kernel") << "0.52 0.58 0.59 1/912 54321\n"_ba << true << 0.52 << 0.59
                            << "350735.47 234388.90\n"_ba << 350735.47;
    QTest::newRow("no newline") << "12.50 10.25 8.00 7/1500 99999"_ba << true << 12.5 << 8.0
                                << "5001.00 15003.00"_ba << 5001.0;
    QTest::newRow("whole numbers") << "1 2 3"_ba << true << 1.0 << 3.0 << "7"_ba << 7.0;
    QTest::newRow("short") << "0.52 0.58"_ba << false << 0.0 << 0.0 << ""_ba << -1.0;
    QTest::newRow("garbage") << "a.b c d"_ba << false << 0.0 << 0.0 << "-1.0 2"_ba << -1.0;
    QTest::newRow("exponent") << "1e3 1 1"_ba << false << 0.0 << 0.0 << "1.2.3"_ba << -1.0;
}

void TestProcParsers::loadAverageAndUptime()
{
    QFETCH(QByteArray, loadavg);
    QFETCH(bool, loadValid);
    QFETCH(double, load1);
    QFETCH(double, load15);
    QFETCH(QByteArray, uptime);
    QFETCH(double, seconds);

    const auto l = parseLoadAverage(loadavg);
    QCOMPARE(l.has_value(), loadValid);
    if (l) {
        QCOMPARE(l->one, load1);
        QCOMPARE(l->fifteen, load15);
    }
    const auto u = parseUptime(uptime);
    QCOMPARE(u.has_value(), seconds >= 0);
    if (u)
        QCOMPARE(*u, seconds);
}

void TestProcParsers::diskStats()
{
    // 4.18 (14 fields), 5.5+ (20 fields), a device name with '/', a broken line.
    const QByteArray text =
        "   8       0 sda 1000 100 200000 2000 500 100 100000 1500 0 50000 100000\n"
        " 259       0 nvme0n1 5000 500 1000000 10000 4000 800 800000 12000 2 90000 180000 0 0 "
        "0 0 7 12\n"
        " 104       0 cciss/c0d0 1 2 3 4 5 6 7 8 9 10 11\n"
        "   8       1 sda1 1 2 3\n";
    std::vector<DiskStat> out;
    parseDiskStats(text, out);
    QCOMPARE(out.size(), size_t(3));
    QCOMPARE(out[0].name, "sda");
    QCOMPARE(out[0].readsCompleted, 1000u);
    QCOMPARE(out[0].sectorsRead, 200000u);
    QCOMPARE(out[0].writesCompleted, 500u);
    QCOMPARE(out[0].sectorsWritten, 100000u);
    QCOMPARE(out[0].ioTicksMs, 50000u);
    QCOMPARE(out[1].name, "nvme0n1");
    QCOMPARE(out[1].ioTicksMs, 90000u);
    QCOMPARE(out[2].name, "cciss/c0d0");
    QCOMPARE(out[2].ioTicksMs, 10u);
}

void TestProcParsers::netDev()
{
    const QByteArray text =
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
        "errs drop fifo colls carrier compressed\n"
        "    lo:    3267      29    0    0    0     0          0         0     3267      29    "
        "0    0    0     0       0          0\n"
        "  eth0:64656539    2006    1    2    0     0          0         0    87431    1103    "
        "3    4    0     0       0          0\n"
        "wg-vpn.1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
        "  bad: 1 2 3\n";
    std::vector<NetDevStat> out;
    parseNetDev(text, out);
    QCOMPARE(out.size(), size_t(3));
    QCOMPARE(out[0].name, "lo");
    QCOMPARE(out[1].name, "eth0");
    QCOMPARE(out[1].rxBytes, 64656539u); // glued to the colon, as old kernels print it
    QCOMPARE(out[1].rxPackets, 2006u);
    QCOMPARE(out[1].rxErrors, 1u);
    QCOMPARE(out[1].rxDrop, 2u);
    QCOMPARE(out[1].txBytes, 87431u);
    QCOMPARE(out[1].txPackets, 1103u);
    QCOMPARE(out[1].txErrors, 3u);
    QCOMPARE(out[1].txDrop, 4u);
    QCOMPARE(out[2].name, "wg-vpn.1");
    QCOMPARE(out[2].txBytes, 9u);
    QCOMPARE(out[2].txDrop, 12u);
}

void TestProcParsers::mountInfo()
{
    const QByteArray text =
        "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n"
        "31 28 8:1 /srv /srv/my\\040data rw,relatime shared:31 master:2 - xfs /dev/sda1 rw\n"
        "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
        "41 30 0:38 / /broken rw,relatime shared:1 ext4 /dev/sdz rw\n"
        "42 30 x:1 / /bad rw - ext4 /dev/sdz rw\n"
        "43 30 0:39 / /tab\\011and\\134slash rw - fuse.sshfs host:/a\\040b rw";
    const QList<MountEntry> m = parseMountInfo(text);
    QCOMPARE(m.size(), 4);
    QCOMPARE(m[0].mountPoint, u"/"_s);
    QCOMPARE(m[0].fsType, u"ext4"_s);
    QCOMPARE(m[0].source, u"/dev/vda"_s);
    QCOMPARE(m[0].major, 254u);
    QCOMPARE(m[0].minor, 0u);
    QCOMPARE(m[1].mountPoint, u"/srv/my data"_s); // two optional fields before '-'
    QCOMPARE(m[1].root, u"/srv"_s);
    QCOMPARE(m[1].fsType, u"xfs"_s);
    QCOMPARE(m[1].minor, 1u);
    QCOMPARE(m[2].fsType, u"cgroup2"_s);
    QCOMPARE(m[3].mountPoint, u"/tab\tand\\slash"_s);
    QCOMPARE(m[3].source, u"host:/a b"_s);
    QCOMPARE(m[3].fsType, u"fuse.sshfs"_s);
}

void TestProcParsers::unescape_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("plain") << "/home"_ba
                           << "/home"_ba;
    QTest::newRow("space") << "/mnt/a\\040b"_ba
                           << "/mnt/a b"_ba;
    QTest::newRow("newline") << "\\012"_ba
                             << "\n"_ba;
    QTest::newRow("truncated escape") << "/a\\04"_ba
                                      << "/a\\04"_ba;
    QTest::newRow("not octal") << "/a\\089"_ba
                               << "/a\\089"_ba;
    QTest::newRow("trailing backslash") << "/a\\"_ba
                                        << "/a\\"_ba;
}

void TestProcParsers::unescape()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    QCOMPARE(unescapeMountField(in), out);
}

void TestProcParsers::pidStat_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("pid");
    QTest::addColumn<QByteArray>("comm");
    QTest::addColumn<quint64>("utime");
    QTest::addColumn<quint64>("stime");
    QTest::addColumn<qint64>("threads");
    QTest::addColumn<quint64>("start");
    QTest::addColumn<qint64>("rss");

    const QByteArray tail = " 0 0 20 0 13 0 20 39870464 2415 18446744073709551615 1 1 0 0 0 0 0 "
                            "4096 1256 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    QTest::newRow("plain") << "1 (process_api) S 0 0 0 0 -1 4194560 16474 1229032 0 723 80 179" +
                                  tail
                           << true << qint64(1) << "process_api"_ba << quint64(80) << quint64(179)
                           << qint64(13) << quint64(20) << qint64(2415);
    QTest::newRow("spaces and parens")
        << "2000 (a) (b) c) R 1 2000 2000 0 -1 4194560 1234 5678 0 0 10150 550" + tail << true
        << qint64(2000) << "a) (b) c"_ba << quint64(10150) << quint64(550) << qint64(13)
        << quint64(20) << qint64(2415);
    QTest::newRow("kernel thread")
        << "12 (kworker/u8:0-flush-254:0) I 2 0 0 0 -1 69238880 0 0 0 0 0 9 0 0 20 0 1 0 20 0 0 "
           "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0"_ba
        << true << qint64(12) << "kworker/u8:0-flush-254:0"_ba << quint64(0) << quint64(9)
        << qint64(1) << quint64(20) << qint64(0);
    QTest::newRow("empty comm") << "5 () S 0 0 0 0 -1 0 0 0 0 0 1 2" + tail << true << qint64(5)
                                << ""_ba << quint64(1) << quint64(2) << qint64(13) << quint64(20)
                                << qint64(2415);
    QTest::newRow("truncated") << "1 (process_api) S 0 0 0 0 -1 4194560 16474"_ba << false
                               << qint64(0) << ""_ba << quint64(0) << quint64(0) << qint64(0)
                               << quint64(0) << qint64(0);
    QTest::newRow("no parens") << "1 process_api S 0 0"_ba << false << qint64(0) << ""_ba
                               << quint64(0) << quint64(0) << qint64(0) << quint64(0) << qint64(0);
    QTest::newRow("bad pid") << "x1 (a) S 0 0 0 0 -1 0 0 0 0 0 1 2" + tail << false << qint64(0)
                             << ""_ba << quint64(0) << quint64(0) << qint64(0) << quint64(0)
                             << qint64(0);
    QTest::newRow("empty") << ""_ba << false << qint64(0) << ""_ba << quint64(0) << quint64(0)
                           << qint64(0) << quint64(0) << qint64(0);
}

void TestProcParsers::pidStat()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    const auto s = parsePidStat(text);
    QCOMPARE(s.has_value(), valid);
    if (!s)
        return;
    QTEST(s->pid, "pid");
    QTEST(s->comm.toByteArray(), "comm");
    QTEST(s->utime, "utime");
    QTEST(s->stime, "stime");
    QTEST(s->numThreads, "threads");
    QTEST(s->startTime, "start");
    QTEST(s->rssPages, "rss");
}

void TestProcParsers::partitions_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("partition");
    QTest::addColumn<bool>("virtualDevice");
    for (const char *disk : {"sda", "sdaa", "vdb", "xvda", "hda", "nvme0n1", "nvme10n2", "mmcblk0",
                             "dm-0", "md127", "sd", "nvme0n1p", "mmcblk0p"})
        QTest::newRow(disk) << QByteArray(disk) << false << false;
    for (const char *part : {"sda1", "sdaa12", "vdb2", "xvda1", "hda3", "nvme0n1p1", "nvme1n2p10",
                             "mmcblk0p1", "mmcblk1p2"})
        QTest::newRow(part) << QByteArray(part) << true << false;
    for (const char *virt : {"loop0", "ram15", "zram0", "fd0", "sr0"})
        QTest::newRow(virt) << QByteArray(virt) << false << true;
}

void TestProcParsers::partitions()
{
    QFETCH(QByteArray, name);
    QTEST(looksLikePartition(name), "partition");
    QTEST(isVirtualBlockDevice(name), "virtualDevice");
}

void TestProcParsers::virtualFilesystems()
{
    for (const char *fs :
         {"proc",    "sysfs",      "tmpfs",    "devtmpfs",   "overlay",   "squashfs", "cgroup",
          "cgroup2", "devpts",     "mqueue",   "bpf",        "tracefs",   "debugfs",  "securityfs",
          "pstore",  "autofs",     "fusectl",  "configfs",   "hugetlbfs", "nsfs",     "binfmt_misc",
          "ramfs",   "rpc_pipefs", "efivarfs", "fuse.portal"})
        QVERIFY2(isVirtualFilesystem(QString::fromLatin1(fs)), fs);
    for (const char *fs : {"ext4", "xfs", "btrfs", "vfat", "nfs4", "zfs", "fuse.sshfs", "f2fs"})
        QVERIFY2(!isVirtualFilesystem(QString::fromLatin1(fs)), fs);
}

void TestProcParsers::sanitize_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("coretemp") << u"Package id 0"_s << u"package_id_0"_s;
    QTest::newRow("core") << u"Core 0"_s << u"core_0"_s;
    QTest::newRow("runs") << u"  Tctl -- (die)  "_s << u"tctl_die"_s;
    QTest::newRow("dots") << u"GPU.edge"_s << u"gpu_edge"_s;
    QTest::newRow("non-ascii") << u"Température"_s << u"temp_rature"_s;
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("only symbols") << u"--"_s << QString();
}

void TestProcParsers::sanitize()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(sanitizeIdPart(in), out);
}

namespace {
/// Runs every parser over `text`; the checks are the invariants any output
/// must keep, whatever the input.
void parseEverything(QByteArrayView text)
{
    ProcStat stat;
    parseProcStat(text, stat);
    QVERIFY(qsizetype(stat.cores.size()) <= text.count('\n') + 1);
    for (const CpuLine &c : stat.cores)
        QVERIFY(c.id >= 0);
    (void)parseMemInfo(text);
    (void)parseLoadAverage(text);
    (void)parseUptime(text);
    std::vector<DiskStat> disks;
    parseDiskStats(text, disks);
    for (const DiskStat &d : disks)
        QVERIFY(!d.name.isEmpty() && d.name.data() >= text.data() &&
                d.name.data() + d.name.size() <= text.data() + text.size());
    std::vector<NetDevStat> nets;
    parseNetDev(text, nets);
    for (const NetDevStat &n : nets)
        QVERIFY(!n.name.isEmpty() && n.name.data() >= text.data() &&
                n.name.data() + n.name.size() <= text.data() + text.size());
    (void)parseMountInfo(text);
    if (const auto p = parsePidStat(text)) {
        QVERIFY(p->pid > 0);
        QVERIFY(p->comm.data() >= text.data() &&
                p->comm.data() + p->comm.size() <= text.data() + text.size());
    }
    (void)parseInteger(text);
    (void)looksLikePartition(text);
    (void)unescapeMountField(text);
    (void)sanitizeIdPart(QString::fromUtf8(text));
}
} // namespace

void TestProcParsers::garbageNeverCrashes()
{
    QRandomGenerator rng(20240601); // fixed seed: a failure can be replayed
    const QByteArray alphabet = "0123456789 \n\t:()-\\/.cpuabkB";
    QByteArray text;
    for (int round = 0; round < 4000; ++round) {
        const int size = int(rng.bounded(300));
        text.resize(size);
        const bool structured = round % 2 == 0; // half from the bytes parsers look for
        for (int i = 0; i < size; ++i)
            text[i] =
                structured ? alphabet[rng.bounded(int(alphabet.size()))] : char(rng.bounded(256));
        parseEverything(text);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(u"input: "_s + QString::fromLatin1(text.toHex())));
    }
}

void TestProcParsers::truncatedFixturesNeverCrash()
{
    // Every prefix of every captured file, as a read cut short would give.
    const QString fixtures = QFINDTESTDATA("fixtures/thisbox/t0");
    QVERIFY(!fixtures.isEmpty());
    QDirIterator it(fixtures, QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray whole = f.readAll();
        ++files;
        for (qsizetype n = 0; n <= whole.size(); n += (whole.size() > 4000 ? 7 : 1)) {
            // A detached copy, so a read past the prefix hits the end of the
            // allocation (and the sanitizers), not the rest of the file.
            const QByteArray prefix(whole.constData(), n);
            parseEverything(prefix);
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(f.fileName() + u" cut at "_s + QString::number(n)));
        }
    }
    QVERIFY(files >= 10);
}

QTEST_GUILESS_MAIN(TestProcParsers)
#include "tst_procparsers.moc"
