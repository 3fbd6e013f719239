// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilesystemCollector.h"

#include "LinuxMetrics.h"
#include "ProcParsers.h"

#include <QFile>

#include <poll.h>

#include <algorithm>

namespace tidewatch {

using namespace procfs;

namespace {
// The kernel signals mount changes through poll(); this is the fallback for
// files that cannot (fixtures, odd procfs setups) and a safety net.
constexpr qint64 RescanUs = 10 * 1000 * 1000;

struct Usage
{
    double size = qQNaN();
    double used = qQNaN();
    double free = qQNaN();
    double percent = qQNaN();
};

/// df's arithmetic: used = blocks − free, so the blocks reserved for root
/// count as neither used nor available, and Use% = used / (used + avail).
Usage usageOf(const struct statvfs &s)
{
    const double unit = double(s.f_frsize ? s.f_frsize : s.f_bsize);
    const quint64 usedBlocks = s.f_blocks >= s.f_bfree ? s.f_blocks - s.f_bfree : 0;
    Usage u;
    u.size = double(s.f_blocks) * unit;
    u.used = double(usedBlocks) * unit;
    u.free = double(s.f_bavail) * unit;
    const quint64 denominator = usedBlocks + s.f_bavail;
    u.percent = denominator ? 100.0 * double(usedBlocks) / double(denominator) : 0.0;
    return u;
}
} // namespace

FilesystemCollector::FilesystemCollector(const QString &rootPath, bool allFilesystems,
                                         StatVfsFunction statVfs)
    : m_root(rootPath)
    , m_allFilesystems(allFilesystems)
    , m_statVfs(statVfs ? std::move(statVfs) : StatVfsFunction(::statvfs))
    , m_mountinfo(rootedPath(rootPath, "proc/self/mountinfo"), ProcFile::Records::Many)
{}

bool FilesystemCollector::mountsChanged(qint64 monotonicUs)
{
    if (!m_scanned || monotonicUs - m_lastScanUs >= RescanUs || monotonicUs < m_lastScanUs)
        return true;
    if (!m_mountinfo.isOpen())
        return false;
    pollfd p{m_mountinfo.fd(), POLLPRI, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLPRI | POLLERR)) != 0;
}

void FilesystemCollector::rescan()
{
    const QList<MountEntry> entries = parseMountInfo(m_mountinfo.read());
    std::vector<const MountEntry *> kept;
    for (const MountEntry &e : entries) {
        if (!m_allFilesystems && isVirtualFilesystem(e.fsType))
            continue;
        // Bind mounts repeat a device; like df, show it once, at its shortest path.
        auto same = std::find_if(kept.begin(), kept.end(), [&](const MountEntry *k) {
            return k->major == e.major && k->minor == e.minor;
        });
        if (same == kept.end())
            kept.push_back(&e);
        else if (e.mountPoint.size() < (*same)->mountPoint.size())
            *same = &e;
    }

    std::vector<Mount> mounts;
    mounts.reserve(kept.size());
    const bool atRoot = rootedPath(m_root, "") == "/";
    for (const MountEntry *e : kept) {
        Mount m;
        m.path = atRoot ? QFile::encodeName(e->mountPoint)
                        : rootedPath(m_root, QFile::encodeName(e->mountPoint).mid(1));
        struct statvfs s
        {
        };
        // Like df, leave out what cannot be asked and what holds nothing.
        if (m_statVfs(m.path.constData(), &s) != 0 || (s.f_blocks == 0 && !m_allFilesystems))
            continue;
        const QString prefix = QStringLiteral("fs.") + e->mountPoint;
        const QList<MetricAttribute> attrs{{QStringLiteral("device"), e->source},
                                           {QStringLiteral("fstype"), e->fsType},
                                           {QStringLiteral("mountpoint"), e->mountPoint}};
        auto metric = [&](const char *suffix, const char *label, const char *unit, double max) {
            return makeMetric(prefix + QLatin1StringView(suffix),
                              e->mountPoint + u' ' + QLatin1StringView(label),
                              QLatin1StringView(unit), MetricKind::Gauge, max, attrs);
        };
        m.size = metric(".size", "size", "B", qQNaN());
        m.used = metric(".used", "used", "B", qQNaN());
        m.free = metric(".free", "free", "B", qQNaN());
        m.percent = metric(".percent", "used", "%", 100.0);
        mounts.push_back(std::move(m));
    }
    m_mounts = std::move(mounts);
}

void FilesystemCollector::collect(const SampleContext &context, SnapshotBuilder &out)
{
    if (mountsChanged(context.monotonicUs)) {
        rescan();
        m_scanned = true;
        m_lastScanUs = context.monotonicUs;
    }
    for (const Mount &m : m_mounts) {
        struct statvfs s
        {
        };
        const Usage u = m_statVfs(m.path.constData(), &s) == 0 ? usageOf(s) : Usage{};
        out.add(m.size, u.size);
        out.add(m.used, u.used);
        out.add(m.free, u.free);
        out.add(m.percent, u.percent);
    }
}

} // namespace tidewatch
