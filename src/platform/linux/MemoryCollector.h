// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"
#include "ProcFile.h"

namespace tidewatch {

/// RAM and swap from /proc/meminfo, with "used" as procps 4 `free` counts it
/// (total − MemAvailable), so the numbers match what users compare against.
class MemoryCollector final : public Collector
{
public:
    explicit MemoryCollector(const QString &rootPath);

    QString name() const override { return QStringLiteral("memory"); }
    void collect(const SampleContext &context, SnapshotBuilder &out) override;

private:
    ProcFile m_meminfo;
    MetricInfo m_total, m_available, m_free, m_buffers, m_cached, m_used, m_percent;
    MetricInfo m_swapTotal, m_swapUsed, m_swapFree, m_swapPercent;
};

} // namespace tidewatch
