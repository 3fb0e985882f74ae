// meterscope-bench-app: the desktop app's chart with a big and a small
// series of a running server (#5, benchmark 6). meterscope-bench runs it
// with its 10,000,000-row series; on its own:
//
//   build/tests/bench/meterscope-bench-app --server ADDR --series BIG --small-series SMALL
//
// The figures come from QBENCHMARK (median of 5); the small series is the
// baseline measured in the same run. Lines are printed in meterscope-bench's
// table format.
#include "bench_table.h"
#include "gui/chart_view.h"
#include "gui/connection.h"
#include "gui/json_model.h"
#include "gui/json_view.h"
#include "support/clients.h"

#include <QApplication>
#include <QFile>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

#include <cstdio>

using namespace meterscope;
using namespace meterscope::app;

namespace {

QString g_server;
QString g_big;
QString g_small;

constexpr int kTimeoutMs = 600000;

// The view ranges one zoom-and-pan gesture passes through, as fractions of
// the series' extent: six steps in around a third of the way, six pans
// of a tenth of the view, and out again.
QList<std::pair<double, double>> gesture()
{
    QList<std::pair<double, double>> ranges;
    double span = 1;
    double center = 1.0 / 3;
    for (int step = 0; step < 6; ++step) {
        span /= 2;
        ranges.append({center - span / 2, center + span / 2});
    }
    for (int step = 0; step < 6; ++step) {
        center += span / 10;
        ranges.append({center - span / 2, center + span / 2});
    }
    for (qsizetype step = 5; step >= 0; --step)
        ranges.append(ranges.at(step));
    return ranges;
}

class AppBench : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_connection.setAutoRetry(false);
        m_connection.connectTo(test::connectionTo(g_server));
        QTRY_VERIFY_WITH_TIMEOUT(m_connection.findSeries(g_big) && m_connection.findSeries(g_small), 30000);
        m_chart.resize(1200, 700);
        m_chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&m_chart));
    }

    void firstChart_data() { seriesRows(); }
    // From asking for a series to its chart drawn: the overview query at
    // the plot's width, one replace, one paint.
    void firstChart()
    {
        QFETCH(QString, series);
        const SeriesInfo info = *m_connection.findSeries(series);
        QBENCHMARK
        {
            m_chart.clear();
            m_chart.showSeries(info);
            waitUntilSettled();
            m_chart.viewport()->repaint();
        }
        QVERIFY(m_chart.line()->count() > 0);
    }

    void redraw_data() { seriesRows(); }
    // One step of a zoom-and-pan gesture as the user sees it at once: the
    // points already held, cut to the view, replaced and painted. (The
    // detail for the new view follows after the user pauses; see settle.)
    void redraw() { walkGesture(Wait::No); }

    void settle_data() { seriesRows(); }
    // One step of the gesture until its detail is drawn: the 120 ms pause
    // the app waits for, the M4 query of the view, replace and paint.
    void settle() { walkGesture(Wait::ForDetail); }

    // Every point into the JSON view, as clicking its tab does: the app's
    // peak memory is set here.
    void jsonView()
    {
        JsonView view(m_connection);
        view.resize(800, 600);
        QSignalSpy finished(&view, &JsonView::loadFinished);
        QBENCHMARK_ONCE
        {
            view.showSeries(*m_connection.findSeries(g_big));
            view.show();
            QVERIFY(finished.wait(kTimeoutMs));
        }
        QCOMPARE(view.model()->pointCount(), bigPoints());
    }

public:
    qint64 bigPoints() const { return m_connection.findSeries(g_big)->points; }

private:
    enum class Wait { No, ForDetail };

    static void seriesRows()
    {
        QTest::addColumn<QString>("series");
        QTest::newRow("small") << g_small;
        QTest::newRow("big") << g_big;
    }

    // QTRY_* would sleep 50 ms between looks and round every figure up to
    // it; qWaitFor looks again as soon as events have been served.
    void waitUntilSettled()
    {
        QVERIFY(QTest::qWaitFor([this] { return !m_chart.busy(); }, kTimeoutMs));
    }

    void showSettled(const QString &series)
    {
        m_chart.showSeries(*m_connection.findSeries(series));
        waitUntilSettled();
    }

    // Benchmarks the gesture's steps on the series of the current data row.
    void walkGesture(Wait wait)
    {
        QFETCH(QString, series);
        showSettled(series);
        const auto ranges = gesture();
        qsizetype step = 0;
        QBENCHMARK
        {
            const auto [from, to] = ranges.at(step++ % ranges.size());
            setFraction(from, to);
            if (wait == Wait::ForDetail)
                waitUntilSettled();
            m_chart.viewport()->repaint();
        }
        waitUntilSettled();
    }

    void setFraction(double from, double to)
    {
        const qint64 first = *m_chart.series().firstUs;
        const double extent = double(*m_chart.series().lastUs - first);
        m_chart.setVisibleRange(first + qint64(from * extent), first + qint64(to * extent));
    }

    Connection m_connection;
    ChartView m_chart{m_connection};
};

// QBENCHMARK's results as QTest writes them with -o FILE,csv:
// "function","tag","metric",value per iteration,total,iterations
QHash<QString, double> readResults(const QString &path)
{
    QHash<QString, double> results;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return results;
    while (!file.atEnd()) {
        const QList<QByteArray> fields = file.readLine().trimmed().split(',');
        if (fields.size() < 4)
            continue;
        const auto unquoted = [](const QByteArray &field) { return QString::fromUtf8(field).remove('"'); };
        results.insert(unquoted(fields[0]) + '/' + unquoted(fields[1]), fields[3].toDouble());
    }
    return results;
}

void printRow(const QString &name, const QString &ours, const QString &baseline, const QString &ratio,
              const QString &target)
{
    bench::printRow(
        {name.toStdString(), ours.toStdString(), baseline.toStdString(), ratio.toStdString(), target.toStdString()});
}

QString ms(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : 0) + " ms";
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    const auto value = [&](const QString &option) {
        const qsizetype at = arguments.indexOf(option);
        return at > 0 && at + 1 < arguments.size() ? arguments.at(at + 1) : QString();
    };
    g_server = value("--server");
    g_big = value("--series");
    g_small = value("--small-series");
    if (g_server.isEmpty() || g_big.isEmpty() || g_small.isEmpty()) {
        std::fprintf(stderr, "usage: meterscope-bench-app --server ADDR --series BIG --small-series SMALL\n");
        return 2;
    }

    QTemporaryFile csv;
    QTemporaryFile log;
    if (!csv.open() || !log.open())
        return 1;
    AppBench bench;
    // QTest's results go to a CSV file to be read back, its messages to a
    // log shown on failure; the table goes to stdout.
    const int failures = QTest::qExec(
        &bench, {arguments.first(), "-median", "5", "-o", csv.fileName() + ",csv", "-o", log.fileName() + ",txt"});
    if (failures != 0) {
        std::fprintf(stderr, "meterscope-bench-app: %d benchmark(s) failed\n%s", failures, log.readAll().constData());
        return 1;
    }
    const QHash<QString, double> results = readResults(csv.fileName());
    const auto row = [&](const QString &label, const QString &function, const QString &target) {
        const double big = results.value(function + "/big");
        const double small = results.value(function + "/small");
        printRow(label, ms(big), "small series " + ms(small), QString::number(big / small, 'f', 2) + "x", target);
    };
    row("6. app: first chart drawn", "firstChart", "");
    row("6. app: zoom/pan redraw (QBENCHMARK)", "redraw", "<= 1.5x");
    row("6. app: zoom/pan until detail drawn", "settle", "");
    printRow("6. app: all points into the JSON view", ms(results.value("jsonView/")), "", "", "");
    const double peakMiB = double(test::memoryKiB(0, "VmHWM")) / 1024;
    const double dataMiB = double(bench.bigPoints()) * 16 / 1048576;
    printRow("6. app peak RSS (MiB)", QString::number(peakMiB, 'f', 0),
             "data: " + QString::number(dataMiB, 'f', 0) + " MiB", QString::number(peakMiB / dataMiB, 'f', 2) + "x",
             "<= 2x");
    return 0;
}

#include "bench_app.moc"
