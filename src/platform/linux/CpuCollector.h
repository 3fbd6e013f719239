// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"
#include "LinuxMetrics.h"
#include "ProcFile.h"
#include "ProcParsers.h"

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace tidewatch {

/// CPU load, per core and in total, from /proc/stat deltas; frequencies from
/// cpufreq; load averages, uptime and boot time. Also proc.running and
/// proc.blocked, which live in /proc/stat beside the cpu lines.
class CpuCollector final : public Collector
{
public:
    explicit CpuCollector(const QString &rootPath);
    ~CpuCollector() override;

    QString name() const override { return QStringLiteral("cpu"); }
    void collect(const SampleContext &context, SnapshotBuilder &out) override;

private:
    struct Core;
    Core &core(int id);

    QString m_root;
    ProcFile m_stat;
    ProcFile m_loadAverage;
    ProcFile m_uptime;
    procfs::ProcStat m_parsed;
    procfs::PassInterval m_interval;
    std::optional<procfs::CpuTimes> m_previousTotal;
    std::optional<quint64> m_previousContextSwitches;
    std::vector<std::unique_ptr<Core>> m_cores; ///< indexed by the kernel's cpu id
    QByteArray m_scratch; ///< every core's frequency file is read into this one buffer
    double m_userHz = 100;
    quint64 m_pass = 0;

    MetricInfo m_total, m_user, m_nice, m_system, m_irq, m_iowait, m_steal, m_idle;
    MetricInfo m_count, m_contextSwitches, m_contextSwitchesTotal, m_forksTotal;
    MetricInfo m_load1, m_load5, m_load15, m_uptimeInfo, m_bootTime, m_running, m_blocked;
};

} // namespace tidewatch
