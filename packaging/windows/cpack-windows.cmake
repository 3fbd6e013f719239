# SPDX-License-Identifier: GPL-3.0-or-later
# NSIS and WiX settings. Unverified here: Debian has no Qt for Windows, so
# these run only on a Windows build host (docs/packaging.md).
if(NOT WIN32)
    return()
endif()
set(_win ${CMAKE_CURRENT_LIST_DIR})
# NSIS wants backslashes in its icon paths.
file(TO_NATIVE_PATH "${_win}/tidewatch.ico" _ico)
set(CPACK_GENERATOR NSIS WIX ZIP)
set(CPACK_NSIS_MUI_ICON "${_ico}")
set(CPACK_NSIS_MUI_UNIICON "${_ico}")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\tidewatch.exe")
set(CPACK_NSIS_DISPLAY_NAME "Tidewatch")
set(CPACK_NSIS_PACKAGE_NAME "Tidewatch ${PROJECT_VERSION}")
set(CPACK_NSIS_URL_INFO_ABOUT "${CPACK_PACKAGE_HOMEPAGE_URL}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH OFF)
# Start menu and desktop shortcuts; the uninstaller gets its own entry.
set(CPACK_NSIS_MENU_LINKS "bin/tidewatch.exe" "Tidewatch")
set(CPACK_CREATE_DESKTOP_LINKS tidewatch)
set(CPACK_NSIS_CREATE_ICONS_EXTRA
    "CreateShortCut '$SMPROGRAMS\\\\$STARTMENU_FOLDER\\\\Uninstall Tidewatch.lnk' '$INSTDIR\\\\Uninstall.exe'")
set(CPACK_NSIS_DELETE_ICONS_EXTRA
    "Delete '$SMPROGRAMS\\\\$START_MENU\\\\Uninstall Tidewatch.lnk'")
# The license page shows CPACK_RESOURCE_FILE_LICENSE; WiX wants .txt or .rtf.
configure_file(${PROJECT_SOURCE_DIR}/LICENSE ${CMAKE_BINARY_DIR}/packaging/LICENSE.txt COPYONLY)
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_BINARY_DIR}/packaging/LICENSE.txt)
# A fixed upgrade code, so a newer MSI replaces an older one. Never change it.
set(CPACK_WIX_UPGRADE_GUID "5C1E9B3A-7D42-4F6E-9A1B-2E7C4D8F0A63")
set(CPACK_WIX_PRODUCT_ICON "${_win}/tidewatch.ico")
set(CPACK_WIX_PROGRAM_MENU_FOLDER Tidewatch)
