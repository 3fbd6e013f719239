// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"
#include "ProcFile.h"

#include <sys/statvfs.h>

#include <functional>
#include <vector>

namespace tidewatch {

/// statvfs(3), or a stand-in that tests give fixed sizes with.
using StatVfsFunction = std::function<int(const char *path, struct statvfs *result)>;

/// Size and use of the mounted filesystems, as `df` shows them: real mounts
/// only (no proc, tmpfs, overlay …) unless all are asked for, one entry per
/// device however often it is bind-mounted.
class FilesystemCollector final : public Collector
{
public:
    FilesystemCollector(const QString &rootPath, bool allFilesystems, StatVfsFunction statVfs = {});

    QString name() const override { return QStringLiteral("filesystems"); }
    void collect(const SampleContext &context, SnapshotBuilder &out) override;

private:
    struct Mount
    {
        QByteArray path; ///< the mount point under the root path, for statvfs
        MetricInfo size, used, free, percent;
    };
    bool mountsChanged(qint64 monotonicUs);
    void rescan();

    QString m_root;
    bool m_allFilesystems = false;
    StatVfsFunction m_statVfs;
    ProcFile m_mountinfo;
    std::vector<Mount> m_mounts;
    qint64 m_lastScanUs = 0;
    bool m_scanned = false;
};

} // namespace tidewatch
