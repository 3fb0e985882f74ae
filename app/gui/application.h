#pragma once

#include "gui/command_line.h"
#include "gui/connection.h"
#include "gui/settings.h"
#include "gui/single_instance.h"
#include "gui/unix_signals.h"

#include <QObject>

#include <memory>

namespace meterscope::app {

class ChartRender;
class LocalServer;
class MainWindow;

/// The app as a whole: picks the server (--server, else the remembered
/// one, else a local meterscoped child), then opens the window and imports
/// the command line's files, or renders --export-png. With a Meterscope
/// already running for the same server it hands the files to that one
/// instead and exits. SIGTERM, SIGINT and SIGHUP quit it cleanly, which
/// stops the local server.
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
    /// Whether the window takes a later launch's handover: not one for
    /// another server or data folder, which gets a window of its own.
    bool takes(const Handover &handover) const;
    /// Imports the handover's files and applies its options to the window.
    void take(const Handover &handover);

    CommandLine m_options;
    Settings m_settings;
    UnixSignals m_signals;
    SingleInstance m_instance;
    Connection m_connection;
    std::unique_ptr<LocalServer> m_localServer;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChartRender> m_render;
};

} // namespace meterscope::app
