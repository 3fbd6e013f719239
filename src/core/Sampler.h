// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"
#include "Collector.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace tidewatch {

/// When the next tick is due. Ticks land on multiples of the interval of the
/// wall clock (12:00:01.000, .100, …), so instances and restarts line up, and
/// then follow the monotonic clock, so wall-clock jumps do not bunch ticks.
/// A tick that is late by more than a whole interval is skipped, not bunched.
class TickSchedule final
{
public:
    void start(qint64 monotonicUs, qint64 wallMs, int intervalMs);
    /// Called when a tick fires at `monotonicUs`: returns µs to wait for the next.
    qint64 advance(qint64 monotonicUs);
    /// µs until the first tick, right after start().
    qint64 firstDelayUs(qint64 monotonicUs) const
    {
        return std::max<qint64>(0, m_nextUs - monotonicUs);
    }
    qint64 skipped() const { return m_skipped; }
    int intervalMs() const { return m_intervalMs; }

private:
    qint64 m_nextUs = 0;
    qint64 m_skipped = 0;
    int m_intervalMs = 1000;
};

/// One sampling pass over all collectors, producing one Snapshot. Plain code
/// with no thread of its own, so tests and benchmarks drive it directly.
class SamplingPass final
{
public:
    SamplingPass(CollectorList collectors, std::shared_ptr<const Clock> clock, QString host);
    ~SamplingPass();
    /// Runs the collectors so counters have a baseline, and discards the
    /// result (its rates would be NaN). Does not advance the sequence.
    void prime();
    SnapshotPtr run();
    const QString &host() const { return m_host; }
    quint64 lastSeq() const { return m_seq; }

private:
    SampleContext collectAll();

    CollectorList m_collectors;
    std::shared_ptr<const Clock> m_clock;
    QString m_host;
    SnapshotBuilder m_builder;
    CatalogPtr m_catalog;
    quint64 m_seq = 0;
};

class SamplerWorker;

/// Runs the collectors on a steady cadence on its own thread and emits one
/// immutable Snapshot per tick. The first pass only primes the counters
/// (its rates would be NaN), so the first emitted snapshot has real rates.
class Sampler final : public QObject
{
    Q_OBJECT
public:
    static constexpr int MinIntervalMs = 100;
    static constexpr int MaxIntervalMs = 60 * 60 * 1000;
    static constexpr int DefaultIntervalMs = 1000;

    explicit Sampler(CollectorList collectors, QString host = QString(),
                     std::shared_ptr<const Clock> clock = nullptr, QObject *parent = nullptr);
    ~Sampler() override; ///< stops and joins the thread

    void start();
    void stop();
    bool isRunning() const { return m_thread.isRunning(); }

    int intervalMs() const { return m_intervalMs; }
    /// Clamped to [MinIntervalMs, MaxIntervalMs]; takes effect from the next tick.
    void setIntervalMs(int ms);
    QString host() const { return m_host; }

Q_SIGNALS:
    void snapshotReady(const tidewatch::SnapshotPtr &snapshot);
    void intervalChanged(int ms);

private:
    QThread m_thread;
    SamplerWorker *m_worker = nullptr; // lives in m_thread, deleted on finish
    int m_intervalMs = DefaultIntervalMs;
    QString m_host;
};

} // namespace tidewatch
