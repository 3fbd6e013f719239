// SPDX-License-Identifier: GPL-3.0-or-later
// The one-line /proc files: loadavg and uptime.

#include "FuzzCheck.h"
#include "ProcParsers.h"

#include <cmath>

using namespace tidewatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = fuzz::input(data, size);
    if (const std::optional<procfs::LoadAverage> l = procfs::parseLoadAverage(in)) {
        for (double v : {l->one, l->five, l->fifteen})
            TIDEWATCH_FUZZ_CHECK(std::isfinite(v) && v >= 0);
    }
    if (const std::optional<double> up = procfs::parseUptime(in))
        TIDEWATCH_FUZZ_CHECK(std::isfinite(*up) && *up >= 0);
    return 0;
}
