// SPDX-License-Identifier: GPL-3.0-or-later
#include "Platform.h"

#include "CpuCollector.h"
#include "DiskCollector.h"
#include "FilesystemCollector.h"
#include "MemoryCollector.h"
#include "NetworkCollector.h"
#include "ProcessCollector.h"
#include "SensorCollector.h"

#include <sys/resource.h>

#include <limits>

namespace tidewatch {

CollectorList createCollectors(const PlatformOptions &options)
{
    const QString root = options.rootPath.isEmpty() ? QStringLiteral("/") : options.rootPath;
    CollectorList list;
    list.push_back(std::make_unique<CpuCollector>(root));
    list.push_back(std::make_unique<MemoryCollector>(root));
    list.push_back(std::make_unique<FilesystemCollector>(root, options.allFilesystems));
    list.push_back(std::make_unique<DiskCollector>(root, options.allDisks));
    list.push_back(std::make_unique<NetworkCollector>(root));
    list.push_back(std::make_unique<SensorCollector>(root));
    list.push_back(std::make_unique<ProcessCollector>(root, options.topProcesses));
    return list;
}

qint64 raiseOpenFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<qint64>::max()
                                           : qint64(limit.rlim_cur);
}

} // namespace tidewatch
