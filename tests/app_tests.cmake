# The desktop app's tests (label gui), included from tests/CMakeLists.txt.
# Widgets run under QT_QPA_PLATFORM=offscreen; the end-to-end ones talk to a
# real meterscoped with its own throwaway embedded cluster.

meterscope_add_test(tst_settings LIBS meterscope_gui LABELS "gui;unit")
meterscope_add_test(tst_time_ticks LIBS meterscope_gui LABELS "gui;unit")
meterscope_add_test(tst_json_model LIBS meterscope_gui LABELS "gui;unit")
meterscope_add_test(tst_series_list LIBS meterscope_gui LABELS "gui;unit")

meterscope_add_test(tst_chart_loader LIBS meterscope_gui meterscope_test_support LABELS "gui;postgres;e2e")
add_dependencies(tst_chart_loader meterscoped)
meterscope_add_test(tst_main_window LIBS meterscope_gui meterscope_test_support
    LABELS "gui;postgres;e2e" TIMEOUT 600)
add_dependencies(tst_main_window meterscoped meterscope-cli)
meterscope_add_test(tst_app_process LIBS meterscope_gui meterscope_test_support
    LABELS "gui;postgres;e2e" TIMEOUT 600)
add_dependencies(tst_app_process meterscoped meterscope)

# On demand, not a test: how long the GUI thread goes without serving
# events while a million rows are imported and a million points stream in.
add_executable(bench_gui_responsiveness bench/bench_gui_responsiveness.cpp)
target_link_libraries(bench_gui_responsiveness PRIVATE meterscope_gui meterscope_test_support Qt6::Test)
add_dependencies(bench_gui_responsiveness meterscoped)
