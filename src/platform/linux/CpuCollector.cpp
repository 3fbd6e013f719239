// SPDX-License-Identifier: GPL-3.0-or-later
#include "CpuCollector.h"

#include <unistd.h>

#include <algorithm>

namespace tidewatch {

using namespace procfs;

namespace {

constexpr int ModeCount = 8;
const std::array<QString, ModeCount> &modeNames()
{
    static const std::array<QString, ModeCount> names{
        QStringLiteral("user"),    QStringLiteral("nice"),   QStringLiteral("system"),
        QStringLiteral("idle"),    QStringLiteral("iowait"), QStringLiteral("irq"),
        QStringLiteral("softirq"), QStringLiteral("steal")};
    return names;
}

std::array<quint64, ModeCount> modeTicks(const CpuTimes &t)
{
    return {t.user, t.nice, t.system, t.idle, t.iowait, t.irq, t.softirq, t.steal};
}

/// Deltas of each mode, clamped at zero: iowait (and on some kernels idle) is
/// known to step backwards on NO_HZ systems, and a negative share is garbage.
CpuTimes delta(const CpuTimes &now, const CpuTimes &before)
{
    auto d = [](quint64 a, quint64 b) { return a > b ? a - b : quint64(0); };
    CpuTimes r;
    r.user = d(now.user, before.user);
    r.nice = d(now.nice, before.nice);
    r.system = d(now.system, before.system);
    r.idle = d(now.idle, before.idle);
    r.iowait = d(now.iowait, before.iowait);
    r.irq = d(now.irq, before.irq);
    r.softirq = d(now.softirq, before.softirq);
    r.steal = d(now.steal, before.steal);
    return r;
}

/// Busy share over the interval, as top: everything but idle and iowait.
double busyPercent(const CpuTimes &d)
{
    const quint64 total = d.total();
    if (total == 0)
        return qQNaN();
    return 100.0 * double(total - d.idle - d.iowait) / double(total);
}

double share(quint64 part, quint64 total)
{
    return total == 0 ? qQNaN() : 100.0 * double(part) / double(total);
}

MetricInfo percentMetric(const QString &id, const QString &label)
{
    return makeMetric(id, label, QStringLiteral("%"), MetricKind::Gauge, 100.0);
}

} // namespace

struct CpuCollector::Core
{
    std::optional<CpuTimes> previous;
    MetricInfo busy;
    MetricInfo frequency;
    std::array<MetricInfo, ModeCount> seconds;
    ProcFile frequencyFile;
    bool hasFrequency = false;
    quint64 seenPass = 0;
};

CpuCollector::CpuCollector(const QString &rootPath)
    : m_root(rootPath)
    , m_stat(rootedPath(rootPath, "proc/stat"))
    , m_loadAverage(rootedPath(rootPath, "proc/loadavg"))
    , m_uptime(rootedPath(rootPath, "proc/uptime"))
{
    const long hz = ::sysconf(_SC_CLK_TCK);
    if (hz > 0)
        m_userHz = double(hz);

    m_total = percentMetric(QStringLiteral("cpu.total"), QStringLiteral("CPU total"));
    m_user = percentMetric(QStringLiteral("cpu.user"), QStringLiteral("CPU user"));
    m_nice = percentMetric(QStringLiteral("cpu.nice"), QStringLiteral("CPU nice"));
    m_system = percentMetric(QStringLiteral("cpu.system"), QStringLiteral("CPU system"));
    m_irq = percentMetric(QStringLiteral("cpu.irq"), QStringLiteral("CPU interrupts"));
    m_iowait = percentMetric(QStringLiteral("cpu.iowait"), QStringLiteral("CPU I/O wait"));
    m_steal = percentMetric(QStringLiteral("cpu.steal"), QStringLiteral("CPU steal"));
    m_idle = percentMetric(QStringLiteral("cpu.idle"), QStringLiteral("CPU idle"));
    m_count = makeMetric(QStringLiteral("cpu.count"), QStringLiteral("Online CPUs"), QString(),
                         MetricKind::Gauge);
    m_contextSwitches = makeMetric(QStringLiteral("cpu.ctxt"), QStringLiteral("Context switches"),
                                   QStringLiteral("/s"), MetricKind::Rate);
    m_contextSwitchesTotal =
        makeMetric(QStringLiteral("cpu.ctxt.total"), QStringLiteral("Context switches since boot"),
                   QString(), MetricKind::Counter);
    m_forksTotal =
        makeMetric(QStringLiteral("cpu.forks.total"),
                   QStringLiteral("Processes created since boot"), QString(), MetricKind::Counter);
    m_load1 = makeMetric(QStringLiteral("load.1"), QStringLiteral("Load average (1 min)"),
                         QString(), MetricKind::Gauge);
    m_load5 = makeMetric(QStringLiteral("load.5"), QStringLiteral("Load average (5 min)"),
                         QString(), MetricKind::Gauge);
    m_load15 = makeMetric(QStringLiteral("load.15"), QStringLiteral("Load average (15 min)"),
                          QString(), MetricKind::Gauge);
    m_uptimeInfo = makeMetric(QStringLiteral("host.uptime"), QStringLiteral("Uptime"),
                              QStringLiteral("s"), MetricKind::Gauge);
    m_bootTime = makeMetric(QStringLiteral("host.boot_time"), QStringLiteral("Boot time"),
                            QStringLiteral("s"), MetricKind::Gauge);
    m_running = makeMetric(QStringLiteral("proc.running"), QStringLiteral("Runnable processes"),
                           QString(), MetricKind::Gauge);
    m_blocked =
        makeMetric(QStringLiteral("proc.blocked"), QStringLiteral("Processes blocked on I/O"),
                   QString(), MetricKind::Gauge);
}

CpuCollector::~CpuCollector() = default;

CpuCollector::Core &CpuCollector::core(int id)
{
    if (size_t(id) >= m_cores.size())
        m_cores.resize(size_t(id) + 1);
    std::unique_ptr<Core> &slot = m_cores[size_t(id)];
    if (slot)
        return *slot;
    slot = std::make_unique<Core>();
    const QString n = QString::number(id);
    const QString prefix = QStringLiteral("cpu.core.") + n;
    slot->busy = percentMetric(prefix, QStringLiteral("CPU ") + n);
    slot->frequency = makeMetric(prefix + QStringLiteral(".freq"),
                                 QStringLiteral("CPU ") + n + QStringLiteral(" frequency"),
                                 QStringLiteral("Hz"), MetricKind::Gauge);
    for (int m = 0; m < ModeCount; ++m) {
        const QString &mode = modeNames()[size_t(m)];
        slot->seconds[size_t(m)] = makeMetric(prefix + QStringLiteral(".seconds.") + mode,
                                              QStringLiteral("CPU ") + n + QStringLiteral(" ") +
                                                  mode + QStringLiteral(" time"),
                                              QStringLiteral("s"), MetricKind::Counter);
    }
    // cpufreq is absent on many VMs; look once rather than failing an open()
    // per core on every tick.
    const QByteArray frequencyPath =
        "sys/devices/system/cpu/cpu" + n.toLatin1() + "/cpufreq/scaling_cur_freq";
    slot->frequencyFile = ProcFile(rootedPath(m_root, frequencyPath));
    slot->hasFrequency = slot->frequencyFile.open();
    return *slot;
}

void CpuCollector::collect(const SampleContext &context, SnapshotBuilder &out)
{
    const double seconds = m_interval.advance(context.monotonicUs);
    ++m_pass;
    parseProcStat(m_stat.read(), m_parsed);

    if (m_parsed.total) {
        const CpuTimes &now = *m_parsed.total;
        CpuTimes d;
        const bool haveDelta = m_previousTotal.has_value();
        if (haveDelta)
            d = delta(now, *m_previousTotal);
        const quint64 total = haveDelta ? d.total() : 0;
        out.add(m_total, haveDelta ? busyPercent(d) : qQNaN());
        out.add(m_user, share(d.user, total));
        out.add(m_nice, share(d.nice, total));
        out.add(m_system, share(d.system, total));
        out.add(m_irq, share(d.irq + d.softirq, total));
        out.add(m_iowait, share(d.iowait, total));
        out.add(m_steal, share(d.steal, total));
        out.add(m_idle, share(d.idle, total));
        m_previousTotal = now;
    } else {
        m_previousTotal.reset();
    }
    if (!m_parsed.cores.empty() || m_parsed.total)
        out.add(m_count, double(m_parsed.cores.size()));

    if (m_parsed.contextSwitches) {
        out.add(m_contextSwitches,
                m_previousContextSwitches
                    ? ratePerSecond(*m_previousContextSwitches, *m_parsed.contextSwitches, seconds)
                    : qQNaN());
        out.add(m_contextSwitchesTotal, double(*m_parsed.contextSwitches));
    }
    m_previousContextSwitches = m_parsed.contextSwitches;
    if (m_parsed.forks)
        out.add(m_forksTotal, double(*m_parsed.forks));

    for (const CpuLine &line : m_parsed.cores) {
        Core &c = core(line.id);
        c.seenPass = m_pass;
        out.add(c.busy, c.previous ? busyPercent(delta(line.times, *c.previous)) : qQNaN());
        c.previous = line.times;
        if (c.hasFrequency) {
            const std::optional<qint64> khz = parseInteger(c.frequencyFile.read(m_scratch));
            out.add(c.frequency, khz && *khz > 0 ? double(*khz) * 1000.0 : qQNaN());
        }
        const std::array<quint64, ModeCount> ticks = modeTicks(line.times);
        for (int m = 0; m < ModeCount; ++m)
            out.add(c.seconds[size_t(m)], double(ticks[size_t(m)]) / m_userHz);
    }
    // A core that went offline starts over when it returns: its old counters
    // would make a delta across the gap.
    for (const std::unique_ptr<Core> &c : m_cores) {
        if (c && c->seenPass != m_pass)
            c->previous.reset();
    }

    if (const std::optional<LoadAverage> load = parseLoadAverage(m_loadAverage.read())) {
        out.add(m_load1, load->one);
        out.add(m_load5, load->five);
        out.add(m_load15, load->fifteen);
    }
    if (const std::optional<double> up = parseUptime(m_uptime.read()))
        out.add(m_uptimeInfo, *up);
    if (m_parsed.bootTime)
        out.add(m_bootTime, double(*m_parsed.bootTime));
    if (m_parsed.running)
        out.add(m_running, double(*m_parsed.running));
    if (m_parsed.blocked)
        out.add(m_blocked, double(*m_parsed.blocked));
}

} // namespace tidewatch
