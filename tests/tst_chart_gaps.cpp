// The chart against a real meterscoped (#12): the line breaks where
// readings are missing (one reading, a day, seven months), in the window and
// in an exported picture, and at a deep zoom the lines leaving the view go
// to the true readings beyond its edges.
#include "gui/chart_view.h"
#include "gui/connection.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QImage>
#include <QLineSeries>
#include <QTest>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr int kSlowMs = 60000;
constexpr qint64 kMinute = 60 * timeutil::kMicrosPerSecond;
constexpr qint64 kDay = 24 * 60 * kMinute;
const QColor kLine(0x1f, 0x6f, 0xd0);

// Pixels of the line's colour in column `x` of the plot area of `image`.
int linePixels(const QImage &image, int x, const QRectF &plot)
{
    int count = 0;
    for (int y = int(plot.top()) + 1; y < int(plot.bottom()); ++y) {
        const QColor pixel = image.pixelColor(x, y);
        if (pixel.blue() > 150 && pixel.red() < 150)
            ++count;
    }
    return count;
}

} // namespace

class TestChartGaps : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void missingReadingsBreakTheLine();
    void exportedPictureShowsTheGaps();
    void edgeSegmentsJoinTheTrueNeighbours();

private:
    void settle();
    void show(const QString &series);
    double xOf(qint64 timeUs) const;

    test::TestDir m_dir;
    test::ServerProcess m_server;
    Connection m_connection;
    std::unique_ptr<ChartView> m_view;
    qint64 m_first = 0;
};

void TestChartGaps::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A year of a meter read every 15 minutes: one reading NaN as in the
    // sample, 2019-02-10 missing, and nothing from April to October.
    m_first = test::at("2019-01-01T00:15:00Z");
    const qint64 nan = test::at("2019-01-17T02:45:00Z");
    const qint64 dayFrom = test::at("2019-02-10T00:00:00Z");
    const qint64 holeFrom = test::at("2019-04-01T00:00:00Z");
    const qint64 holeTo = test::at("2019-11-01T00:00:00Z");
    const std::string meter = test::meterReadingsCsv(
        "meter", m_first, test::at("2020-01-01T00:00:00Z"), 15 * kMinute,
        [&](qint64 t) { return t == nan || (t >= dayFrom && t < dayFrom + kDay) || (t >= holeFrom && t < holeTo); },
        true);
    test::writeFile(m_dir.filePath("meter.csv"), QByteArray::fromStdString(meter));
    // A ramp of 0.01 a second, read every 10 s for a day.
    QByteArray ramp = "time,ramp\n";
    for (int i = 0; i < 8640; ++i)
        ramp += QByteArray::fromStdString(timeutil::formatIso(m_first + qint64(i) * 10 * timeutil::kMicrosPerSecond))
                + ',' + QByteArray::number(i * 0.1, 'f', 1) + '\n';
    test::writeFile(m_dir.filePath("ramp.csv"), ramp);
    QVERIFY2(
        m_server.start({"--listen", "127.0.0.1:0", "--data-dir", m_dir.filePath("data"), "--import",
                        m_dir.filePath("meter.csv"), "--import", m_dir.filePath("ramp.csv"), "--log-level", "warning"}),
        qPrintable(m_server.log()));
    m_connection.connectTo(test::connectionTo(m_server.address()));
    QTRY_COMPARE_WITH_TIMEOUT(m_connection.state(), Connection::State::Connected, kSlowMs);
}

void TestChartGaps::init()
{
    m_view = std::make_unique<ChartView>(m_connection);
    m_view->resize(900, 500);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestChartGaps::settle()
{
    QTest::qWait(200);
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->busy(), kSlowMs);
}

void TestChartGaps::show(const QString &series)
{
    const std::optional<SeriesInfo> info = m_connection.findSeries(series);
    QVERIFY(info);
    m_view->showSeries(*info);
    settle();
}

double TestChartGaps::xOf(qint64 timeUs) const
{
    const QRectF plot = m_view->chart()->plotArea();
    return plot.left()
           + double(timeUs - m_view->visibleStart()) / double(m_view->visibleEnd() - m_view->visibleStart())
                 * plot.width();
}

void TestChartGaps::missingReadingsBreakTheLine()
{
    show("meter");
    // The whole year, downsampled: the missing day and the seven months
    // (one reading is less than a pixel).
    QCOMPARE(m_view->lineBreaks(), 2);
    // Two days around the NaN, every reading: one break, one reading wide.
    m_view->setVisibleRange(test::at("2019-01-16T12:00:00Z"), test::at("2019-01-18T12:00:00Z"));
    settle();
    QCOMPARE(m_view->lineBreaks(), 1);
    QCOMPARE(m_view->drawnPoints(), 2 * 96 - 1 + 2);
    // Around the missing day: readings on both sides, none between.
    m_view->setVisibleRange(test::at("2019-02-08T00:00:00Z"), test::at("2019-02-13T00:00:00Z"));
    settle();
    QCOMPARE(m_view->lineBreaks(), 1);
    // Inside the hole nothing is drawn across it.
    m_view->setVisibleRange(test::at("2019-06-01T00:00:00Z"), test::at("2019-07-01T00:00:00Z"));
    settle();
    QCOMPARE(m_view->drawnPoints(), 0);
    // A month of regular readings: one unbroken line.
    m_view->setVisibleRange(test::at("2019-12-01T00:00:00Z"), test::at("2019-12-31T00:00:00Z"));
    settle();
    QCOMPARE(m_view->lineBreaks(), 0);
}

void TestChartGaps::exportedPictureShowsTheGaps()
{
    show("meter");
    const QString png = m_dir.filePath("meter.png");
    QVERIFY(m_view->saveImage(png));
    const QImage image(png);
    QVERIFY(!image.isNull());
    const QRectF plot = m_view->chart()->plotArea();
    // Readings in January and December; nothing in the middle of the hole.
    QVERIFY(linePixels(image, int(xOf(test::at("2019-01-20T00:00:00Z"))), plot) > 0);
    QVERIFY(linePixels(image, int(xOf(test::at("2019-12-20T00:00:00Z"))), plot) > 0);
    QCOMPARE(linePixels(image, int(xOf(test::at("2019-07-01T00:00:00Z"))), plot), 0);
}

void TestChartGaps::edgeSegmentsJoinTheTrueNeighbours()
{
    show("ramp");
    // 25 s at 900 pixels: two readings in view, the lines to the edges go to
    // the readings 10 s apart just outside.
    const qint64 start = m_first + 1244 * timeutil::kMicrosPerSecond;
    const qint64 end = m_first + 1269 * timeutil::kMicrosPerSecond;
    m_view->setVisibleRange(start, end);
    settle();
    QCOMPARE(m_view->lineBreaks(), 0);
    const QLineSeries *line = m_view->line();
    QCOMPARE(line->count(), 4);
    const auto valueAt = [&](int from, qint64 time) {
        const QPointF a = line->at(from);
        const QPointF b = line->at(from + 1);
        const double x = double(time) / 1000;
        return a.y() + (b.y() - a.y()) * (x - a.x()) / (b.x() - a.x());
    };
    QCOMPARE(qRound(valueAt(0, start) * 1000), 12440);
    QCOMPARE(qRound(valueAt(2, end) * 1000), 12690);
}

QTEST_MAIN(TestChartGaps)
#include "tst_chart_gaps.moc"
