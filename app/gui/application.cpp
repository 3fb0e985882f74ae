#include "gui/application.h"

#include "gui/chart_render.h"
#include "gui/local_server.h"
#include "gui/main_window.h"

#include <QApplication>
#include <QDir>
#include <QUrl>

#include <cstdio>

namespace meterscope::app {

namespace {

Handover handoverOf(const CommandLine &options)
{
    Handover handover;
    for (const QString &file : options.files)
        handover.urls << QUrl::fromUserInput(file, QDir::currentPath(), QUrl::AssumeLocalFile);
    handover.series = options.series;
    handover.zone = options.zone ? options.zone->toString() : QString();
    handover.server = options.server ? QString::fromStdString(options.server->address) : QString();
    handover.dataDir = options.dataDir.isEmpty() ? QString() : QDir(options.dataDir).absolutePath();
    return handover;
}

// What a launch that handed over says on stdout before it exits.
void sayHandedOver(const Handover &handover, qint64 pid)
{
    const qsizetype files = handover.urls.size();
    if (files == 0)
        std::printf("meterscope: Meterscope is already running (pid %lld); its window was brought to the front\n",
                    qlonglong(pid));
    else
        std::printf("meterscope: handed %lld file%s to the Meterscope already running (pid %lld)\n", qlonglong(files),
                    files == 1 ? "" : "s", qlonglong(pid));
    std::fflush(stdout);
}

} // namespace

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
        const Handover own = handoverOf(m_options);
        qint64 runningPid = 0;
        if (m_instance.start(own, &runningPid) == SingleInstance::Launch::HandedOver) {
            sayHandedOver(own, runningPid);
            return 0;
        }
        m_window = std::make_unique<MainWindow>(m_connection, m_settings);
        connect(m_window.get(), &MainWindow::serverChosen, this, &Application::useServer);
        m_instance.setAcceptor([this](const Handover &handover) { return takes(handover); });
        connect(&m_instance, &SingleInstance::handedOver, this, &Application::take);
        take(own);
    }
    useServer(serverToUse(m_options, m_settings.server()));
    return QApplication::exec();
}

bool Application::takes(const Handover &handover) const
{
    if (!handover.server.isEmpty())
        return handover.server == m_connection.address();
    if (!handover.dataDir.isEmpty())
        return m_localServer && !m_options.dataDir.isEmpty() && QDir(handover.dataDir) == QDir(m_options.dataDir);
    return true;
}

void Application::take(const Handover &handover)
{
    if (!handover.zone.isEmpty())
        m_window->setDisplayZone(DisplayZone::fromString(handover.zone));
    if (!handover.series.isEmpty()) {
        m_window->showSeriesWhenListed(handover.series);
        m_connection.refresh();
    }
    // Brought to the front, also from another launch (which a window
    // manager may only let it ask for).
    m_window->setWindowState(m_window->windowState() & ~Qt::WindowMinimized);
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
    if (!handover.urls.isEmpty())
        m_window->importController()->importFiles(handover.urls);
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
