// SPDX-License-Identifier: GPL-3.0-or-later
// tidewatch_web holds only the dashboard's Qt resources (:/web). A static
// library needs one translation unit; Qt's CMake links the compiled
// resources into every executable that links this library.
namespace tidewatch {
int webResourcesVersion()
{
    return 1;
}
} // namespace tidewatch
