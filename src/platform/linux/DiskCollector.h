// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"
#include "LinuxMetrics.h"
#include "ProcFile.h"
#include "ProcParsers.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace tidewatch {

/// Disk throughput, IOPS and busy time per physical device from
/// /proc/diskstats. Partitions, loop, ram and zram devices are left out unless
/// asked for, because they would count the same I/O twice.
class DiskCollector final : public Collector
{
public:
    DiskCollector(const QString &rootPath, bool allDisks);
    ~DiskCollector() override;

    QString name() const override { return QStringLiteral("disk"); }
    void collect(const SampleContext &context, SnapshotBuilder &out) override;

private:
    struct Device;
    Device &device(QByteArrayView name);
    bool isListed(QByteArrayView name) const;

    QString m_root;
    bool m_allDisks = false;
    bool m_haveSysBlock = false;
    ProcFile m_diskstats;
    std::vector<procfs::DiskStat> m_parsed;
    procfs::PassInterval m_interval;
    std::unordered_map<QByteArray, std::unique_ptr<Device>, procfs::ByteKeyHash,
                       procfs::ByteKeyEqual>
        m_devices;
    quint64 m_pass = 0;
    MetricInfo m_read, m_write;
};

} // namespace tidewatch
