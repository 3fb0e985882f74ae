// How long the GUI thread of the real main window goes without serving
// events while 1,000,000 rows are imported and then 1,000,000 points stream
// into the chart and the JSON view (#4). On demand, not a test:
//
//   build/tests/bench/bench_gui_responsiveness [--rows N]
//
// A 1 ms timer on the GUI thread records the longest gap between its ticks;
// 16 ms is one frame at 60 Hz.
#include "client/client.h"
#include "gui/chart_view.h"
#include "gui/connection.h"
#include "gui/import_controller.h"
#include "gui/json_view.h"
#include "gui/main_window.h"
#include "gui/series_list.h"
#include "gui/settings.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLineSeries>
#include <QTabWidget>
#include <QTimeZone>
#include <QTimer>

#include <cstdio>
#include <functional>

using namespace meterscope;
using namespace meterscope::app;

namespace {

// The longest time between two ticks of a 1 ms timer on the GUI thread.
class GapMeter : public QObject {
public:
    GapMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_longest = std::max(m_longest, now - m_last);
            m_last = now;
        });
    }
    void start()
    {
        m_longest = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    double stopMs()
    {
        m_timer.stop();
        return double(m_longest) / 1e6;
    }
    double elapsedMs() const { return double(m_clock.nsecsElapsed()) / 1e6; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
};

// Runs the event loop until `done` holds, checking whenever `sender` emits `signal`.
template<typename Sender, typename Signal>
void runUntil(Sender *sender, Signal signal, const std::function<bool()> &done)
{
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, [&] {
        if (done())
            loop.quit();
    });
    if (!done())
        loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    int rows = 1'000'000;
    const QStringList arguments = app.arguments();
    if (const qsizetype at = arguments.indexOf("--rows"); at > 0 && at + 1 < arguments.size())
        rows = arguments.at(at + 1).toInt();

    test::TestDir dir;
    const QString csv = dir.filePath("bench.csv");
    {
        QFile file(csv);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        QByteArray chunk = "time,bench\n";
        const QDateTime start(QDate(2020, 1, 1), QTime(0, 0), QTimeZone::utc());
        for (int i = 0; i < rows; ++i) {
            chunk += start.addSecs(i).toString(Qt::ISODate).toLatin1() + ','
                     + QByteArray::number(100 + (i % 600) * 0.5 + (i % 7)) + '\n';
            if (chunk.size() > (1 << 20)) {
                file.write(chunk);
                chunk.clear();
            }
        }
        file.write(chunk);
    }

    test::ServerProcess server;
    if (!server.start({"--listen", "127.0.0.1:0", "--data-dir", dir.filePath("data"), "--log-level", "warning"})) {
        std::fprintf(stderr, "cannot start meterscoped: %s\n", qPrintable(server.log()));
        return 1;
    }
    Settings settings(dir.filePath("settings.ini"));
    Connection connection;
    connection.connectTo(test::connectionTo(server.address()));
    MainWindow window(connection, settings);
    window.resize(1280, 800);
    window.show();
    runUntil(&connection, &Connection::stateChanged,
             [&] { return connection.state() == Connection::State::Connected; });

    GapMeter meter;
    std::printf("%-44s %12s %16s\n", "phase", "time (ms)", "longest gap (ms)");

    meter.start();
    bool imported = false;
    QObject::connect(window.importController(), &ImportController::finished, [&] { imported = true; });
    window.importController()->importFiles({QUrl::fromLocalFile(csv)});
    runUntil(window.importController(), &ImportController::finished, [&] { return imported; });
    const double importMs = meter.elapsedMs();
    std::printf("%-44s %12.0f %16.1f\n", qPrintable(QString("import %1 rows (drop path, report)").arg(rows)), importMs,
                meter.stopMs());

    // The series is shown after the import: its overview is fetched.
    meter.start();
    runUntil(&connection, &Connection::seriesListed, [&] { return window.seriesList()->selected() == "bench"; });
    runUntil(window.chart(), &ChartView::settled, [&] { return !window.chart()->busy(); });
    std::printf("%-44s %12.0f %16.1f\n",
                qPrintable(QString("chart overview (%1 points drawn)").arg(window.chart()->line()->count())),
                meter.elapsedMs(), meter.stopMs());

    meter.start();
    window.tabs()->setCurrentWidget(window.jsonView());
    runUntil(window.jsonView(), &JsonView::loadFinished, [&] { return window.jsonView()->loaded(); });
    std::printf(
        "%-44s %12.0f %16.1f\n",
        qPrintable(QString("stream %1 points into the JSON view").arg(window.jsonView()->model()->pointCount())),
        meter.elapsedMs(), meter.stopMs());

    meter.start();
    window.tabs()->setCurrentWidget(window.chart());
    const qint64 first = *window.chart()->series().firstUs;
    const qint64 last = *window.chart()->series().lastUs;
    for (int step = 1; step <= 20; ++step) {
        const qint64 span = (last - first) / (step * 2);
        const qint64 center = first + (last - first) / 3;
        window.chart()->setVisibleRange(center - span / 2, center + span / 2);
        runUntil(window.chart(), &ChartView::settled, [&] { return !window.chart()->busy(); });
    }
    std::printf("%-44s %12.0f %16.1f\n", "20 zoom steps, each re-queried and drawn", meter.elapsedMs(), meter.stopMs());
    return 0;
}
