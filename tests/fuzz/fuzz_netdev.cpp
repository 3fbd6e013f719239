// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/net/dev: interface names are views into the text.

#include "FuzzCheck.h"
#include "ProcParsers.h"

using namespace tidewatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = fuzz::input(data, size);
    static std::vector<procfs::NetDevStat> out;
    procfs::parseNetDev(in, out);
    for (const procfs::NetDevStat &s : out) {
        TIDEWATCH_FUZZ_CHECK(!s.name.isEmpty() && fuzz::within(s.name, in));
        TIDEWATCH_FUZZ_CHECK(!s.name.contains(':') && !s.name.contains('|') &&
                             !s.name.contains('\n'));
    }
    return 0;
}
