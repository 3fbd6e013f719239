// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/meminfo: kB values scaled to bytes, which must not overflow.

#include "FuzzCheck.h"
#include "ProcParsers.h"

using namespace tidewatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const procfs::MemInfo m = procfs::parseMemInfo(fuzz::input(data, size));
    // Every field is either absent or a real value; reading them all keeps
    // a sanitizer build honest about uninitialised optionals.
    quint64 sum = 0;
    for (const std::optional<quint64> &v : {m.total, m.free, m.available, m.buffers, m.cached,
                                            m.sReclaimable, m.swapTotal, m.swapFree}) {
        if (v)
            sum ^= *v;
    }
    (void)sum;
    return 0;
}
