// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/<pid>/stat, whose command name may hold blanks and parentheses.

#include "FuzzCheck.h"
#include "ProcParsers.h"

using namespace tidewatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = fuzz::input(data, size);
    if (const std::optional<procfs::PidStat> s = procfs::parsePidStat(in)) {
        TIDEWATCH_FUZZ_CHECK(s->pid > 0);
        TIDEWATCH_FUZZ_CHECK(fuzz::within(s->comm, in));
        TIDEWATCH_FUZZ_CHECK(s->state != ' ' && s->state != '\n');
    }
    return 0;
}
