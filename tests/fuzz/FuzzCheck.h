// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the fuzz targets. Each target checks what its parser promises,
// not only that it does not crash; a broken promise aborts, which both
// libFuzzer and the corpus replay under CTest report as a failure.

#include <QByteArrayView>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

// assert() is gone in RelWithDebInfo (NDEBUG), and the replay must check the
// same things in every build type.
#define TIDEWATCH_FUZZ_CHECK(cond)                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);     \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace tidewatch::fuzz {

inline QByteArrayView input(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

/// True when `part` lies inside `whole`: parsers that return views must
/// never point outside the text they were given.
inline bool within(QByteArrayView part, QByteArrayView whole)
{
    const auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
    const auto p = reinterpret_cast<std::uintptr_t>(part.data());
    return part.isEmpty() ||
           (p >= begin && p + std::uintptr_t(part.size()) <= begin + std::uintptr_t(whole.size()));
}

} // namespace tidewatch::fuzz
