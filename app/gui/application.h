#pragma once

#include "gui/command_line.h"
#include "gui/connection.h"
#include "gui/settings.h"
#include "gui/unix_signals.h"

#include <QObject>

#include <memory>

namespace meterscope::app {

class ChartRender;
class LocalServer;
class MainWindow;

/// The app as a whole: picks the server (--server, else the remembered
/// one, else a local meterscoped child), then opens the window and imports
/// the command line's files, or renders --export-png. SIGTERM, SIGINT and
/// SIGHUP quit it cleanly, which stops the local server.
class Application : public QObject {
    Q_OBJECT

public:
    explicit Application(const CommandLine &options);
    ~Application() override;

    /// Runs the event loop; returns the process's exit code.
    int run();

private:
    /// Connects to `server`; none = the local server.
    void useServer(const std::optional<client::ConnectionOptions> &server);

    CommandLine m_options;
    Settings m_settings;
    UnixSignals m_signals;
    Connection m_connection;
    std::unique_ptr<LocalServer> m_localServer;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChartRender> m_render;
};

} // namespace meterscope::app
