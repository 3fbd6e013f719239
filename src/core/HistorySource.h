// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <functional>

class QObject;

namespace tidewatch {

/// The history tiers, finest first. Each keeps its own retention.
enum class StoreTier : int {
    Raw = 0,    ///< samples at the sampling rate
    Minute = 1, ///< per-minute min, max and average
    Hour = 2,   ///< per-hour min, max and average
};

/// A range query over persistent history.
struct HistoryRequest
{
    QString host;         ///< empty: the store's own host
    QStringList patterns; ///< glob patterns (metricIdMatches); empty: every stored metric
    qint64 fromTs = 0;    ///< ms since the epoch, inclusive
    qint64 toTs = 0;      ///< ms since the epoch, inclusive
    int maxPoints = 1000; ///< per series, 1..10000
};

/// One metric's answer, aligned with HistoryResult::ts; NaN marks an empty bucket.
struct HistorySeries
{
    QString id;
    QList<double> avg;
    QList<double> min;
    QList<double> max;
};

struct HistoryResult
{
    bool ok = false;
    QString error;
    StoreTier tier = StoreTier::Raw; ///< coarsest tier that still gives maxPoints over the range
    qint64 fromTs = 0;
    qint64 toTs = 0;
    qint64 stepMs = 0; ///< bucket width; 0: raw samples as they are
    QList<qint64> ts;  ///< bucket starts (or sample times), oldest first, shared by all series
    QList<HistorySeries> series;
};

/// What a persistent store reports about itself (/healthz, the status bar).
struct StoreStatus
{
    enum class State { Off, Ok, Degraded, Failed };
    State state = State::Off;
    QString backend;  ///< "sqlite" or "postgresql"
    QString location; ///< file path, or host:port/db (never a password)
    QString message;  ///< why degraded or failed, one line
    qint64 writtenPoints = 0;
    qint64 pendingPoints = 0;
    qint64 spooledBlocks = 0;
    qint64 droppedPoints = 0;
    qint64 lastWriteTs = 0; ///< ms since the epoch of the last successful write
};

/// Answers range queries over persistent history. Implemented by
/// HistoryStore (tidewatch_store); the feed and the desktop app see only
/// this, so neither links the store.
class HistorySource
{
public:
    virtual ~HistorySource() = default;
    /// Runs the query off the caller's thread; `done` is invoked in `context`'s thread
    /// (not at all when `context` is destroyed first).
    virtual void query(const HistoryRequest &request, QObject *context,
                       std::function<void(const HistoryResult &)> done) = 0;
    /// Thread-safe.
    virtual StoreStatus status() const = 0;
};

} // namespace tidewatch

Q_DECLARE_METATYPE(tidewatch::StoreStatus)
