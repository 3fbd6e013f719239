# SPDX-License-Identifier: GPL-3.0-or-later
# The PostgreSQL outage spool, part of tidewatch_store (included by CMakeLists.txt).
target_sources(tidewatch_store PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/BlockSpool.cpp
    ${CMAKE_CURRENT_LIST_DIR}/BlockSpool.h
)
