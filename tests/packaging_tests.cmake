# tst_packages: builds the Debian packages of this build tree (the `package`
# target; nothing is built twice) and checks them with
# tests/packaging/check_packages.sh. It runs alone: the package target may
# relink what other tests are running.
add_test(NAME tst_packages
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/packaging/check_packages.sh
                 ${PROJECT_BINARY_DIR} ${PROJECT_VERSION}
                 $<$<TARGET_EXISTS:meterscope-cli>:--app>
                 $<$<TARGET_EXISTS:meterscope>:--gui>
         COMMAND_EXPAND_LISTS)
set_tests_properties(tst_packages PROPERTIES
    LABELS packaging
    TIMEOUT 1200
    RUN_SERIAL TRUE)
