// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Snapshot.h"

#include <QString>

#include <memory>
#include <vector>

namespace tidewatch {

/// What a collector needs to know about the moment it samples.
struct SampleContext
{
    qint64 monotonicUs = 0; ///< steady clock, for rates from counter deltas
    qint64 wallMs = 0;      ///< wall clock, ms since the epoch
};

/// Reads one area of the operating system (cpu, memory, disks, …) and adds
/// its metrics to a snapshot. Rates need two passes: on its first pass a
/// collector reports rates as NaN ("no value yet"), never as garbage.
class Collector
{
public:
    virtual ~Collector() = default;
    virtual QString name() const = 0;
    virtual void collect(const SampleContext &context, SnapshotBuilder &out) = 0;
};

using CollectorList = std::vector<std::unique_ptr<Collector>>;

} // namespace tidewatch
