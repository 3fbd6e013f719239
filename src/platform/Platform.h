// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Collector.h"
#include "Config.h"

#include <QString>

namespace tidewatch {

/// Which collectors to build, and where they read the machine from.
struct PlatformOptions
{
    QString rootPath = QStringLiteral("/"); ///< tests point this at a fixture tree
    bool allFilesystems = false;            ///< include tmpfs, overlay, proc … (normally hidden)
    bool allDisks = false;                  ///< include partitions and loop devices
    int topProcesses = 10;                  ///< length of the top-by-CPU and top-by-RSS lists

    static PlatformOptions fromConfig(const Config &config)
    {
        PlatformOptions options;
        options.rootPath = config.rootPath;
        options.allFilesystems = config.allFilesystems;
        options.allDisks = config.allDisks;
        return options;
    }
};

/// The collectors of the operating system this build is for.
CollectorList createCollectors(const PlatformOptions &options);

/// Raises the soft limit on open files to the hard limit. A server holding a
/// thousand clients needs more than the usual soft limit of 1024 descriptors.
/// Returns the limit now in force (0 when unknown).
qint64 raiseOpenFileLimit();

} // namespace tidewatch
