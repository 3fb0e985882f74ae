#pragma once

#include "gui/connection.h"
#include "gui/main_window.h"
#include "gui/settings.h"

#include <QSize>
#include <QString>

#include <memory>

namespace meterscope::test {

/// The desktop app's main window as a user opens it against a real server:
/// a settings file of its own, a connection to `address`, the window shown
/// at `size`. Members are destroyed window first.
struct AppWindow {
    std::unique_ptr<app::Settings> settings;
    std::unique_ptr<app::Connection> connection;
    std::unique_ptr<app::MainWindow> window;

    /// Opens the window (settings from `settingsFile`, which `fresh`
    /// removes first) and waits until it is exposed and connected; fails the
    /// running test otherwise (check QTest::currentTestFailed()).
    void open(const QString &settingsFile, const QString &address, bool fresh = true, QSize size = {1280, 800});
    /// Closes the window, then the connection, then the settings.
    void close();
};

} // namespace meterscope::test
