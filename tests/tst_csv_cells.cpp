// The CSV reader's cells: every time and value layout it accepts, and the
// reason it gives for each it refuses (the framing, header and layout cases
// are in tst_csv_reader and tst_csv_layouts).
#include "support/reader_recording.h"

#include <QTest>

using namespace meterscope;
using ingest::EpochUnit;
using ingest::ReaderOptions;
using namespace test::readeroptions;

class TestCsvCells : public QObject {
    Q_OBJECT

private slots:
    void times_data()
    {
        test::addEventColumns();
        const ReaderOptions none;
        const auto one = [](const char *time) { return QByteArray("time,v\n") + time + ",1\n"; };
        const auto ok = [](const char *utc) { return QStringList{"columns: v", QStringLiteral("2 v %1 1").arg(utc)}; };
        const auto bad = [](const QString &reason) { return QStringList{"columns: v", "2 rejected 1: " + reason}; };
        QTest::addRow("minutes") << one("2019-01-01 00:15") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("seconds") << one("2019-01-01 00:15:07") << none << ok("2019-01-01T00:15:07Z");
        QTest::addRow("fraction") << one("2019-01-01 00:15:07.123456") << none << ok("2019-01-01T00:15:07.123456Z");
        QTest::addRow("ISO T and Z") << one("2019-01-01T00:15:00Z") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("offset +HH:MM") << one("2019-01-01T01:15:00+01:00") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("offset +HHMM") << one("2019-01-01T01:15:00+0100") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("offset +HH") << one("2019-01-01T01:15:00+01") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("offset -HH:MM") << one("2018-12-31T19:15:00-05:00") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("bare date") << one("2019-01-01") << none << ok("2019-01-01T00:00:00Z");
        QTest::addRow("date and time columns")
            << QByteArray("date,time,v\n2019-01-01,00:15,1\n") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("date and time columns without header")
            << QByteArray("2019-01-01,00:15:00,1,2\n") << named("m.csv")
            << QStringList{"columns: m_1, m_2", "1 m_1 2019-01-01T00:15:00Z 1", "1 m_2 2019-01-01T00:15:00Z 2"};
        QTest::addRow("date and time columns in a zone")
            << QByteArray("date;time;v\n2019-07-01;02:15;1\n2019-03-31;02:30;2\n") << inZone("Europe/Berlin")
            << QStringList{"columns: v", "2 v 2019-07-01T00:15:00Z 1",
                           "3 rejected 1: local time '2019-03-31 02:30' does not exist in Europe/Berlin (skipped "
                           "by the daylight-saving change)"};
        QTest::addRow("epoch seconds") << one("1546301700") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("epoch seconds with fraction") << one("1546301700.25") << none << ok("2019-01-01T00:15:00.25Z");
        QTest::addRow("epoch milliseconds") << one("1546301700123") << none << ok("2019-01-01T00:15:00.123Z");
        QTest::addRow("epoch milliseconds with fraction")
            << one("1546301700123.5") << none << ok("2019-01-01T00:15:00.1235Z");
        QTest::addRow("epoch microseconds") << one("1546301700123456") << none << ok("2019-01-01T00:15:00.123456Z");
        QTest::addRow("epoch in scientific notation") << one("1.5463017E+09") << none << ok("2019-01-01T00:15:00Z");
        QTest::addRow("negative epoch") << one("-86400") << none << ok("1969-12-31T00:00:00Z");
        QTest::addRow("unit decided per row")
            << QByteArray("time,v\n1546301700,1\n1546301700000,2\n1546301700000000,3\n") << none
            << QStringList{"columns: v", "2 v 2019-01-01T00:15:00Z 1", "3 v 2019-01-01T00:15:00Z 2",
                           "4 v 2019-01-01T00:15:00Z 3"};
        QTest::addRow("unit given") << one("1546301700") << withUnit(EpochUnit::Milliseconds)
                                    << ok("1970-01-18T21:31:41.7Z");
        QTest::addRow("unit given: microseconds")
            << one("1546301700") << withUnit(EpochUnit::Microseconds) << ok("1970-01-01T00:25:46.3017Z");
        QTest::addRow("epoch out of range")
            << one("1e30") << none << bad("time out of range (years 0000-9999): '1e30'");
        QTest::addRow("epoch too long for any unit") << one("99999999999999999999999") << none
                                                     << bad("time out of range (years 0000-9999): "
                                                            "'99999999999999999999999'");
        QTest::addRow("naive time in a zone (winter)")
            << one("2019-01-01 01:15") << inZone("Europe/Berlin") << ok("2019-01-01T00:15:00Z");
        QTest::addRow("naive time in a zone (summer)")
            << one("2019-07-01 02:15") << inZone("Europe/Berlin") << ok("2019-07-01T00:15:00Z");
        QTest::addRow("offset wins over the zone")
            << one("2019-01-01T00:15:00Z") << inZone("Europe/Berlin") << ok("2019-01-01T00:15:00Z");
        QTest::addRow("nonexistent local time")
            << one("2019-03-31 02:30") << inZone("Europe/Berlin")
            << bad("local time '2019-03-31 02:30' does not exist in Europe/Berlin (skipped by the "
                   "daylight-saving change)");
        QTest::addRow("ambiguous local time")
            << one("2019-10-27 02:30") << inZone("Europe/Berlin")
            << bad("local time '2019-10-27 02:30' is ambiguous in Europe/Berlin (occurs twice when daylight "
                   "saving ends); add an offset");
        QTest::addRow("ambiguous local time with offset, first")
            << one("2019-10-27 02:30+02:00") << inZone("Europe/Berlin") << ok("2019-10-27T00:30:00Z");
        QTest::addRow("ambiguous local time with offset, second")
            << one("2019-10-27 02:30+01:00") << inZone("Europe/Berlin") << ok("2019-10-27T01:30:00Z");
        QTest::addRow("around the spring change")
            << QByteArray("time,v\n2019-03-31 01:59:59,1\n2019-03-31 03:00,2\n") << inZone("Europe/Berlin")
            << QStringList{"columns: v", "2 v 2019-03-31T00:59:59Z 1", "3 v 2019-03-31T01:00:00Z 2"};
        QTest::addRow("February 30") << one("2019-02-30 00:00") << none << bad("invalid date: '2019-02-30 00:00'");
        QTest::addRow("month 13") << one("2019-13-01 00:00") << none << bad("invalid date: '2019-13-01 00:00'");
        QTest::addRow("February 29, 2019") << one("2019-02-29") << none << bad("invalid date: '2019-02-29'");
        QTest::addRow("February 29, 2020") << one("2020-02-29") << none << ok("2020-02-29T00:00:00Z");
        QTest::addRow("hour 25") << one("2019-01-01 25:00") << none
                                 << bad("invalid time of day or offset: '2019-01-01 25:00'");
        QTest::addRow("not a time") << one("yesterday") << none << bad("not a time: 'yesterday'");
        QTest::addRow("format day first")
            << one("31/01/2019 13:45") << withFormat("%d/%m/%Y %H:%M") << ok("2019-01-31T13:45:00Z");
        QTest::addRow("format with AM/PM")
            << one("01/31/2019 01:45 PM") << withFormat("%m/%d/%Y %I:%M %p") << ok("2019-01-31T13:45:00Z");
        QTest::addRow("format with offset")
            << one("31/01/2019 13:45 +0100") << withFormat("%d/%m/%Y %H:%M %z", "America/New_York")
            << ok("2019-01-31T12:45:00Z");
        QTest::addRow("format with offset +HH:MM")
            << one("2019-01-31T13:45:00+01:00") << withFormat("%Y-%m-%dT%H:%M:%S%z") << ok("2019-01-31T12:45:00Z");
        QTest::addRow("format with offset Z")
            << one("2019-01-31T13:45:00.5Z") << withFormat("%Y-%m-%dT%H:%M:%S%z") << ok("2019-01-31T13:45:00.5Z");
        QTest::addRow("format with offset and zone name")
            << one("31/01/2019 13:45 -0500 EST") << withFormat("%d/%m/%Y %H:%M %z %Z") << ok("2019-01-31T18:45:00Z");
        // Found by fuzz_csv_reader: date::from_stream overflowed on "-" without digits for %z.
        QTest::addRow("format with a sign but no offset")
            << one("2019-01-31T13:45:00-x") << withFormat("%Y-%m-%dT%H:%M:%S%z")
            << bad("time does not match the format '%Y-%m-%dT%H:%M:%S%z': '2019-01-31T13:45:00-x'");
        QTest::addRow("format with an offset out of range")
            << one("2019-01-31T13:45:00+2400") << withFormat("%Y-%m-%dT%H:%M:%S%z")
            << bad("invalid time of day or offset: '2019-01-31T13:45:00+2400'");
        // Found by fuzz_csv_reader: date::from_stream converted an unset %S.
        QTest::addRow("format with text for seconds")
            << one("2019-01-31T13:41:xx+0100") << withFormat("%Y-%m-%dT%H:%M:%S%z")
            << bad("time does not match the format '%Y-%m-%dT%H:%M:%S%z': '2019-01-31T13:41:xx+0100'");
        QTest::addRow("format with month names") << one("\"Thu, 31 JAN 2019 13:45:00 GMT\"")
                                                 << withFormat("%a, %d %b %Y %T %Z") << ok("2019-01-31T13:45:00Z");
        QTest::addRow("format with full month names")
            << one("31 January 19 1:45 pm") << withFormat("%e %B %y %I:%M %p") << ok("2019-01-31T13:45:00Z");
        QTest::addRow("format with day of year")
            << one("2019/031 13:45") << withFormat("%Y/%j %R") << ok("2019-01-31T13:45:00Z");
        QTest::addRow("format with day 366 in a common year")
            << one("2019/366 13:45") << withFormat("%Y/%j %R") << bad("invalid date: '2019/366 13:45'");
        QTest::addRow("format with 12 AM")
            << one("01/31/2019 12:05 am") << withFormat("%m/%d/%Y %I:%M %p") << ok("2019-01-31T00:05:00Z");
        QTest::addRow("format with hour 13 PM") << one("01/31/2019 13:05 PM") << withFormat("%m/%d/%Y %I:%M %p")
                                                << bad("invalid time of day or offset: '01/31/2019 13:05 PM'");
        QTest::addRow("format with shorthands and a fraction")
            << one("\"2019-01-31 13:45:00,25\"") << withFormat("%F %T") << ok("2019-01-31T13:45:00.25Z");
        QTest::addRow("format in a zone")
            << one("31/01/2019 13:45") << withFormat("%d/%m/%Y %H:%M", "Europe/Berlin") << ok("2019-01-31T12:45:00Z");
        QTest::addRow("format with date and time columns")
            << QByteArray("31.01.2019;13:45;1\n") << withFormat("%d.%m.%Y %H:%M")
            << QStringList{"columns: series", "1 series 2019-01-31T13:45:00Z 1"};
        QTest::addRow("format mismatch") << one("2019-01-31 13:45") << withFormat("%d/%m/%Y %H:%M")
                                         << bad("time does not match the format '%d/%m/%Y %H:%M': '2019-01-31 13:45'");
        QTest::addRow("format with an impossible date")
            << one("30/02/2019 10:00") << withFormat("%d/%m/%Y %H:%M") << bad("invalid date: '30/02/2019 10:00'");
    }
    void times() { test::checkEvents(); }

    void values_data()
    {
        test::addEventColumns();
        const ReaderOptions none;
        const auto one = [](const char *value) { return QByteArray("time,v\n2019-01-01 00:15,") + value + "\n"; };
        const auto ok = [](const char *value) {
            return QStringList{"columns: v", QStringLiteral("2 v 2019-01-01T00:15:00Z %1").arg(value)};
        };
        const auto missing = [](const char *reason) {
            return QStringList{"columns: v", QStringLiteral("2 v missing: %1").arg(reason)};
        };
        const auto bad = [](const QString &reason) { return QStringList{"columns: v", "2 rejected 1: " + reason}; };
        QTest::addRow("decimal") << one("55.09") << none << ok("55.09");
        QTest::addRow("negative") << one("-1.5") << none << ok("-1.5");
        QTest::addRow("plus sign") << one("+2") << none << ok("2");
        QTest::addRow("scientific") << one("1.5E-3") << none << ok("0.0015");
        QTest::addRow("scientific with plus") << one("+1e3") << none << ok("1000");
        QTest::addRow("leading point") << one(".5") << none << ok("0.5");
        QTest::addRow("negative zero") << one("-0") << none << ok("-0");
        QTest::addRow("NaN") << one("NaN") << none << missing("missing value (NaN)");
        QTest::addRow("nan") << one("nan") << none << missing("missing value (nan)");
        QTest::addRow("empty") << one("") << none << missing("missing value (empty cell)");
        QTest::addRow("NULL") << one("NULL") << none << missing("missing value (NULL)");
        QTest::addRow("null") << one("null") << none << missing("missing value (null)");
        QTest::addRow("dash") << one("-") << none << missing("missing value (-)");
        QTest::addRow("inf") << one("inf") << none << bad("infinite value: 'inf'");
        QTest::addRow("-Infinity") << one("-Infinity") << none << bad("infinite value: '-Infinity'");
        QTest::addRow("hex") << one("0x1A") << none << bad("not a number: '0x1A'");
        QTest::addRow("out of range") << one("1e400") << none << bad("value out of range: '1e400'");
        QTest::addRow("negative out of range") << one("-1e400") << none << bad("value out of range: '-1e400'");
        QTest::addRow("text") << one("abc") << none << bad("not a number: 'abc'");
        QTest::addRow("unit") << one("5 kWh") << none << bad("not a number: '5 kWh'");
        QTest::addRow("two signs") << one("+-5") << none << bad("not a number: '+-5'");
        QTest::addRow("long text is cut") << one("this cell holds a long sentence instead of a number") << none
                                          << bad("not a number: 'this cell holds a long sentence instead ...'");
        QTest::addRow("control characters are escaped")
            << one("\"a\tb\x01\"") << none << bad("not a number: 'a\\tb\\x01'");
        QTest::addRow("invalid UTF-8 is escaped") << one("\xFF\xC3\xA9") << none << bad("not a number: '\\xffé'");
    }
    void values() { test::checkEvents(); }
};

QTEST_GUILESS_MAIN(TestCsvCells)
#include "tst_csv_cells.moc"
