// SPDX-License-Identifier: GPL-3.0-or-later
// The clocks the benchmarks time with, in nanoseconds.
#pragma once

#include <QtGlobal>

#include <ctime>

namespace tidewatch::bench {

/// CPU time of the calling thread.
inline qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

/// Wall-clock time that never jumps.
inline qint64 monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace tidewatch::bench
