# SPDX-License-Identifier: GPL-3.0-or-later
# Install layout of the desktop files, unit and icons, and the CPack
# settings for every generator. Included by the top CMakeLists.txt after
# src/, so the executables' install rules exist. Two components:
#   tidewatchd  the headless daemon, its unit, user and config (no Widgets, no Charts)
#   tidewatch   the desktop app, its .desktop file, metainfo and icons
include(GNUInstallDirs)

set(TIDEWATCH_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(TIDEWATCH_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "Where tidewatchd.service is installed, relative to the prefix")

if(UNIX AND NOT APPLE)
    set(_linux ${TIDEWATCH_PACKAGING_DIR}/linux)
    set(_app_id io.github.tidewatch.Tidewatch)
    configure_file(${_linux}/${_app_id}.metainfo.xml
                   ${CMAKE_BINARY_DIR}/packaging/${_app_id}.metainfo.xml @ONLY)

    # Man pages go in compressed, as Debian policy asks (gzip -9n: no name or time).
    find_program(TIDEWATCH_GZIP gzip REQUIRED)
    set(_man_gz)
    foreach(_page tidewatchd tidewatch)
        set(_gz ${CMAKE_BINARY_DIR}/packaging/${_page}.1.gz)
        add_custom_command(OUTPUT ${_gz}
            COMMAND ${TIDEWATCH_GZIP} -9n -c ${TIDEWATCH_PACKAGING_DIR}/man/${_page}.1 > ${_gz}
            DEPENDS ${TIDEWATCH_PACKAGING_DIR}/man/${_page}.1 VERBATIM)
        list(APPEND _man_gz ${_gz})
    endforeach()
    set(_changelog_gz ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
    add_custom_command(OUTPUT ${_changelog_gz}
        COMMAND ${TIDEWATCH_GZIP} -9n -c ${_linux}/changelog > ${_changelog_gz}
        DEPENDS ${_linux}/changelog VERBATIM)
    add_custom_target(tidewatch_man_pages ALL DEPENDS ${_man_gz} ${_changelog_gz})
    # Each package carries its copyright and changelog (Debian policy 12.5, 12.7).
    foreach(_component tidewatchd tidewatch)
        install(FILES ${_linux}/copyright ${_changelog_gz}
                DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_component} COMPONENT ${_component})
    endforeach()

    # The daemon's share.
    install(FILES ${_linux}/tidewatchd.service
            DESTINATION ${TIDEWATCH_SYSTEMD_UNITDIR} COMPONENT tidewatchd)
    install(FILES ${_linux}/tidewatch.sysusers
            DESTINATION lib/sysusers.d RENAME tidewatch.conf COMPONENT tidewatchd)
    install(FILES ${_linux}/tidewatch.tmpfiles
            DESTINATION lib/tmpfiles.d RENAME tidewatch.conf COMPONENT tidewatchd)
    install(FILES ${_linux}/tidewatchd.conf
            DESTINATION ${CMAKE_INSTALL_DATADIR}/tidewatch COMPONENT tidewatchd)
    install(FILES ${CMAKE_BINARY_DIR}/packaging/tidewatchd.1.gz
            DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tidewatchd)

    # The desktop app's share.
    if(TIDEWATCH_BUILD_GUI)
        install(FILES ${_linux}/${_app_id}.desktop
                DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT tidewatch)
        install(FILES ${CMAKE_BINARY_DIR}/packaging/${_app_id}.metainfo.xml
                DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT tidewatch)
        install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/tidewatch.svg
                DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
                COMPONENT tidewatch)
        foreach(_size 48 256)
            install(FILES ${TIDEWATCH_PACKAGING_DIR}/icons/tidewatch-${_size}.png
                    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${_size}x${_size}/apps
                    RENAME tidewatch.png COMPONENT tidewatch)
        endforeach()
        install(FILES ${CMAKE_BINARY_DIR}/packaging/tidewatch.1.gz
                DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tidewatch)
    endif()
endif()

# --- CPack, common ---
set(CPACK_PACKAGE_NAME tidewatch)
set(CPACK_PACKAGE_VENDOR "Tidewatch")
set(CPACK_PACKAGE_CONTACT "Tidewatch maintainers <tidewatch@example.org>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/tidewatch/tidewatch")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_INSTALL_DIRECTORY Tidewatch)
set(CPACK_PACKAGE_EXECUTABLES tidewatch Tidewatch)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/;/node_modules/")
set(CPACK_COMPONENTS_ALL tidewatchd)
if(TIDEWATCH_BUILD_GUI)
    list(APPEND CPACK_COMPONENTS_ALL tidewatch)
endif()
set(CPACK_COMPONENT_TIDEWATCHD_DISPLAY_NAME "Tidewatch daemon (tidewatchd)")
set(CPACK_COMPONENT_TIDEWATCHD_DESCRIPTION
    "Headless daemon with a live dashboard, WebSocket feed and Prometheus metrics.")
set(CPACK_COMPONENT_TIDEWATCH_DISPLAY_NAME "Tidewatch desktop app")
set(CPACK_COMPONENT_TIDEWATCH_DESCRIPTION
    "Desktop system monitor with live charts and the same feed server inside.")
set(CPACK_COMPONENT_TIDEWATCH_DEPENDS tidewatchd)

# --- DEB: one package per component ---
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_TIDEWATCHD_PACKAGE_NAME tidewatchd)
set(CPACK_DEBIAN_TIDEWATCHD_PACKAGE_SECTION admin)
# SQLite is a Qt plugin, which dpkg-shlibdeps cannot see.
set(CPACK_DEBIAN_TIDEWATCHD_PACKAGE_DEPENDS "libqt6sql6-sqlite, adduser")
set(CPACK_DEBIAN_TIDEWATCHD_PACKAGE_SUGGESTS "libqt6sql6-psql")
set(CPACK_DEBIAN_TIDEWATCHD_PACKAGE_CONTROL_EXTRA
    ${TIDEWATCH_PACKAGING_DIR}/linux/postinst
    ${TIDEWATCH_PACKAGING_DIR}/linux/prerm
    ${TIDEWATCH_PACKAGING_DIR}/linux/postrm)
set(CPACK_DEBIAN_TIDEWATCHD_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_TIDEWATCH_PACKAGE_NAME tidewatch)
set(CPACK_DEBIAN_TIDEWATCH_PACKAGE_SECTION utils)
# The platform plugin and the SVG icon engine are plugins too.
set(CPACK_DEBIAN_TIDEWATCH_PACKAGE_DEPENDS "qt6-qpa-plugins, qt6-svg-plugins")

# --- RPM: the same split ---
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "GPL-3.0-or-later")
set(CPACK_RPM_PACKAGE_GROUP "Applications/System")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_TIDEWATCHD_PACKAGE_NAME tidewatchd)
set(CPACK_RPM_TIDEWATCH_PACKAGE_NAME tidewatch)
set(CPACK_RPM_TIDEWATCH_PACKAGE_REQUIRES "tidewatchd = ${PROJECT_VERSION}")
set(CPACK_RPM_TIDEWATCHD_POST_INSTALL_SCRIPT_FILE ${TIDEWATCH_PACKAGING_DIR}/linux/rpm-post)
set(CPACK_RPM_TIDEWATCHD_PRE_UNINSTALL_SCRIPT_FILE ${TIDEWATCH_PACKAGING_DIR}/linux/prerm)
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/lib/systemd /usr/lib/systemd/system /usr/lib/sysusers.d /usr/lib/tmpfiles.d
    /usr/share/applications /usr/share/metainfo /usr/share/icons /usr/share/icons/hicolor
    /usr/share/man /usr/share/man/man1)

# --- Archives ---
set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)

include(${TIDEWATCH_PACKAGING_DIR}/windows/cpack-windows.cmake)
include(${TIDEWATCH_PACKAGING_DIR}/macos/cpack-macos.cmake)

set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
