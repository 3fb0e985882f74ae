#include "support/app_window.h"

#include "support/clients.h"

#include <QFile>
#include <QTest>

namespace meterscope::test {

namespace {
constexpr int kConnectMs = 60000;
} // namespace

void AppWindow::open(const QString &settingsFile, const QString &address, bool fresh, QSize size)
{
    if (fresh)
        QFile::remove(settingsFile);
    settings = std::make_unique<app::Settings>(settingsFile);
    connection = std::make_unique<app::Connection>();
    connection->connectTo(connectionTo(address));
    window = std::make_unique<app::MainWindow>(*connection, *settings);
    window->resize(size);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(connection->state(), app::Connection::State::Connected, kConnectMs);
}

void AppWindow::close()
{
    window.reset();
    connection.reset();
    settings.reset();
}

} // namespace meterscope::test
