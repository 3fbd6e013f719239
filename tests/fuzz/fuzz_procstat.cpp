// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/stat, read every tick into storage that is reused.

#include "FuzzCheck.h"
#include "ProcParsers.h"

using namespace tidewatch;

namespace {

bool sameTimes(const procfs::CpuTimes &a, const procfs::CpuTimes &b)
{
    return a.user == b.user && a.nice == b.nice && a.system == b.system && a.idle == b.idle &&
           a.iowait == b.iowait && a.irq == b.irq && a.softirq == b.softirq && a.steal == b.steal &&
           a.guest == b.guest && a.guestNice == b.guestNice;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = fuzz::input(data, size);
    procfs::ProcStat fresh;
    procfs::parseProcStat(in, fresh);
    for (const procfs::CpuLine &line : fresh.cores)
        TIDEWATCH_FUZZ_CHECK(line.id >= 0 && line.id <= (1 << 20));

    // Reused storage, as CpuCollector keeps it: a parse of other text first
    // must leave nothing behind.
    static procfs::ProcStat reused;
    procfs::parseProcStat("cpu 1 2 3 4\ncpu7 1 2 3 4\nctxt 9\nbtime 1\n", reused);
    procfs::parseProcStat(in, reused);
    TIDEWATCH_FUZZ_CHECK(reused.total.has_value() == fresh.total.has_value());
    TIDEWATCH_FUZZ_CHECK(!fresh.total || sameTimes(*reused.total, *fresh.total));
    TIDEWATCH_FUZZ_CHECK(reused.cores.size() == fresh.cores.size());
    for (size_t i = 0; i < fresh.cores.size(); ++i) {
        TIDEWATCH_FUZZ_CHECK(reused.cores[i].id == fresh.cores[i].id);
        TIDEWATCH_FUZZ_CHECK(sameTimes(reused.cores[i].times, fresh.cores[i].times));
    }
    TIDEWATCH_FUZZ_CHECK(reused.contextSwitches == fresh.contextSwitches);
    TIDEWATCH_FUZZ_CHECK(reused.bootTime == fresh.bootTime && reused.forks == fresh.forks);
    TIDEWATCH_FUZZ_CHECK(reused.running == fresh.running && reused.blocked == fresh.blocked);
    return 0;
}
