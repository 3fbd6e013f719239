# SPDX-License-Identifier: GPL-3.0-or-later
# The PostgreSQL test rig: a private cluster (tests/store/pg-cluster) started by
# the CTest fixture `tidewatch_pg` and stopped by its cleanup, even after failures.
#
# CTest cannot pass environment from a setup test to the others, so the setup
# writes a state file (a shell file: URL, port, data directory) at a fixed path in
# the build tree, and every test that needs the server runs through
# `pg-cluster exec STATE -- TEST`, which reads it and exports
#   TIDEWATCH_TEST_PG_URL    postgresql://user:pass@127.0.0.1:PORT/db
#   TIDEWATCH_TEST_PG_CTL    this script, for `stop` / `start` in outage tests
#   TIDEWATCH_TEST_PG_STATE  the state file, its second argument
# With no state file (the setup failed or was skipped) the wrapper fails, so a
# test that needs PostgreSQL fails rather than skips.
# All such tests share one server and some stop it, so they hold RESOURCE_LOCK
# tidewatch_pg and run one at a time (other tests still run in parallel).

set(TIDEWATCH_PG_CLUSTER ${CMAKE_CURRENT_LIST_DIR}/pg-cluster)
set(TIDEWATCH_PG_STATE ${CMAKE_BINARY_DIR}/pg-rig/cluster.env)

add_test(NAME pg_cluster_setup COMMAND ${TIDEWATCH_PG_CLUSTER} setup ${TIDEWATCH_PG_STATE})
add_test(NAME pg_cluster_cleanup COMMAND ${TIDEWATCH_PG_CLUSTER} cleanup ${TIDEWATCH_PG_STATE})
set_tests_properties(pg_cluster_setup PROPERTIES FIXTURES_SETUP tidewatch_pg TIMEOUT 180
    RESOURCE_LOCK tidewatch_pg)
set_tests_properties(pg_cluster_cleanup PROPERTIES FIXTURES_CLEANUP tidewatch_pg TIMEOUT 120
    RESOURCE_LOCK tidewatch_pg)

# tidewatch_pg_register(TEST_NAME TARGET [ARGS...]): run an existing test executable
# against the rig's server, as test TEST_NAME.
function(tidewatch_pg_register test_name target)
    add_test(NAME ${test_name}
        COMMAND ${TIDEWATCH_PG_CLUSTER} exec ${TIDEWATCH_PG_STATE} -- $<TARGET_FILE:${target}> ${ARGN})
    set_tests_properties(${test_name} PROPERTIES FIXTURES_REQUIRED tidewatch_pg
        RESOURCE_LOCK tidewatch_pg TIMEOUT 180)
endfunction()

# tidewatch_add_pg_test(NAME SOURCES ... LIBS ...): a Qt Test executable that only
# runs against the rig's server.
function(tidewatch_add_pg_test name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test tidewatch_options ${ARG_LIBS})
    tidewatch_pg_register(${name} ${name})
endfunction()

tidewatch_add_test(tst_blockspool SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_blockspool.cpp
    LIBS tidewatch_store)
tidewatch_add_pg_test(tst_postgresrig SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_postgresrig.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PgRig.h LIBS tidewatch_store)
