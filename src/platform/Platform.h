// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"

#include <QString>

namespace tidewatch {

/// Which collectors to build, and where they read the machine from.
struct PlatformOptions
{
    QString rootPath = QStringLiteral("/"); ///< tests point this at a fixture tree
    bool allFilesystems = false; ///< include tmpfs, overlay, proc … (normally hidden)
    bool allDisks = false;       ///< include partitions and loop devices
    int topProcesses = 10;       ///< length of the top-by-CPU and top-by-RSS lists
};

/// The collectors of the operating system this build is for.
CollectorList createCollectors(const PlatformOptions &options);

} // namespace tidewatch
