// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Pure parsers for the text of /proc files. They take the text, not a path, so
// tests feed them files captured on other machines, and they never fail hard:
// missing or garbled fields come back as "absent", never as a crash.

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QtGlobal>

#include <optional>
#include <vector>

namespace tidewatch::procfs {

/// Jiffies of one "cpu" line of /proc/stat, in USER_HZ ticks.
struct CpuTimes
{
    quint64 user = 0; ///< includes guest
    quint64 nice = 0; ///< includes guest_nice
    quint64 system = 0;
    quint64 idle = 0;
    quint64 iowait = 0;
    quint64 irq = 0;
    quint64 softirq = 0;
    quint64 steal = 0;
    quint64 guest = 0;
    quint64 guestNice = 0;

    /// All time, as top and vmstat count it: guest time is already in user/nice.
    quint64 total() const { return user + nice + system + idle + iowait + irq + softirq + steal; }
};

struct CpuLine
{
    int id = -1; ///< the kernel's cpu number; offline cpus have no line, so ids can skip
    CpuTimes times;
};

struct ProcStat
{
    std::optional<CpuTimes> total; ///< the aggregate "cpu" line
    std::vector<CpuLine> cores;    ///< "cpuN" lines, in file order
    std::optional<quint64> contextSwitches;
    std::optional<quint64> bootTime; ///< seconds since the epoch
    std::optional<quint64> forks;    ///< "processes"
    std::optional<quint64> running;  ///< "procs_running"
    std::optional<quint64> blocked;  ///< "procs_blocked"
};

/// Parses /proc/stat into `out`, reusing its storage (it is called every tick).
void parseProcStat(QByteArrayView text, ProcStat &out);

/// /proc/meminfo, in bytes (the file says kB and means KiB).
struct MemInfo
{
    std::optional<quint64> total;
    std::optional<quint64> free;
    std::optional<quint64> available;
    std::optional<quint64> buffers;
    std::optional<quint64> cached;
    std::optional<quint64> sReclaimable;
    std::optional<quint64> swapTotal;
    std::optional<quint64> swapFree;
};
MemInfo parseMemInfo(QByteArrayView text);

struct LoadAverage
{
    double one = 0;
    double five = 0;
    double fifteen = 0;
};
std::optional<LoadAverage> parseLoadAverage(QByteArrayView text);

/// Seconds since boot: the first field of /proc/uptime.
std::optional<double> parseUptime(QByteArrayView text);

/// One line of /proc/diskstats. Sectors are 512 bytes whatever the device.
struct DiskStat
{
    QByteArrayView name; ///< points into the parsed text
    quint64 readsCompleted = 0;
    quint64 sectorsRead = 0;
    quint64 writesCompleted = 0;
    quint64 sectorsWritten = 0;
    quint64 ioTicksMs = 0; ///< time with I/O in flight
};
void parseDiskStats(QByteArrayView text, std::vector<DiskStat> &out);

/// One interface of /proc/net/dev.
struct NetDevStat
{
    QByteArrayView name; ///< points into the parsed text
    quint64 rxBytes = 0;
    quint64 rxPackets = 0;
    quint64 rxErrors = 0;
    quint64 rxDrop = 0;
    quint64 txBytes = 0;
    quint64 txPackets = 0;
    quint64 txErrors = 0;
    quint64 txDrop = 0;
};
void parseNetDev(QByteArrayView text, std::vector<NetDevStat> &out);

/// One line of /proc/<pid>/mountinfo, with the octal escapes (\040 …) undone.
struct MountEntry
{
    quint32 major = 0;
    quint32 minor = 0;
    QString root;
    QString mountPoint;
    QString fsType;
    QString source;
};
QList<MountEntry> parseMountInfo(QByteArrayView text);
/// Undoes the kernel's octal escapes of space, tab, newline and backslash.
QByteArray unescapeMountField(QByteArrayView field);

/// The fields of /proc/<pid>/stat that Tidewatch uses.
struct PidStat
{
    qint64 pid = 0;
    QByteArrayView comm; ///< points into the parsed text
    char state = '?';
    quint64 utime = 0; ///< USER_HZ ticks
    quint64 stime = 0;
    qint64 numThreads = 0;
    quint64 startTime = 0; ///< ticks after boot; tells a reused pid from the old one
    qint64 rssPages = 0;
};
std::optional<PidStat> parsePidStat(QByteArrayView text);

/// The decimal integer that opens `text` (leading blanks skipped), as in sysfs
/// attributes such as scaling_cur_freq; signed, since temperatures can be.
std::optional<qint64> parseInteger(QByteArrayView text);

/// Pseudo and virtual filesystems that df hides and Tidewatch hides too.
bool isVirtualFilesystem(QStringView fsType);

/// Partition names when /sys/block is not there to ask (containers):
/// sda1, vdb2, xvda1, hda1, nvme0n1p1, mmcblk0p1.
bool looksLikePartition(QByteArrayView name);
/// Devices that are never physical disks: loop, ram, zram, floppy, optical.
bool isVirtualBlockDevice(QByteArrayView name);

/// Makes a sensor label safe for a metric id: "Package id 0" -> "package_id_0".
QString sanitizeIdPart(QStringView label);

} // namespace tidewatch::procfs
