#include "gui/application.h"

#include "gui/chart_render.h"
#include "gui/local_server.h"
#include "gui/main_window.h"

#include <QApplication>
#include <QDir>
#include <QUrl>

namespace meterscope::app {

Application::Application(const CommandLine &options)
    : m_options(options)
{
    connect(&m_signals, &UnixSignals::received, qApp, &QCoreApplication::quit);
    connect(&m_connection, &Connection::retryRequested, this, [this] {
        if (m_localServer)
            m_localServer->start();
    });
}

Application::~Application() = default;

int Application::run()
{
    if (!m_options.exportPng.isEmpty()) {
        m_render = std::make_unique<ChartRender>(m_connection, m_options);
        connect(m_render.get(), &ChartRender::done, qApp, &QCoreApplication::exit);
    } else {
        m_window = std::make_unique<MainWindow>(m_connection, m_settings);
        connect(m_window.get(), &MainWindow::serverChosen, this, &Application::useServer);
        if (m_options.zone)
            m_window->setDisplayZone(*m_options.zone);
        if (!m_options.series.isEmpty())
            m_window->showSeriesWhenListed(m_options.series);
        m_window->show();
        if (!m_options.files.isEmpty()) {
            QList<QUrl> urls;
            for (const QString &file : m_options.files)
                urls << QUrl::fromUserInput(file, QDir::currentPath(), QUrl::AssumeLocalFile);
            m_window->importController()->importFiles(urls);
        }
    }
    useServer(serverToUse(m_options, m_settings.server()));
    return QApplication::exec();
}

void Application::useServer(const std::optional<client::ConnectionOptions> &server)
{
    if (server) {
        m_localServer.reset();
        m_connection.connectTo(*server);
        return;
    }
    if (!m_localServer) {
        m_localServer = std::make_unique<LocalServer>(m_options.dataDir);
        connect(m_localServer.get(), &LocalServer::ready, this, [this](const QString &socket) {
            client::ConnectionOptions local;
            local.address = socket.toStdString();
            m_connection.connectTo(local, tr("the local server"));
        });
        connect(m_localServer.get(), &LocalServer::failed, &m_connection, &Connection::waitForAddress);
    }
    m_connection.waitForAddress();
    m_localServer->start();
}

} // namespace meterscope::app
