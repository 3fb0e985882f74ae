#include "time/calendar.h"
#include "time/instant.h"

#include <QTest>

using namespace meterscope::timeutil;

Q_DECLARE_METATYPE(meterscope::timeutil::Period)

namespace {

// Microseconds of a UTC calendar time, independent of the zone code.
Micros utcAt(int year, unsigned month, unsigned day, int hour = 0, int minute = 0)
{
    return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60 * kMicrosPerSecond;
}

const Zone kDublin = Zone::byName("Europe/Dublin");
const Zone kSydney = Zone::byName("Australia/Sydney");

} // namespace

/// Calendar periods in a zone: the buckets of totals and the shifts of a
/// compared period, across changes of clocks (Europe/Dublin: 28 March 2021
/// has 23 hours, 31 October 2021 has 25).
class TestCalendar : public QObject {
    Q_OBJECT

private slots:
    void bucketsOfDstDays()
    {
        QCOMPARE(bucketStart(utcAt(2021, 3, 28, 12), Period::Day, kDublin), utcAt(2021, 3, 28));
        QCOMPARE(nextBucket(utcAt(2021, 3, 28), Period::Day, kDublin), utcAt(2021, 3, 28, 23));
        QCOMPARE(nextBucket(utcAt(2021, 10, 30, 23), Period::Day, kDublin), utcAt(2021, 11, 1));
        // 28 March 2021 was a Sunday: its ISO week began on Monday 22nd.
        QCOMPARE(bucketStart(utcAt(2021, 3, 28, 12), Period::Week, kDublin), utcAt(2021, 3, 22));
        // Sydney's 1 January begins at 13:00 UTC the day before.
        QCOMPARE(bucketStart(utcAt(2021, 1, 15), Period::Month, kSydney), utcAt(2020, 12, 31, 13));
        QCOMPARE(bucketStart(utcAt(2021, 1, 15), Period::Year, kSydney), utcAt(2020, 12, 31, 13));
    }

    void shiftByPeriods_data()
    {
        QTest::addColumn<Micros>("from");
        QTest::addColumn<Period>("period");
        QTest::addColumn<int>("count");
        QTest::addColumn<Micros>("expected");
        QTest::addColumn<bool>("skipped");
        // 12:00 GMT on the Saturday is 12:00 IST on the Sunday: 23 hours on.
        QTest::addRow("day into summer time")
            << utcAt(2021, 3, 27, 12) << Period::Day << 1 << utcAt(2021, 3, 28, 11) << false;
        QTest::addRow("day back out of it")
            << utcAt(2021, 3, 28, 11) << Period::Day << -1 << utcAt(2021, 3, 27, 12) << false;
        // 01:30 does not exist on 28 March: the transition (01:00 UTC).
        QTest::addRow("onto the skipped hour")
            << utcAt(2021, 3, 27, 1, 30) << Period::Day << 1 << utcAt(2021, 3, 28, 1) << true;
        // 01:30 occurs twice on 31 October: its first occurrence (IST).
        QTest::addRow("onto the repeated hour")
            << utcAt(2021, 10, 30, 0, 30) << Period::Day << 1 << utcAt(2021, 10, 31, 0, 30) << false;
        QTest::addRow("week across the autumn change")
            << utcAt(2021, 10, 28, 17) << Period::Week << 1 << utcAt(2021, 11, 4, 18) << false;
        QTest::addRow("hour is elapsed time")
            << utcAt(2021, 3, 28, 0, 30) << Period::Hour << 1 << utcAt(2021, 3, 28, 1, 30) << false;
        QTest::addRow("31 January a month on")
            << utcAt(2021, 1, 31, 9) << Period::Month << 1 << utcAt(2021, 2, 28, 9) << false;
        QTest::addRow("29 February a year on")
            << utcAt(2020, 2, 29, 9) << Period::Year << 1 << utcAt(2021, 2, 28, 9) << false;
        QTest::addRow("summer a year back")
            << utcAt(2021, 7, 1, 17) << Period::Year << -1 << utcAt(2020, 7, 1, 17) << false;
    }

    void shiftByPeriods()
    {
        QFETCH(Micros, from);
        QFETCH(Period, period);
        QFETCH(int, count);
        QFETCH(Micros, expected);
        QFETCH(bool, skipped);
        bool wasSkipped = !skipped;
        const Micros shifted = meterscope::timeutil::shiftByPeriods(from, period, count, kDublin, &wasSkipped);
        QCOMPARE(QString::fromStdString(formatIso(shifted, kDublin)),
                 QString::fromStdString(formatIso(expected, kDublin)));
        QCOMPARE(wasSkipped, skipped);
    }
};

QTEST_APPLESS_MAIN(TestCalendar)
#include "tst_calendar.moc"
