# The desktop app's tests (label gui), included from tests/CMakeLists.txt.
# Widgets run under QT_QPA_PLATFORM=offscreen; the end-to-end ones talk to a
# real meterscoped with its own throwaway embedded cluster.

# The main window opened against a server as a user does, for the window tests.
add_library(meterscope_app_test_support STATIC support/app_window.h support/app_window.cpp)
target_link_libraries(meterscope_app_test_support PUBLIC meterscope_gui meterscope_test_support Qt6::Test
    PRIVATE meterscope_warnings)

meterscope_add_test(tst_settings LIBS meterscope_gui LABELS "gui;unit")
meterscope_add_test(tst_connection_dialog LIBS meterscope_gui LABELS "gui;unit")
meterscope_add_test(tst_time_ticks LIBS meterscope_gui LABELS "gui;unit")
meterscope_add_test(tst_json_model LIBS meterscope_gui LABELS "gui;unit")
meterscope_add_test(tst_series_list LIBS meterscope_gui LABELS "gui;unit")

meterscope_add_test(tst_chart_loader LIBS meterscope_gui meterscope_test_support LABELS "gui;postgres;e2e")
add_dependencies(tst_chart_loader meterscoped)
meterscope_add_test(tst_chart_gaps LIBS meterscope_gui meterscope_test_support LABELS "gui;postgres;e2e")
add_dependencies(tst_chart_gaps meterscoped)
meterscope_add_test(tst_totals_view LIBS meterscope_gui meterscope_test_support LABELS "gui;postgres;e2e")
add_dependencies(tst_totals_view meterscoped)
meterscope_add_test(tst_window_views LIBS meterscope_gui meterscope_test_support LABELS "gui;postgres;e2e")
add_dependencies(tst_window_views meterscoped)
meterscope_add_test(tst_window_dialogs LIBS meterscope_gui meterscope_test_support LABELS "gui;postgres;e2e")
add_dependencies(tst_window_dialogs meterscoped)
meterscope_add_test(tst_main_window LIBS meterscope_gui meterscope_app_test_support meterscope_test_support
    LABELS "gui;postgres;e2e" TIMEOUT 600)
add_dependencies(tst_main_window meterscoped meterscope-cli)
meterscope_add_test(tst_app_process LIBS meterscope_gui meterscope_test_support meterscope_version
    LABELS "gui;postgres;e2e" TIMEOUT 600)
add_dependencies(tst_app_process meterscoped meterscope meterscope-cli)
meterscope_add_test(tst_import_preview LIBS meterscope_gui meterscope_app_test_support meterscope_test_support meterscope_reader_test_support
    LABELS "gui;postgres;e2e" TIMEOUT 600)
add_dependencies(tst_import_preview meterscoped)
meterscope_add_test(tst_series_manage LIBS meterscope_gui meterscope_app_test_support meterscope_test_support
    LABELS "gui;postgres;e2e" TIMEOUT 600)
add_dependencies(tst_series_manage meterscoped meterscope-cli)
