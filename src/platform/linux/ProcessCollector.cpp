// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcessCollector.h"

#include "ProcParsers.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace tidewatch {

using namespace procfs;

struct ProcessCollector::Process
{
    ProcFile stat;
    bool keepOpen = false;
    QByteArray comm;
    QString name;
    quint64 startTime = 0;
    quint64 cpuTicks = 0;
    bool hasPrevious = false;
    double cpuPercent = qQNaN();
    qint64 rssBytes = 0;
    qint64 pid = 0;
    quint64 seenPass = 0;
};

ProcessCollector::ProcessCollector(const QString &rootPath, int topProcesses)
    : m_procPath(rootedPath(rootPath, "proc"))
    , m_topCount(std::max(0, topProcesses))
    , m_count(makeMetric(QStringLiteral("proc.count"), QStringLiteral("Processes"), QString(),
                         MetricKind::Gauge))
    , m_threads(makeMetric(QStringLiteral("proc.threads"), QStringLiteral("Threads"), QString(),
                           MetricKind::Gauge))
{
    if (const long hz = ::sysconf(_SC_CLK_TCK); hz > 0)
        m_userHz = double(hz);
    if (const long page = ::sysconf(_SC_PAGESIZE); page > 0)
        m_pageSize = page;
    // One descriptor per process makes each pass cheap, but must not starve the
    // rest of the program (sockets, the database) of descriptors.
    rlimit limit{};
    rlim_t soft = 1024;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        soft = limit.rlim_cur;
    m_maxOpenFiles = int(std::min<rlim_t>(4096, soft / 4));
}

ProcessCollector::~ProcessCollector()
{
    if (m_procDir)
        ::closedir(m_procDir);
}

ProcessCollector::Process *ProcessCollector::process(qint64 pid)
{
    if (auto it = m_processes.find(pid); it != m_processes.end())
        return it->second.get();
    auto p = std::make_unique<Process>();
    p->pid = pid;
    p->stat = ProcFile(m_procPath + '/' + QByteArray::number(pid) + "/stat");
    if (m_openFiles < m_maxOpenFiles) {
        p->keepOpen = true;
        ++m_openFiles;
    }
    return m_processes.emplace(pid, std::move(p)).first->second.get();
}

void ProcessCollector::forget(qint64 pid)
{
    auto it = m_processes.find(pid);
    if (it == m_processes.end())
        return;
    if (it->second->keepOpen)
        --m_openFiles;
    m_processes.erase(it);
}

void ProcessCollector::collect(const SampleContext &context, SnapshotBuilder &out)
{
    const double seconds = m_interval.advance(context.monotonicUs);
    ++m_pass;
    if (m_procDir)
        ::rewinddir(m_procDir);
    else
        m_procDir = ::opendir(m_procPath.constData());
    if (!m_procDir)
        return;

    m_live.clear();
    int count = 0;
    qint64 threads = 0;
    while (const dirent *e = ::readdir(m_procDir)) {
        const char *n = e->d_name;
        if (*n < '1' || *n > '9')
            continue;
        qint64 pid = 0;
        for (; *n >= '0' && *n <= '9' && pid < (qint64(1) << 40); ++n)
            pid = pid * 10 + (*n - '0');
        if (*n != '\0')
            continue;
        if (int(m_live.size()) >= MaxProcesses) {
            ++count; // counted, not read: keeps a pass bounded on huge hosts
            continue;
        }
        Process *p = process(pid);
        const std::optional<PidStat> s = parsePidStat(p->stat.read(m_scratch));
        if (!p->keepOpen)
            p->stat.close();
        if (!s || s->pid != pid) {
            forget(pid); // gone between readdir and read: not an error
            continue;
        }
        const quint64 ticks = s->utime + s->stime;
        // A pid reused by a new process must not inherit the old one's ticks.
        const bool sameProcess = p->hasPrevious && p->startTime == s->startTime;
        p->cpuPercent = sameProcess && ticks >= p->cpuTicks && seconds > 0
                            ? 100.0 * (double(ticks - p->cpuTicks) / m_userHz) / seconds
                            : qQNaN();
        p->cpuTicks = ticks;
        p->startTime = s->startTime;
        p->hasPrevious = true;
        p->rssBytes = std::max<qint64>(0, s->rssPages) * m_pageSize;
        if (p->comm != s->comm) {
            p->comm = s->comm.toByteArray();
            p->name = QString::fromUtf8(p->comm);
        }
        p->seenPass = m_pass;
        threads += std::max<qint64>(0, s->numThreads);
        ++count;
        m_live.push_back(p);
    }

    m_gone.clear();
    for (const auto &[pid, p] : m_processes) {
        if (p->seenPass != m_pass)
            m_gone.push_back(pid);
    }
    for (qint64 pid : m_gone)
        forget(pid);

    out.add(m_count, double(count));
    out.add(m_threads, double(threads));

    ProcessSummary &summary = out.processes();
    summary.count = count;
    summary.topCpu.clear();
    summary.topRss.clear();
    auto info = [](const Process *p) {
        return ProcessInfo{p->pid, p->name, qIsNaN(p->cpuPercent) ? 0.0 : p->cpuPercent,
                           p->rssBytes};
    };

    const size_t top = size_t(m_topCount);
    auto byRss = [](const Process *a, const Process *b) {
        return a->rssBytes != b->rssBytes ? a->rssBytes > b->rssBytes : a->pid < b->pid;
    };
    const size_t rssCount = std::min(top, m_live.size());
    std::partial_sort(m_live.begin(), m_live.begin() + qsizetype(rssCount), m_live.end(), byRss);
    summary.topRss.reserve(qsizetype(rssCount));
    for (size_t i = 0; i < rssCount; ++i)
        summary.topRss.append(info(m_live[i]));

    const auto withCpu = std::partition(m_live.begin(), m_live.end(),
                                        [](const Process *p) { return !qIsNaN(p->cpuPercent); });
    auto byCpu = [](const Process *a, const Process *b) {
        return a->cpuPercent != b->cpuPercent ? a->cpuPercent > b->cpuPercent : a->pid < b->pid;
    };
    const size_t cpuCount = std::min(top, size_t(withCpu - m_live.begin()));
    std::partial_sort(m_live.begin(), m_live.begin() + qsizetype(cpuCount), withCpu, byCpu);
    summary.topCpu.reserve(qsizetype(cpuCount));
    for (size_t i = 0; i < cpuCount; ++i)
        summary.topCpu.append(info(m_live[i]));
}

} // namespace tidewatch
