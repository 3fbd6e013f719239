// SPDX-License-Identifier: GPL-3.0-or-later
#include "MemoryCollector.h"

#include "LinuxMetrics.h"
#include "ProcParsers.h"

namespace tidewatch {

using namespace procfs;

namespace {
MetricInfo bytes(const QString &id, const QString &label)
{
    return makeMetric(id, label, QStringLiteral("B"), MetricKind::Gauge);
}
MetricInfo percent(const QString &id, const QString &label)
{
    return makeMetric(id, label, QStringLiteral("%"), MetricKind::Gauge, 100.0);
}
} // namespace

MemoryCollector::MemoryCollector(const QString &rootPath)
    : m_meminfo(rootedPath(rootPath, "proc/meminfo"))
    , m_total(bytes(QStringLiteral("mem.total"), QStringLiteral("Memory total")))
    , m_available(bytes(QStringLiteral("mem.available"), QStringLiteral("Memory available")))
    , m_free(bytes(QStringLiteral("mem.free"), QStringLiteral("Memory free")))
    , m_buffers(bytes(QStringLiteral("mem.buffers"), QStringLiteral("Memory buffers")))
    , m_cached(bytes(QStringLiteral("mem.cached"), QStringLiteral("Memory cached")))
    , m_used(bytes(QStringLiteral("mem.used"), QStringLiteral("Memory used")))
    , m_percent(percent(QStringLiteral("mem.percent"), QStringLiteral("Memory used")))
    , m_swapTotal(bytes(QStringLiteral("swap.total"), QStringLiteral("Swap total")))
    , m_swapUsed(bytes(QStringLiteral("swap.used"), QStringLiteral("Swap used")))
    , m_swapFree(bytes(QStringLiteral("swap.free"), QStringLiteral("Swap free")))
    , m_swapPercent(percent(QStringLiteral("swap.percent"), QStringLiteral("Swap used")))
{}

void MemoryCollector::collect(const SampleContext &, SnapshotBuilder &out)
{
    const MemInfo m = parseMemInfo(m_meminfo.read());
    if (!m.total || *m.total == 0)
        return;
    const quint64 total = *m.total;
    const quint64 free = m.free.value_or(0);
    const quint64 buffers = m.buffers.value_or(0);
    const quint64 cached = m.cached.value_or(0) + m.sReclaimable.value_or(0);
    // Kernels before 3.14 have no MemAvailable; procps falls back to roughly this.
    const quint64 available = std::min(total, m.available.value_or(free + buffers + cached));
    const quint64 used = total - available;

    out.add(m_total, double(total));
    out.add(m_available, double(available));
    out.add(m_free, double(free));
    out.add(m_buffers, double(buffers));
    out.add(m_cached, double(cached));
    out.add(m_used, double(used));
    out.add(m_percent, 100.0 * double(used) / double(total));

    const quint64 swapTotal = m.swapTotal.value_or(0);
    const quint64 swapFree = std::min(swapTotal, m.swapFree.value_or(0));
    const quint64 swapUsed = swapTotal - swapFree;
    out.add(m_swapTotal, double(swapTotal));
    out.add(m_swapUsed, double(swapUsed));
    out.add(m_swapFree, double(swapFree));
    out.add(m_swapPercent, swapTotal ? 100.0 * double(swapUsed) / double(swapTotal) : 0.0);
}

} // namespace tidewatch
