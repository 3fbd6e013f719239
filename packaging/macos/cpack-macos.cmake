# SPDX-License-Identifier: GPL-3.0-or-later
# DragNDrop (DMG) settings. Unverified here: Debian has no Qt for macOS, so
# this runs only on a Mac build host (docs/packaging.md).
if(NOT APPLE)
    return()
endif()
set(_mac ${CMAKE_CURRENT_LIST_DIR})
set(CPACK_GENERATOR DragNDrop TGZ)
set(CPACK_DMG_VOLUME_NAME "Tidewatch ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT UDZO)
set(CPACK_PACKAGE_ICON ${_mac}/tidewatch.icns)
# The license is shown as the DMG's agreement before it mounts.
set(CPACK_DMG_SLA_USE_RESOURCE_FILE_LICENSE ON)
# The app bundle: src/app/tidewatch sets MACOSX_BUNDLE on Apple with this plist.
set(TIDEWATCH_MACOS_INFO_PLIST ${_mac}/Info.plist.in)
set(TIDEWATCH_MACOS_ICNS ${_mac}/tidewatch.icns)
