// What the chart asks the server for (#5): an M4 overview at the plot's
// width, the visible range at that width after each zoom, raw points where
// few enough, and answers to superseded requests dropped, also when the
// older one was already running.
#include "client/client.h"
#include "gui/chart_loader.h"
#include "gui/connection.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr int kRows = 200'000;
constexpr int kWidth = 500;
constexpr qint64 kStart = 1577836800000000; // 2020-01-01T00:00:00Z
constexpr qint64 kStep = 1000000;           // one reading a second

} // namespace

class TestChartLoader : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void overviewIsDownsampled();
    void zoomFetchesTheVisibleRange();
    void deepestZoomIsRaw();
    void newerViewsSupersedeOlderOnes();
    void answersToSupersededRequestsAreDropped();

private:
    void settle(ChartLoader &loader);

    test::TestDir m_dir;
    test::ServerProcess m_server;
    Connection m_connection;
    SeriesInfo m_series;
};

void TestChartLoader::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString csv = m_dir.filePath("steps.csv");
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray text = "time,steps\n";
        for (int i = 0; i < kRows; ++i)
            text += QByteArray::number(kStart / 1000000 + i) + ',' + QByteArray::number((i * 7919) % 1000) + '\n';
        file.write(text);
    }
    QVERIFY2(m_server.start({"--listen", "127.0.0.1:0", "--data-dir", m_dir.filePath("data"), "--import", csv,
                             "--log-level", "warning"}),
             qPrintable(m_server.log()));
    m_connection.connectTo(test::connectionTo(m_server.address()));
    QTRY_COMPARE_WITH_TIMEOUT(m_connection.state(), Connection::State::Connected, 60000);
    const std::optional<SeriesInfo> series = m_connection.findSeries("steps");
    QVERIFY(series);
    QCOMPARE(series->points, kRows);
    m_series = *series;
}

void TestChartLoader::settle(ChartLoader &loader)
{
    QTRY_VERIFY_WITH_TIMEOUT(!loader.busy(), 60000);
}

void TestChartLoader::overviewIsDownsampled()
{
    ChartLoader loader(m_connection);
    loader.setSeries(m_series, kWidth);
    QVERIFY(loader.busy());
    settle(loader);
    const PointColumns &points = loader.points();
    QVERIFY2(points.size() <= 4 * kWidth + 4 && points.size() > kWidth, qPrintable(QString::number(points.size())));
    // First and last points are real readings: the line spans the whole series.
    QCOMPARE(points.timesUs.front(), kStart);
    QCOMPARE(points.timesUs.back(), kStart + (kRows - 1) * kStep);
    QVERIFY(std::is_sorted(points.timesUs.begin(), points.timesUs.end()));
}

void TestChartLoader::zoomFetchesTheVisibleRange()
{
    ChartLoader loader(m_connection);
    loader.setSeries(m_series, kWidth);
    settle(loader);
    const PointColumns overview = loader.points();

    // A tenth of the series: 20,000 readings, far more than 4 per pixel.
    const qint64 from = kStart + 50'000 * kStep;
    const qint64 to = from + 20'000 * kStep;
    QSignalSpy changed(&loader, &ChartLoader::pointsChanged);
    loader.setView(from, to, kWidth);
    // Until the detail arrives, the chart keeps what it has.
    QCOMPARE(loader.points().timesUs, overview.timesUs);
    settle(loader);
    QCOMPARE(changed.count(), 1);
    QVERIFY(loader.points().bucketUs > 0);
    const PointColumns inView = loader.points().within(from, to);
    QVERIFY2(inView.size() > 2 * kWidth && inView.size() <= 4 * kWidth + 4, qPrintable(QString::number(inView.size())));
    // Beyond the detail, which reaches a pixel column past the view to hold
    // the readings next to it, the overview is still there, to pan into.
    const qint64 reach = (to - from) / kWidth;
    QCOMPARE(loader.points().within(kStart, from - reach).timesUs, overview.within(kStart, from - reach).timesUs);
    // The line into the view starts at the reading just before it.
    QCOMPARE(loader.points().within(from - reach, from).timesUs.back(), from - kStep);
}

void TestChartLoader::deepestZoomIsRaw()
{
    ChartLoader loader(m_connection);
    loader.setSeries(m_series, kWidth);
    settle(loader);
    // 1,000 readings in 500 pixels: every one of them, exactly, sent raw.
    const qint64 from = kStart + 123'456 * kStep;
    const qint64 to = from + 1'000 * kStep;
    loader.setView(from, to, kWidth);
    settle(loader);
    QCOMPARE(loader.points().bucketUs, 0);
    const PointColumns inView = loader.points().within(from, to);
    QCOMPARE(inView.size(), 1000);
    for (qsizetype i = 0; i < inView.size(); ++i) {
        QCOMPARE(inView.timesUs[i], from + i * kStep);
        QCOMPARE(inView.values[i], double(((123'456 + i) * 7919) % 1000));
    }
}

void TestChartLoader::newerViewsSupersedeOlderOnes()
{
    ChartLoader loader(m_connection);
    loader.setSeries(m_series, kWidth);
    settle(loader);
    QSignalSpy changed(&loader, &ChartLoader::pointsChanged);
    // A burst of zooms as the wheel turns: only the last is fetched and shown.
    for (int i = 1; i <= 10; ++i)
        loader.setView(kStart + i * 1000 * kStep, kStart + (i * 1000 + 500) * kStep, kWidth);
    settle(loader);
    QCOMPARE(changed.count(), 1);
    const qint64 from = kStart + 10'000 * kStep;
    QCOMPARE(loader.points().within(from, from + 500 * kStep).size(), 500);
    QVERIFY(loader.points().within(kStart + 1000 * kStep, kStart + 1500 * kStep).size() < 500);
}

void TestChartLoader::answersToSupersededRequestsAreDropped()
{
    ChartLoader loader(m_connection);
    loader.setSeries(m_series, kWidth);
    settle(loader);
    QSignalSpy changed(&loader, &ChartLoader::pointsChanged);
    // The server holds its answers while the user zooms on: the first
    // view's request is sent and still running when the second one is.
    const qint64 pid = m_server.pid();
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
    const qint64 firstFrom = kStart + 50'000 * kStep;
    const qint64 secondFrom = kStart + 150'000 * kStep;
    loader.setView(firstFrom, firstFrom + 500 * kStep, kWidth);
    QTest::qWait(400); // past the debounce: the first request is on the wire
    QVERIFY(loader.busy());
    loader.setView(secondFrom, secondFrom + 500 * kStep, kWidth);
    QTest::qWait(400);
    QCOMPARE(::kill(pid_t(pid), SIGCONT), 0);
    settle(loader);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(loader.points().within(secondFrom, secondFrom + 500 * kStep).size(), 500);
    QVERIFY(loader.points().within(firstFrom, firstFrom + 500 * kStep).size() < 500);
}

QTEST_GUILESS_MAIN(TestChartLoader)
#include "tst_chart_loader.moc"
