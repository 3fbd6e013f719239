// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"
#include "LinuxMetrics.h"
#include "ProcFile.h"

#include <dirent.h>

#include <memory>
#include <unordered_map>
#include <vector>

namespace tidewatch {

/// Process and thread counts, and the top processes by CPU and by RSS, from
/// /proc/<pid>/stat. A process seen for the first time has no CPU delta yet:
/// it is left out of the top-by-CPU list and shows 0 % in the top-by-RSS list.
class ProcessCollector final : public Collector
{
public:
    ProcessCollector(const QString &rootPath, int topProcesses);
    ~ProcessCollector() override;

    QString name() const override { return QStringLiteral("processes"); }
    void collect(const SampleContext &context, SnapshotBuilder &out) override;

    /// At most this many processes are read per pass; the rest are only counted.
    static constexpr int MaxProcesses = 32768;

private:
    struct Process;
    Process *process(qint64 pid);
    void forget(qint64 pid);

    QByteArray m_procPath;
    DIR *m_procDir = nullptr;
    int m_topCount = 10;
    double m_userHz = 100;
    qint64 m_pageSize = 4096;
    int m_maxOpenFiles = 0; ///< stat files kept open between passes, below RLIMIT_NOFILE
    int m_openFiles = 0;
    quint64 m_pass = 0;
    procfs::PassInterval m_interval;
    std::unordered_map<qint64, std::unique_ptr<Process>> m_processes;
    std::vector<Process *> m_live;
    QByteArray m_scratch; ///< every /proc/PID/stat is read into this one buffer
    std::vector<qint64> m_gone;
    MetricInfo m_count, m_threads;
};

} // namespace tidewatch
