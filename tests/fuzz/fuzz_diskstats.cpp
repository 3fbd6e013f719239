// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/diskstats: device names are views into the text.

#include "FuzzCheck.h"
#include "ProcParsers.h"

using namespace tidewatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = fuzz::input(data, size);
    static std::vector<procfs::DiskStat> out;
    procfs::parseDiskStats(in, out);
    for (const procfs::DiskStat &d : out) {
        TIDEWATCH_FUZZ_CHECK(!d.name.isEmpty() && fuzz::within(d.name, in));
        TIDEWATCH_FUZZ_CHECK(!d.name.contains(' ') && !d.name.contains('\n'));
        // The collector classifies every name it meets.
        (void)procfs::isVirtualBlockDevice(d.name);
        (void)procfs::looksLikePartition(d.name);
    }
    return 0;
}
