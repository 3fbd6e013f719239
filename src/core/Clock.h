// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace tidewatch {

/// Time source of the sampler; tests inject a manual one.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 monotonicUs() const = 0; ///< steady, arbitrary origin
    virtual qint64 wallMs() const = 0;      ///< ms since the epoch
    virtual qint64 threadCpuUs() const = 0; ///< CPU time used by the calling thread
};

/// The real clocks of the machine.
class SystemClock final : public Clock
{
public:
    qint64 monotonicUs() const override;
    qint64 wallMs() const override;
    qint64 threadCpuUs() const override;
};

} // namespace tidewatch
