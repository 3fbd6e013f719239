// SPDX-License-Identifier: GPL-3.0-or-later
#include "DiskCollector.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace tidewatch {

using namespace procfs;

namespace {
// /proc/diskstats counts 512-byte sectors whatever the device's block size.
constexpr double SectorBytes = 512.0;
} // namespace

struct DiskCollector::Device
{
    bool listed = false;
    bool hasPrevious = false;
    quint64 seenPass = 0;
    DiskStat previous;
    MetricInfo read, write, readOps, writeOps, busy;
    MetricInfo readTotal, writeTotal, readOpsTotal, writeOpsTotal, ioTimeTotal;
};

DiskCollector::DiskCollector(const QString &rootPath, bool allDisks)
    : m_root(rootPath)
    , m_allDisks(allDisks)
    , m_diskstats(rootedPath(rootPath, "proc/diskstats"), ProcFile::Records::Many)
    , m_read(makeMetric(QStringLiteral("disk.read"), QStringLiteral("Disks read"),
                        QStringLiteral("B/s"), MetricKind::Rate))
    , m_write(makeMetric(QStringLiteral("disk.write"), QStringLiteral("Disks written"),
                         QStringLiteral("B/s"), MetricKind::Rate))
{
    struct stat st
    {
    };
    m_haveSysBlock =
        ::stat(rootedPath(rootPath, "sys/block").constData(), &st) == 0 && S_ISDIR(st.st_mode);
}

DiskCollector::~DiskCollector() = default;

bool DiskCollector::isListed(QByteArrayView name) const
{
    if (m_allDisks)
        return true;
    if (isVirtualBlockDevice(name))
        return false;
    if (!m_haveSysBlock)
        return !looksLikePartition(name); // containers often hide /sys/block
    // Whole disks have an entry in /sys/block, partitions do not. Names with
    // '/' in diskstats ("cciss/c0d0") use '!' in sysfs.
    QByteArray entry = QByteArray("sys/block/") + name.toByteArray().replace('/', '!');
    return ::access(rootedPath(m_root, entry).constData(), F_OK) == 0;
}

DiskCollector::Device &DiskCollector::device(QByteArrayView name)
{
    if (auto it = m_devices.find(name); it != m_devices.end())
        return *it->second;
    auto d = std::make_unique<Device>();
    d->listed = isListed(name);
    if (d->listed) {
        const QString dev = QString::fromUtf8(name);
        const QString prefix = QStringLiteral("disk.") + dev;
        const QList<MetricAttribute> attrs{{QStringLiteral("device"), dev}};
        auto metric = [&](const char *suffix, const QString &label, const char *unit,
                          MetricKind kind, double max = qQNaN()) {
            return makeMetric(prefix + QLatin1StringView(suffix), dev + u' ' + label,
                              QLatin1StringView(unit), kind, max, attrs);
        };
        d->read = metric(".read", QStringLiteral("read"), "B/s", MetricKind::Rate);
        d->write = metric(".write", QStringLiteral("written"), "B/s", MetricKind::Rate);
        d->readOps = metric(".read_ops", QStringLiteral("reads"), "/s", MetricKind::Rate);
        d->writeOps = metric(".write_ops", QStringLiteral("writes"), "/s", MetricKind::Rate);
        d->busy = metric(".busy", QStringLiteral("busy"), "%", MetricKind::Gauge, 100.0);
        d->readTotal =
            metric(".read.total", QStringLiteral("read since boot"), "B", MetricKind::Counter);
        d->writeTotal =
            metric(".write.total", QStringLiteral("written since boot"), "B", MetricKind::Counter);
        d->readOpsTotal =
            metric(".read_ops.total", QStringLiteral("reads since boot"), "", MetricKind::Counter);
        d->writeOpsTotal = metric(".write_ops.total", QStringLiteral("writes since boot"), "",
                                  MetricKind::Counter);
        d->ioTimeTotal =
            metric(".io_time.total", QStringLiteral("time doing I/O"), "s", MetricKind::Counter);
    }
    Device &ref = *d;
    m_devices.emplace(name.toByteArray(), std::move(d));
    return ref;
}

void DiskCollector::collect(const SampleContext &context, SnapshotBuilder &out)
{
    const double seconds = m_interval.advance(context.monotonicUs);
    const bool firstPass = m_pass == 0;
    ++m_pass;
    const QByteArrayView text = m_diskstats.read();
    if (text.isEmpty())
        return;
    parseDiskStats(text, m_parsed);

    double readSum = 0;
    double writeSum = 0;
    for (const DiskStat &s : m_parsed) {
        Device &d = device(s.name);
        d.seenPass = m_pass;
        if (!d.listed)
            continue;
        double read = qQNaN(), write = qQNaN(), readOps = qQNaN(), writeOps = qQNaN();
        double busy = qQNaN();
        if (d.hasPrevious) {
            const DiskStat &p = d.previous;
            read = ratePerSecond(p.sectorsRead, s.sectorsRead, seconds) * SectorBytes;
            write = ratePerSecond(p.sectorsWritten, s.sectorsWritten, seconds) * SectorBytes;
            readOps = ratePerSecond(p.readsCompleted, s.readsCompleted, seconds);
            writeOps = ratePerSecond(p.writesCompleted, s.writesCompleted, seconds);
            // io_ticks is in ms; timer granularity can put it a hair past 100 %.
            const double busyMsPerSecond = ratePerSecond(p.ioTicksMs, s.ioTicksMs, seconds);
            busy = qIsNaN(busyMsPerSecond) ? qQNaN() : std::min(100.0, busyMsPerSecond / 10.0);
        }
        if (!qIsNaN(read))
            readSum += read;
        if (!qIsNaN(write))
            writeSum += write;
        out.add(d.read, read);
        out.add(d.write, write);
        out.add(d.readOps, readOps);
        out.add(d.writeOps, writeOps);
        out.add(d.busy, busy);
        out.add(d.readTotal, double(s.sectorsRead) * SectorBytes);
        out.add(d.writeTotal, double(s.sectorsWritten) * SectorBytes);
        out.add(d.readOpsTotal, double(s.readsCompleted));
        out.add(d.writeOpsTotal, double(s.writesCompleted));
        out.add(d.ioTimeTotal, double(s.ioTicksMs) / 1000.0);
        d.previous = s;
        d.previous.name = {}; // points into a buffer that the next read reuses
        d.hasPrevious = true;
    }
    // Devices absent from this pass are forgotten, so one that comes back is
    // new again (NaN first) rather than a delta across its absence.
    std::erase_if(m_devices,
                  [this](const auto &entry) { return entry.second->seenPass != m_pass; });

    // Totals of the devices with a rate this pass; a device seen for the first
    // time adds nothing rather than a guess.
    const bool haveRates = !firstPass && !qIsNaN(seconds);
    out.add(m_read, haveRates ? readSum : qQNaN());
    out.add(m_write, haveRates ? writeSum : qQNaN());
}

} // namespace tidewatch
