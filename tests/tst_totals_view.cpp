// The Totals and Heatmap tabs against a real meterscoped (#16): the table
// and bars say what Aggregate says for Europe/Dublin's 23-hour day, a
// missing reading and a missing day (no bar, "no readings"), months, a
// register's reset, the cost of a remembered price, and what hovering a bar
// shows; the heatmap's cells, colours, skipped and doubled hours and hover.
#include "gui/connection.h"
#include "gui/gaps_panel.h"
#include "gui/heatmap_view.h"
#include "gui/range_statistics.h"
#include "gui/series_exporter.h"
#include "gui/settings.h"
#include "gui/totals_view.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QImage>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr int kSlowMs = 60000;
constexpr qint64 kMinute = 60 * timeutil::kMicrosPerSecond;
constexpr qint64 kHour = 60 * kMinute;

QByteArray readings(const QByteArray &header, qint64 from, qint64 to, qint64 step,
                    const std::function<std::optional<double>(int, qint64)> &value)
{
    QByteArray csv = "time," + header + "\n";
    int i = 0;
    for (qint64 t = from; t < to; t += step, ++i) {
        if (const std::optional<double> v = value(i, t))
            csv += QByteArray::fromStdString(timeutil::formatIso(t)) + ',' + QByteArray::number(*v) + '\n';
    }
    return csv;
}

} // namespace

class TestTotalsView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void daysOfDublinsSpring();
    void hoverNamesTheBar();
    void monthsAndTheZone();
    void priceIsRememberedPerSeries();
    void registerResets();
    void heatmapCells();
    void heatmapOfTheAutumnNight();
    void statisticsOfARange();
    void totalsSavedAsJson();
    void gapsListedAndChosen();

private:
    void show(const QString &series);
    QString cell(int row, int column) const { return m_view->table()->model()->index(row, column).data().toString(); }
    // The x pixel of the middle of the bucket starting at `startUs`, in the chart view.
    QPoint barPoint(qint64 startUs, qint64 endUs, double value) const;

    test::TestDir m_dir;
    test::ServerProcess m_server;
    Connection m_connection;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<TotalsView> m_view;
};

void TestTotalsView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A quarter kWh every 15 minutes from local midnight of 27 March 2021 to
    // that of 1 April, Europe/Dublin: the 28th has 23 hours, one reading of
    // the 29th is missing and the 30th has none.
    const qint64 missing = test::at("2021-03-29T11:00:00Z");
    const qint64 dayFrom = test::at("2021-03-29T23:00:00Z"), dayTo = test::at("2021-03-30T23:00:00Z");
    test::writeFile(m_dir.filePath("dublin.csv"),
                    readings("dublin (kWh)", test::at("2021-03-27T00:00:00Z"), test::at("2021-03-31T23:00:00Z"),
                             15 * kMinute, [&](int, qint64 t) -> std::optional<double> {
                                 if (t == missing || (t >= dayFrom && t < dayTo))
                                     return std::nullopt;
                                 return 0.25;
                             }));
    // A register read hourly, 2 kWh an hour, reset to 0.5 at noon on day two.
    test::writeFile(m_dir.filePath("register.csv"),
                    readings("register (kWh)", test::at("2024-01-01T00:00:00Z"), test::at("2024-01-03T00:00:00Z"),
                             kHour, [](int i, qint64) { return i < 36 ? 1000.0 + 2 * i : 0.5 + 2 * (i - 36); }));
    // 1 kWh every 30 minutes over Dublin's 25-hour day.
    test::writeFile(m_dir.filePath("autumn.csv"),
                    readings("autumn (kWh)", test::at("2021-10-30T23:00:00Z"), test::at("2021-11-01T00:00:00Z"),
                             30 * kMinute, [](int, qint64) { return 1.0; }));
    QVERIFY2(m_server.start({"--listen", "127.0.0.1:0", "--data-dir", m_dir.filePath("data"), "--import",
                             m_dir.filePath("dublin.csv"), "--import", m_dir.filePath("register.csv"), "--import",
                             m_dir.filePath("autumn.csv"), "--log-level", "warning"}),
             qPrintable(m_server.log()));
    m_connection.connectTo(test::connectionTo(m_server.address()));
    QTRY_COMPARE_WITH_TIMEOUT(m_connection.state(), Connection::State::Connected, kSlowMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_connection.findSeries("register") && m_connection.findSeries("autumn"), kSlowMs);
    m_settings = std::make_unique<Settings>(m_dir.filePath("settings.ini"));
}

void TestTotalsView::init()
{
    m_view = std::make_unique<TotalsView>(m_connection, *m_settings);
    m_view->setDisplayZone(DisplayZone::named("Europe/Dublin"));
    m_view->resize(1100, 600);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestTotalsView::cleanup()
{
    m_view.reset();
}

void TestTotalsView::show(const QString &series)
{
    const std::optional<SeriesInfo> info = m_connection.findSeries(series);
    QVERIFY(info);
    m_view->showSeries(*info);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->loaded(), kSlowMs);
    QTest::qWait(50);
}

QPoint TestTotalsView::barPoint(qint64 startUs, qint64 endUs, double value) const
{
    QChart *chart = m_view->chartView()->chart();
    const QPointF at = chart->mapToPosition({double(startUs + endUs) / 2000.0, value}, chart->series().front());
    return m_view->chartView()->mapFromScene(chart->mapToScene(at));
}

void TestTotalsView::daysOfDublinsSpring()
{
    show("dublin");
    QCOMPARE(m_view->table()->model()->rowCount(), 5);
    QCOMPARE(cell(0, 0), QString("Sat 27 Mar 2021"));
    QCOMPARE(cell(0, 1), QString("24 kWh"));
    QCOMPARE(cell(1, 0), QString("Sun 28 Mar 2021"));
    QCOMPARE(cell(1, 1), QString("23 kWh"));
    QCOMPARE(cell(1, 5), QString("92 / 92"));
    QCOMPARE(cell(2, 1), QString("23.75 kWh"));
    QCOMPARE(cell(2, 5), QString("95 / 96"));
    QCOMPARE(cell(3, 1), QString("no readings"));
    QCOMPARE(cell(3, 5), QString("0 / 96"));
    QCOMPARE(m_view->barCount(), 4);
    QVERIFY2(m_view->statusText().startsWith("dublin (interval, kWh): "), qPrintable(m_view->statusText()));
    QVERIFY2(m_view->statusText().contains("1 day without readings"), qPrintable(m_view->statusText()));

    // Drawn: a bar in the middle of each day with readings, none on the 30th.
    const QImage image = m_view->chartView()->grab().toImage();
    const auto blue = [&](QPoint p) {
        const QColor c = image.pixelColor(p);
        return c.blue() > 150 && c.red() < 100;
    };
    QVERIFY(blue(barPoint(test::at("2021-03-28T00:00:00Z"), test::at("2021-03-28T23:00:00Z"), 10)));
    QVERIFY(blue(barPoint(test::at("2021-03-30T23:00:00Z"), test::at("2021-03-31T23:00:00Z"), 10)));
    QVERIFY(!blue(barPoint(test::at("2021-03-29T23:00:00Z"), test::at("2021-03-30T23:00:00Z"), 10)));
}

void TestTotalsView::hoverNamesTheBar()
{
    show("dublin");
    const qint64 start = test::at("2021-03-28T00:00:00Z"), end = test::at("2021-03-28T23:00:00Z");
    QCOMPARE(m_view->hoverText(start + kHour), QString("Sun 28 Mar 2021 (23 hours)\n23 kWh, 92 of 92 readings"));
    QVERIFY(m_view->hoverText(test::at("2021-03-30T12:00:00Z")).isEmpty());
    // The mouse over the bar shows the same beside it; off the bars, nothing.
    QTest::mouseMove(m_view->chartView()->viewport(), barPoint(start, end, 10));
    QTRY_COMPARE(m_view->hoverLabel(), m_view->hoverText(start + kHour));
    QTest::mouseMove(m_view->chartView()->viewport(),
                     barPoint(test::at("2021-03-29T23:00:00Z"), test::at("2021-03-30T23:00:00Z"), 10));
    QTRY_VERIFY(m_view->hoverLabel().isEmpty());
}

void TestTotalsView::monthsAndTheZone()
{
    show("dublin");
    m_view->setPeriod(timeutil::Period::Month);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->loaded() && m_view->table()->model()->rowCount() == 1, kSlowMs);
    QCOMPARE(cell(0, 0), QString("March 2021"));
    QCOMPARE(cell(0, 1), QString("94.75 kWh"));
    QCOMPARE(cell(0, 5), QString("379 / 476"));
    // In UTC the 28th is a day of 24 hours, 96 readings.
    m_view->setPeriod(timeutil::Period::Day);
    m_view->setDisplayZone(DisplayZone());
    QTRY_VERIFY_WITH_TIMEOUT(m_view->loaded() && m_view->table()->model()->rowCount() == 5, kSlowMs);
    QCOMPARE(cell(1, 0), QString("Sun 28 Mar 2021"));
    QCOMPARE(cell(1, 5), QString("96 / 96"));
}

void TestTotalsView::priceIsRememberedPerSeries()
{
    show("dublin");
    QCOMPARE(cell(1, 7), QString());
    m_view->setPrice(0.5);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->loaded() && cell(1, 7) == "11.50", kSlowMs);
    // Another view of the same settings finds it; other series have none.
    m_view = std::make_unique<TotalsView>(m_connection, *m_settings);
    m_view->setDisplayZone(DisplayZone::named("Europe/Dublin"));
    m_view->show();
    show("dublin");
    QCOMPARE(cell(1, 7), QString("11.50"));
    show("register");
    QCOMPARE(cell(0, 7), QString());
    show("dublin");
    m_view->setPrice(std::nullopt);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->loaded() && cell(1, 7).isEmpty(), kSlowMs);
    QVERIFY(!m_settings->price("dublin"));
}

void TestTotalsView::registerResets()
{
    m_view->setDisplayZone(DisplayZone());
    show("register");
    QVERIFY2(m_view->statusText().startsWith("register (cumulative, kWh)"), qPrintable(m_view->statusText()));
    QCOMPARE(m_view->table()->model()->rowCount(), 2);
    QCOMPARE(cell(0, 1), QString("46 kWh"));
    QCOMPARE(cell(1, 1), QString("46 kWh"));
    QCOMPARE(cell(0, 6), QString());
    QCOMPARE(cell(1, 6), QString("1"));
}

void TestTotalsView::heatmapCells()
{
    HeatmapView heatmap(m_connection);
    heatmap.setDisplayZone(DisplayZone::named("Europe/Dublin"));
    heatmap.resize(1000, 600);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    heatmap.showSeries(*m_connection.findSeries("dublin"));
    QTRY_VERIFY_WITH_TIMEOUT(heatmap.loaded(), kSlowMs);
    // 27, 29 and 31 March have 24 hours, the 28th 23; the 30th has none of
    // its 24 readings' hours.
    QCOMPARE(heatmap.valueCells(), 24 + 23 + 24 + 24);
    QCOMPARE(heatmap.missingCells(), 24);
    QCOMPARE(heatmap.scaleMin(), 0.75);
    QCOMPARE(heatmap.scaleMax(), 1.0);
    QCOMPARE(heatmap.cellText(test::at("2021-03-28T00:30:00Z")),
             QString("Sun 28 Mar 2021, 00:00\n1 kWh, 4 of 4 readings"));
    // Noon of the 29th (IST) lost a reading.
    const qint64 noon = test::at("2021-03-29T11:30:00Z");
    QCOMPARE(heatmap.cellText(noon), QString("Mon 29 Mar 2021, 12:00\n0.75 kWh, 3 of 4 readings"));
    QVERIFY(heatmap.cellText(test::at("2021-03-30T12:00:00Z")).contains("no readings"));

    // Drawn: a full hour in the scale's top colour, the short one in its
    // bottom colour, and no cell where 01:00 of the 28th would be.
    const QImage image = heatmap.grab().toImage();
    const QRectF midnight = heatmap.cellRect(test::at("2021-03-28T00:30:00Z"));
    QCOMPARE(image.pixelColor(midnight.center().toPoint()), heatmap.colourOf(1.0));
    QCOMPARE(image.pixelColor(heatmap.cellRect(noon).center().toPoint()), heatmap.colourOf(0.75));
    QVERIFY(heatmap.colourOf(1.0) != heatmap.colourOf(0.75));
    QCOMPARE(image.pixelColor(midnight.translated(0, midnight.height()).center().toPoint()),
             heatmap.palette().color(QPalette::Base));

    const QPointF at = heatmap.cellRect(noon).center();
    QMouseEvent move(QEvent::MouseMove, at, heatmap.mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&heatmap, &move);
    QCOMPARE(heatmap.hoverLabel(), heatmap.cellText(noon));
}

void TestTotalsView::heatmapOfTheAutumnNight()
{
    HeatmapView heatmap(m_connection);
    heatmap.setDisplayZone(DisplayZone::named("Europe/Dublin"));
    heatmap.resize(800, 500);
    heatmap.show();
    heatmap.showSeries(*m_connection.findSeries("autumn"));
    QTRY_VERIFY_WITH_TIMEOUT(heatmap.loaded(), kSlowMs);
    // 25 hours in 24 cells: the two 01:00 hours share one, added.
    QCOMPARE(heatmap.valueCells(), 24);
    QCOMPARE(heatmap.cellText(test::at("2021-10-31T00:30:00Z")),
             QString("Sun 31 Oct 2021, 01:00 (twice: the clocks went back)\n4 kWh, 4 of 4 readings"));
    QCOMPARE(heatmap.cellText(test::at("2021-10-31T01:30:00Z")), heatmap.cellText(test::at("2021-10-31T00:30:00Z")));
    QCOMPARE(heatmap.scaleMax(), 4.0);
}

void TestTotalsView::statisticsOfARange()
{
    RangeStatistics statistics(m_connection);
    statistics.show();
    // 27 to 29 March: 96 + 92 + 95 readings of a quarter kWh, one missing.
    statistics.showRange(*m_connection.findSeries("dublin"), test::at("2021-03-27T00:00:00Z"),
                         test::at("2021-03-29T23:00:00Z"));
    QTRY_COMPARE_WITH_TIMEOUT(statistics.text(),
                              QString("In view: 283 readings (99.65% of 284) · total 70.75 kWh · min 0.25 · max 0.25 "
                                      "· mean 0.25"),
                              kSlowMs);
    // A register's usage: 92 kWh over the two days, 2 kWh an hour.
    statistics.showRange(*m_connection.findSeries("register"), test::at("2024-01-01T00:00:00Z"),
                         test::at("2024-01-03T00:00:00Z"));
    QTRY_COMPARE_WITH_TIMEOUT(statistics.text(),
                              QString("In view: 48 readings · total 92 kWh · min 2 · max 2 · mean 2"), kSlowMs);
}

void TestTotalsView::totalsSavedAsJson()
{
    // As the Totals tab's Save Totals as JSON… does: the prototype's shape,
    // keyed by each day's start in the zone, null for the day without readings.
    SeriesExporter exporter(m_connection);
    QSignalSpy finished(&exporter, &SeriesExporter::finished);
    const QString path = m_dir.filePath("dublin-day.json");
    exporter.exportTotals(*m_connection.findSeries("dublin"), timeutil::Period::Day, path, client::ExportFormat::Json,
                          DisplayZone::named("Europe/Dublin"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kSlowMs);
    QVERIFY2(finished[0][0].toBool(), qPrintable(finished[0][1].toString()));
    QVERIFY2(finished[0][1].toString().startsWith("Saved 5 totals of dublin"), qPrintable(finished[0][1].toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()),
             QString("{\n  \"2021-03-27T00:00:00+00:00\": 24,\n  \"2021-03-28T00:00:00+00:00\": 23,\n"
                     "  \"2021-03-29T00:00:00+01:00\": 23.75,\n  \"2021-03-30T00:00:00+01:00\": null,\n"
                     "  \"2021-03-31T00:00:00+01:00\": 24\n}\n"));
}

void TestTotalsView::gapsListedAndChosen()
{
    show("dublin");
    GapsPanel *gaps = m_view->gaps();
    QTRY_VERIFY_WITH_TIMEOUT(gaps->loaded(), kSlowMs);
    // In Europe/Dublin: 12:00 IST missing on the 29th, and the whole 30th.
    QCOMPARE(gaps->summaryText(), QString("2 gaps of at least 30 min · 379 of 476 readings (79.62%)"));
    QCOMPARE(gaps->table()->rowCount(), 2);
    QCOMPARE(gaps->table()->item(0, 0)->text(), QString("2021-03-29 11:45"));
    QCOMPARE(gaps->table()->item(0, 1)->text(), QString("2021-03-29 12:15"));
    QCOMPARE(gaps->table()->item(0, 2)->text(), QString("1"));
    QCOMPARE(gaps->table()->item(1, 0)->text(), QString("2021-03-29 23:45"));
    QCOMPARE(gaps->table()->item(1, 2)->text(), QString("96"));
    // Double-clicking the first asks for it with three hours either side.
    QSignalSpy chosen(gaps, &GapsPanel::gapChosen);
    emit gaps->table()->cellDoubleClicked(0, 0);
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen[0][0].toLongLong(), test::at("2021-03-29T07:45:00Z"));
    QCOMPARE(chosen[0][1].toLongLong(), test::at("2021-03-29T14:15:00Z"));
    // A threshold of its own, kept by the server.
    gaps->setThreshold(2 * kHour);
    QTRY_VERIFY_WITH_TIMEOUT(gaps->loaded() && gaps->table()->rowCount() == 1, kSlowMs);
    QVERIFY2(gaps->summaryText().startsWith("1 gap of at least 2 h"), qPrintable(gaps->summaryText()));
    gaps->setThreshold(0);
    QTRY_VERIFY_WITH_TIMEOUT(gaps->loaded() && gaps->table()->rowCount() == 2, kSlowMs);
}

QTEST_MAIN(TestTotalsView)
#include "tst_totals_view.moc"
