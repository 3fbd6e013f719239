// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/self/mountinfo and its octal escapes.

#include "FuzzCheck.h"
#include "ProcParsers.h"

using namespace tidewatch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView in = fuzz::input(data, size);
    const QList<procfs::MountEntry> entries = procfs::parseMountInfo(in);
    for (const procfs::MountEntry &e : entries) {
        TIDEWATCH_FUZZ_CHECK(!e.mountPoint.isEmpty() && !e.root.isEmpty() && !e.fsType.isEmpty());
        (void)procfs::isVirtualFilesystem(e.fsType);
    }
    // Undoing escapes only ever shortens a field (four bytes become one).
    const QByteArray unescaped = procfs::unescapeMountField(in);
    TIDEWATCH_FUZZ_CHECK(unescaped.size() <= in.size());
    if (!in.contains('\\'))
        TIDEWATCH_FUZZ_CHECK(unescaped == in);
    return 0;
}
