// Ticks of the chart's time axis: round wall-clock times of the display zone.
#include "gui/time_ticks.h"

#include "time/instant.h"

#include <QTest>

using namespace meterscope;
using namespace meterscope::app;

namespace {

qint64 at(const char *iso)
{
    return *timeutil::parseInstant(iso, timeutil::Zone(), nullptr);
}

QStringList labels(const QList<TimeTick> &ticks)
{
    QStringList out;
    for (const TimeTick &tick : ticks)
        out << tick.label;
    return out;
}

} // namespace

class TestTimeTicks : public QObject {
    Q_OBJECT

private slots:
    void roundTimes_data();
    void roundTimes();
    void followsTheZone();
    void skipsTimesDstSkips();
    void neverTooMany();
};

void TestTimeTicks::roundTimes_data()
{
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("end");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<QStringList>("expected");
    QTest::addRow("weeks start on Monday")
        << "2019-01-01T00:15:00Z"
        << "2019-01-31T23:45:01Z" << 8 << QStringList{"2019-01-07", "2019-01-14", "2019-01-21", "2019-01-28"};
    QTest::addRow("days") << "2019-01-01T12:00:00Z"
                          << "2019-01-05T12:00:00Z" << 8
                          << QStringList{"2019-01-02", "2019-01-03", "2019-01-04", "2019-01-05"};
    QTest::addRow("hours carry their date")
        << "2019-01-18T10:07:00Z"
        << "2019-01-18T23:59:00Z" << 5
        << QStringList{"12:00<br>2019-01-18", "15:00<br>2019-01-18", "18:00<br>2019-01-18", "21:00<br>2019-01-18"};
    QTest::addRow("seconds") << "2019-01-18T10:00:01Z"
                             << "2019-01-18T10:00:09Z" << 5
                             << QStringList{"10:00:02<br>2019-01-18", "10:00:04<br>2019-01-18",
                                            "10:00:06<br>2019-01-18", "10:00:08<br>2019-01-18"};
    QTest::addRow("months") << "2018-11-20T00:00:00Z"
                            << "2019-04-20T00:00:00Z" << 8
                            << QStringList{"2018-12", "2019-01", "2019-02", "2019-03", "2019-04"};
    QTest::addRow("years") << "2001-06-01T00:00:00Z"
                           << "2019-06-01T00:00:00Z" << 5 << QStringList{"2005", "2010", "2015"};
}

void TestTimeTicks::roundTimes()
{
    QFETCH(QString, start);
    QFETCH(QString, end);
    QFETCH(int, maxTicks);
    QFETCH(QStringList, expected);
    const QList<TimeTick> ticks = timeTicks(at(qPrintable(start)), at(qPrintable(end)), maxTicks, timeutil::Zone());
    QCOMPARE(labels(ticks), expected);
}

void TestTimeTicks::followsTheZone()
{
    // Midnight in Berlin is 23:00 UTC in winter.
    const timeutil::Zone berlin = timeutil::Zone::byName("Europe/Berlin");
    const QList<TimeTick> ticks = timeTicks(at("2019-01-01T12:00:00Z"), at("2019-01-04T12:00:00Z"), 5, berlin);
    QCOMPARE(labels(ticks), (QStringList{"2019-01-02", "2019-01-03", "2019-01-04"}));
    QCOMPARE(ticks.first().timeUs, at("2019-01-01T23:00:00Z"));
}

void TestTimeTicks::skipsTimesDstSkips()
{
    // On 2019-03-31 Berlin's clocks went from 02:00 to 03:00.
    const timeutil::Zone berlin = timeutil::Zone::byName("Europe/Berlin");
    const QList<TimeTick> ticks = timeTicks(at("2019-03-30T23:30:00Z"), at("2019-03-31T03:30:00Z"), 6, berlin);
    QCOMPARE(labels(ticks),
             (QStringList{"01:00<br>2019-03-31", "03:00<br>2019-03-31", "04:00<br>2019-03-31", "05:00<br>2019-03-31"}));
    QCOMPARE(ticks[1].timeUs - ticks[0].timeUs, 3600LL * 1000000);
}

void TestTimeTicks::neverTooMany()
{
    for (const int maxTicks : {2, 3, 7, 12}) {
        for (const qint64 span : {qint64(20'000), qint64(86'400'000'000), qint64(3) * 365 * 86'400'000'000}) {
            const qint64 start = at("2019-01-01T00:00:00Z") + 12345;
            const QList<TimeTick> ticks = timeTicks(start, start + span, maxTicks, timeutil::Zone());
            QVERIFY2(ticks.size() <= maxTicks, qPrintable(QString("%1 ticks for %2").arg(ticks.size()).arg(maxTicks)));
            QVERIFY(!ticks.isEmpty());
        }
    }
    // Month steps are sized by a mean month: February to April is 59 days,
    // less than two of them, yet holds three month starts.
    const QList<TimeTick> months
        = timeTicks(at("2019-02-01T00:00:00Z"), at("2019-04-01T00:00:00Z"), 2, timeutil::Zone());
    QVERIFY2(months.size() <= 2, qPrintable(labels(months).join(", ")));
    QVERIFY(!months.isEmpty());
}

QTEST_GUILESS_MAIN(TestTimeTicks)
#include "tst_time_ticks.moc"
