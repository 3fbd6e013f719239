// SPDX-License-Identifier: GPL-3.0-or-later
#include "Sampler.h"

#include <QSysInfo>
#include <QTimer>

#include <algorithm>

namespace tidewatch {

void TickSchedule::start(qint64 monotonicUs, qint64 wallMs, int intervalMs)
{
    m_intervalMs = std::max(1, intervalMs);
    m_skipped = 0;
    // Land on the next wall-clock multiple of the interval, but never sooner
    // than half an interval away: the priming pass just ran, and a delta over
    // a few milliseconds would give a meaningless CPU percentage.
    qint64 delayMs = m_intervalMs - (wallMs % m_intervalMs);
    if (delayMs < m_intervalMs / 2)
        delayMs += m_intervalMs;
    m_nextUs = monotonicUs + delayMs * 1000;
}

qint64 TickSchedule::advance(qint64 monotonicUs)
{
    const qint64 intervalUs = qint64(m_intervalMs) * 1000;
    m_nextUs += intervalUs;
    if (m_nextUs <= monotonicUs) {
        // We are more than a whole interval late (a suspended machine, a
        // stalled thread): skip the missed ticks instead of firing a burst.
        const qint64 missed = (monotonicUs - m_nextUs) / intervalUs + 1;
        m_nextUs += missed * intervalUs;
        m_skipped += missed;
    }
    return m_nextUs - monotonicUs;
}

SamplingPass::SamplingPass(CollectorList collectors, std::shared_ptr<const Clock> clock,
                           QString host)
    : m_collectors(std::move(collectors))
    , m_clock(clock ? std::move(clock) : std::make_shared<SystemClock>())
    , m_host(host.isEmpty() ? QSysInfo::machineHostName() : std::move(host))
{}

SamplingPass::~SamplingPass() = default;

SampleContext SamplingPass::collectAll()
{
    SampleContext context;
    context.monotonicUs = m_clock->monotonicUs();
    context.wallMs = m_clock->wallMs();
    for (const auto &collector : m_collectors)
        collector->collect(context, m_builder);
    return context;
}

void SamplingPass::prime()
{
    collectAll();
    m_catalog = m_builder.build(m_catalog).catalog;
}

SnapshotPtr SamplingPass::run()
{
    const qint64 cpuStart = m_clock->threadCpuUs();
    const SampleContext context = collectAll();

    auto snapshot = std::make_shared<Snapshot>(m_builder.build(m_catalog));
    m_catalog = snapshot->catalog;
    snapshot->host = m_host;
    snapshot->ts = context.wallMs;
    snapshot->seq = ++m_seq;
    snapshot->sampleCpuUs = m_clock->threadCpuUs() - cpuStart;
    snapshot->sampleWallUs = m_clock->monotonicUs() - context.monotonicUs;
    return snapshot;
}

// Lives in the sampler's thread: owns the pass and the timer, so nothing
// here is ever touched from another thread except through queued calls.
class SamplerWorker final : public QObject
{
    Q_OBJECT
public:
    SamplerWorker(CollectorList collectors, std::shared_ptr<const Clock> clock, QString host,
                  int intervalMs)
        : m_clock(clock ? clock : std::make_shared<SystemClock>())
        , m_pass(std::move(collectors), m_clock, std::move(host))
        , m_intervalMs(intervalMs)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &SamplerWorker::tick);
    }

    void begin()
    {
        if (m_running)
            return;
        m_running = true;
        if (!m_primed) {
            m_pass.prime();
            m_primed = true;
        }
        restartSchedule();
    }

    void end()
    {
        m_running = false;
        m_timer.stop();
    }

    void setInterval(int ms)
    {
        m_intervalMs = ms;
        if (m_running)
            restartSchedule();
    }

Q_SIGNALS:
    void snapshotReady(const tidewatch::SnapshotPtr &snapshot);

private:
    void restartSchedule()
    {
        m_schedule.start(m_clock->monotonicUs(), m_clock->wallMs(), m_intervalMs);
        arm(m_schedule.firstDelayUs(m_clock->monotonicUs()));
    }

    void arm(qint64 delayUs)
    {
        // Round up: a timer that fires a little early would sample before
        // the tick's moment.
        m_timer.start(int((delayUs + 999) / 1000));
    }

    void tick()
    {
        if (!m_running)
            return;
        Q_EMIT snapshotReady(m_pass.run());
        arm(m_schedule.advance(m_clock->monotonicUs()));
    }

    std::shared_ptr<const Clock> m_clock;
    SamplingPass m_pass;
    TickSchedule m_schedule;
    QTimer m_timer{this};
    int m_intervalMs;
    bool m_running = false;
    bool m_primed = false;
};

Sampler::Sampler(CollectorList collectors, QString host, std::shared_ptr<const Clock> clock,
                 QObject *parent)
    : QObject(parent)
    , m_host(host.isEmpty() ? QSysInfo::machineHostName() : std::move(host))
{
    qRegisterMetaType<tidewatch::SnapshotPtr>();
    qRegisterMetaType<tidewatch::CatalogPtr>();
    m_thread.setObjectName(QStringLiteral("tidewatch-sampler"));
    m_worker = new SamplerWorker(std::move(collectors), std::move(clock), m_host, m_intervalMs);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SamplerWorker::snapshotReady, this, &Sampler::snapshotReady,
            Qt::QueuedConnection);
}

Sampler::~Sampler()
{
    stop();
    if (!m_thread.isRunning()) {
        // Never started: the worker was never moved into a running thread's
        // event loop, so the finished() signal will not delete it.
        delete m_worker;
        return;
    }
    m_thread.quit();
    m_thread.wait();
}

void Sampler::start()
{
    if (!m_thread.isRunning())
        m_thread.start();
    QMetaObject::invokeMethod(m_worker, &SamplerWorker::begin, Qt::QueuedConnection);
}

void Sampler::stop()
{
    if (m_thread.isRunning())
        QMetaObject::invokeMethod(m_worker, &SamplerWorker::end, Qt::BlockingQueuedConnection);
}

void Sampler::setIntervalMs(int ms)
{
    ms = std::clamp(ms, MinIntervalMs, MaxIntervalMs);
    if (ms == m_intervalMs)
        return;
    m_intervalMs = ms;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, ms] { worker->setInterval(ms); }, Qt::QueuedConnection);
    Q_EMIT intervalChanged(ms);
}

} // namespace tidewatch

#include "Sampler.moc"
