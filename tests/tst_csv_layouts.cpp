// The meter exports people really have (#14): column roles, long format,
// preambles, units in headers, day/month order, missing tokens. Each layout
// is generated (tests/support/meter_exports) in the shape its source writes.
#include "ingest/csv_reader.h"
#include "support/meter_exports.h"
#include "support/reader_recording.h"
#include "time/instant.h"

#include <QTest>

using namespace meterscope;
using ingest::ReaderOptions;
using test::ExportShape;

namespace {

enum class Gaps { Missing, Omitted };

timeutil::Micros utc(int year, unsigned month, unsigned day, int hours = 0)
{
    return timeutil::daysFromCivil(year, month, day) * timeutil::kMicrosPerDay
           + timeutil::Micros(hours) * 3600 * timeutil::kMicrosPerSecond;
}

QString line(const QString &name, const QString &unit, const test::SeriesTally &t)
{
    return QStringLiteral("%1%2: %3 readings, %4 missing, %5 %6 .. %7 %8")
        .arg(name, unit.isEmpty() ? QString() : " [" + unit + "]")
        .arg(t.readings)
        .arg(t.missing)
        .arg(QString::fromStdString(timeutil::formatIso(t.firstTime)))
        .arg(t.firstValue)
        .arg(QString::fromStdString(timeutil::formatIso(t.lastTime)))
        .arg(t.lastValue);
}

// What the reader must report for meter `meter` of an export: every
// interval from `start` at the cadence, gaps (of `gapMeter`) missing or left out.
QString expected(const QString &name, const QString &unit, int meter, const ExportShape &shape, timeutil::Micros start,
                 Gaps gaps, int gapMeter = -1)
{
    const std::size_t intervals = std::size_t(shape.days) * std::size_t(24 * 60 / shape.cadenceMinutes);
    test::SeriesTally t;
    for (std::size_t i = 0; i < intervals; ++i) {
        const timeutil::Micros time
            = start + timeutil::Micros(i) * shape.cadenceMinutes * 60 * timeutil::kMicrosPerSecond;
        if (test::isGap(gapMeter < 0 ? meter : gapMeter, i)) {
            t.missing += gaps == Gaps::Missing ? 1 : 0;
            continue;
        }
        const double value = test::meterReading(meter, i, shape.cadenceMinutes);
        if (t.readings++ == 0) {
            t.firstTime = time;
            t.firstValue = value;
        }
        t.lastTime = time;
        t.lastValue = value;
    }
    return line(name, unit, t);
}

QStringList tallies(const test::ReaderOutcome &outcome)
{
    QStringList out;
    for (std::size_t s = 0; s < outcome.series.size(); ++s)
        out << line(QString::fromStdString(outcome.series[s].name), QString::fromStdString(outcome.series[s].unit),
                    outcome.tallies[s]);
    return out;
}

// "header=role" for every column, roles as the report names them.
QString roles(const ingest::LayoutReport &layout)
{
    QStringList out;
    for (const ingest::ColumnLayout &column : layout.columns) {
        const char *role = "ignored";
        switch (column.role) {
        case ingest::ColumnRole::Time:
            role = "time";
            break;
        case ingest::ColumnRole::Value:
            role = "value";
            break;
        case ingest::ColumnRole::SeriesKey:
            role = "key";
            break;
        case ingest::ColumnRole::Ignored:
            break;
        }
        out << QString::fromStdString(column.header) + "=" + role;
    }
    return out.join(" ");
}

QString notes(const ingest::LayoutReport &layout)
{
    QStringList out;
    for (const std::string &note : layout.notes)
        out << QString::fromStdString(note);
    return out.join(" | ");
}

ReaderOptions options(const char *fileName, const char *zone = "")
{
    ReaderOptions o;
    o.fileName = fileName;
    o.timeZone = zone;
    return o;
}

ReaderOptions withSeriesColumn(ReaderOptions o, const char *column)
{
    o.seriesColumn = column;
    return o;
}

} // namespace

class TestCsvLayouts : public QObject {
    Q_OBJECT

private slots:
    // Each layout read end to end: the series, their counts, first and last
    // instants and values, the roles of the columns, the notes.
    void layouts_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<ReaderOptions>("options");
        QTest::addColumn<QStringList>("series");
        QTest::addColumn<QString>("roles");
        QTest::addColumn<QString>("notes");
        QTest::addColumn<QString>("dateOrder");

        const ExportShape three{3, 2, 30};
        const ExportShape one{1, 2, 30};
        QTest::addRow("smart-meter trial, long format, --series-column")
            << QByteArray::fromStdString(test::smartMeterTrial(three))
            << withSeriesColumn(options("CC_LCL-FullData.csv"), "lclid")
            << QStringList{expected("MAC000002", "", 0, three, utc(2012, 10, 12), Gaps::Missing),
                           expected("MAC000003", "", 1, three, utc(2012, 10, 12), Gaps::Missing),
                           expected("MAC000004", "", 2, three, utc(2012, 10, 12), Gaps::Missing)}
            << "LCLid=key stdorToU=ignored DateTime=time KWH/hh (per half hour)=value"
            << "column 2 ('stdorToU') holds text, ignored; if one names the meter, give it with --series-column"
            << "year-month-day";
        QTest::addRow("smart-meter trial, two text columns: the report names the flag")
            << QByteArray::fromStdString(test::smartMeterTrial(one)) << options("CC_LCL-FullData.csv")
            << QStringList{expected("KWH/hh (per half hour)", "", 0, one, utc(2012, 10, 12), Gaps::Missing)}
            << "LCLid=ignored stdorToU=ignored DateTime=time KWH/hh (per half hour)=value"
            << "column 1 ('LCLid'), column 2 ('stdorToU') hold text, ignored; if one names the meter, give it with "
               "--series-column"
            << "year-month-day";
        QTest::addRow("utility consumption: value first, interval start and end, unit in the header")
            << QByteArray::fromStdString(test::utilityConsumption(one)) << options("consumption.csv")
            << QStringList{expected("Consumption", "kwh", 0, one, utc(2023, 3, 25), Gaps::Omitted)}
            << "Consumption (kwh)=value Start=time End=ignored"
            << "column 3 ('End') holds times too: taken for the end of each interval, ignored"
            << "year-month-day";
        const ExportShape quarter{1, 2, 15};
        QTest::addRow("utility download: preamble, date and time columns, local time")
            << QByteArray::fromStdString(test::utilityDownload(quarter)) << options("usage.csv", "America/New_York")
            << QStringList{expected("USAGE", "", 0, quarter, utc(2024, 1, 1, 5), Gaps::Missing)}
            << "TYPE=ignored DATE=time START TIME=time END TIME=ignored USAGE=value UNITS=ignored COST=ignored "
               "NOTES=ignored"
            << "skipped 5 lines before the header on line 6 | column 4 ('END TIME') holds times too: taken for the "
               "end of each interval, ignored | column 1 ('TYPE'), column 6 ('UNITS'), column 7 ('COST') hold text, "
               "ignored; if one names the meter, give it with --series-column"
            << "year-month-day";
        const ExportShape sensors{3, 1, 5};
        QTest::addRow("home-automation history: the only text column is the key")
            << QByteArray::fromStdString(test::homeAutomationHistory(sensors)) << options("history.csv")
            << QStringList{expected("sensor.meter_0_power", "", 0, sensors, utc(2023, 6, 1), Gaps::Missing),
                           expected("sensor.meter_1_power", "", 1, sensors, utc(2023, 6, 1), Gaps::Missing),
                           expected("sensor.meter_2_power", "", 2, sensors, utc(2023, 6, 1), Gaps::Missing)}
            << "entity_id=key state=value last_changed=time"
            << ""
            << "year-month-day";
        const ExportShape minutes{4, 1, 1};
        QTest::addRow("household power: day-first dates, '?' missing")
            << QByteArray::fromStdString(test::householdPower(minutes)) << options("household_power.txt")
            << QStringList{expected("Global_active_power", "", 0, minutes, utc(2006, 12, 16), Gaps::Missing, 0),
                           expected("Global_reactive_power", "", 1, minutes, utc(2006, 12, 16), Gaps::Missing, 0),
                           expected("Voltage", "", 2, minutes, utc(2006, 12, 16), Gaps::Missing, 0),
                           expected("Global_intensity", "", 3, minutes, utc(2006, 12, 16), Gaps::Missing, 0)}
            << "Date=time Time=time Global_active_power=value Global_reactive_power=value Voltage=value "
               "Global_intensity=value"
            << ""
            << "day-month-year";
        QTest::addRow("household power: no day over 12, the report says so")
            << QByteArray::fromStdString(test::householdPower(minutes, true)) << options("household_power.txt")
            << QStringList{expected("Global_active_power", "", 0, minutes, utc(2007, 2, 1), Gaps::Missing, 0),
                           expected("Global_reactive_power", "", 1, minutes, utc(2007, 2, 1), Gaps::Missing, 0),
                           expected("Voltage", "", 2, minutes, utc(2007, 2, 1), Gaps::Missing, 0),
                           expected("Global_intensity", "", 3, minutes, utc(2007, 2, 1), Gaps::Missing, 0)}
            << "Date=time Time=time Global_active_power=value Global_reactive_power=value Voltage=value "
               "Global_intensity=value"
            << "dates such as '01/02/2007' may be day-first or month-first (no day over 12 among the first 1000 "
               "records): read day-first; give --time-format '%m/%d/%Y %H:%M:%S' to read them month-first"
            << "day-month-year";
        const ExportShape wide{3, 2, 15};
        QTest::addRow("the prototype's wide layout")
            << QByteArray::fromStdString(test::wideExport(wide)) << options("wide.csv")
            << QStringList{expected("meter_1", "", 0, wide, utc(2019, 1, 1) + 15 * 60 * timeutil::kMicrosPerSecond,
                                    Gaps::Missing),
                           expected("meter_2", "", 1, wide, utc(2019, 1, 1) + 15 * 60 * timeutil::kMicrosPerSecond,
                                    Gaps::Missing),
                           expected("meter_3", "", 2, wide, utc(2019, 1, 1) + 15 * 60 * timeutil::kMicrosPerSecond,
                                    Gaps::Missing)}
            << "time=time meter_1=value meter_2=value meter_3=value"
            << ""
            << "year-month-day";
    }
    void layouts()
    {
        QFETCH(QByteArray, input);
        QFETCH(ReaderOptions, options);
        QFETCH(QStringList, series);
        QFETCH(QString, roles);
        QFETCH(QString, notes);
        QFETCH(QString, dateOrder);
        const test::ReaderOutcome outcome = test::readCsv(input, options);
        QCOMPARE(outcome.error, QString());
        QCOMPARE(tallies(outcome), series);
        QCOMPARE(outcome.layouts.size(), 1u);
        QCOMPARE(::roles(outcome.layouts.front()), roles);
        QCOMPARE(::notes(outcome.layouts.front()), notes);
        QCOMPARE(QString::fromStdString(outcome.layouts.front().dateOrder), dateOrder);
        QCOMPARE(outcome.stats.rejected, 0u);
    }

    // Roles given explicitly: the same readings as detected.
    void explicitRoles()
    {
        const ExportShape quarter{1, 1, 15};
        ReaderOptions o = options("usage.csv", "America/New_York");
        o.timeColumns = {" date ", "Start Time"};
        o.valueColumns = {"5"};
        o.skipLines = 5;
        const test::ReaderOutcome outcome = test::readCsv(QByteArray::fromStdString(test::utilityDownload(quarter)), o);
        QCOMPARE(outcome.error, QString());
        QCOMPARE(tallies(outcome), QStringList{expected("USAGE", "", 0, quarter, utc(2024, 1, 1, 5), Gaps::Missing)});
        QCOMPARE(roles(outcome.layouts.front()), "TYPE=ignored DATE=time START TIME=time END TIME=ignored "
                                                 "USAGE=value UNITS=ignored COST=ignored NOTES=ignored");
        QCOMPARE(outcome.layouts.front().headerLine, 6u);
        QCOMPARE(outcome.layouts.front().skippedLines, 5u);
    }

    // Exact events for small files: bad lines named with their line and
    // reason, options for missing tokens and units.
    void events_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<ReaderOptions>("options");
        QTest::addColumn<QStringList>("events");
        const QByteArray longFormat = "meter,time,kWh\n"
                                      "m1,2024-01-01 00:00,1\n"
                                      "m1,2024-01-01 00:30,2\n"
                                      "m2,2024-01-01 00:00,3\n"
                                      "m2,2024-13-01 00:30,4\n"
                                      ",2024-01-01 01:00,5\n"
                                      "m2,2024-01-01 01:00,x\n"
                                      "m3,2024-01-01 01:00,N/A\n"
                                      "m1,2024-01-01 01:00\n";
        QTest::addRow("long format: bad lines keep their numbers")
            << longFormat << options("long.csv")
            << QStringList{"columns: m1 [kWh]",
                           "2 m1 2024-01-01T00:00:00Z 1",
                           "3 m1 2024-01-01T00:30:00Z 2",
                           "columns: m2 [kWh]",
                           "4 m2 2024-01-01T00:00:00Z 3",
                           "5 rejected 1: invalid date: '2024-13-01 00:30'",
                           "6 rejected 1: no series key in column 'meter'",
                           "7 rejected 1: not a number: 'x'",
                           "columns: m3 [kWh]",
                           "8 m3 missing: missing value (N/A)",
                           "9 rejected 1: expected 3 cells, found 2"};
        QTest::addRow("long format with two value columns: <key>:<column>")
            << QByteArray("id;ts;import (kWh);export (kWh)\nA;2024-01-01 00:00;1,5;0\nA;2024-01-01 00:15;2;-\n"
                          "B;2024-01-01 00:00;7;1\n")
            << options("two.csv")
            << QStringList{"columns: A:import [kWh], A:export [kWh]",
                           "2 A:import 2024-01-01T00:00:00Z 1.5",
                           "2 A:export 2024-01-01T00:00:00Z 0",
                           "3 A:import 2024-01-01T00:15:00Z 2",
                           "3 A:export missing: missing value (-) in column 'export'",
                           "columns: B:import [kWh], B:export [kWh]",
                           "4 B:import 2024-01-01T00:00:00Z 7",
                           "4 B:export 2024-01-01T00:00:00Z 1"};
        ReaderOptions tokens = options("m.csv");
        tokens.missingTokens = {" -999 ", "err"};
        tokens.unit = "m3";
        QTest::addRow("--missing and --unit")
            << QByteArray("time,gas\n2024-01-01 00:00,-999\n2024-01-01 01:00,ERR\n2024-01-01 02:00,?\n"
                          "2024-01-01 03:00, unknown \n2024-01-01 04:00,0.5\n")
            << tokens
            << QStringList{"columns: gas [m3]",
                           "2 gas missing: missing value (-999)",
                           "3 gas missing: missing value (ERR)",
                           "4 gas missing: missing value (?)",
                           "5 gas missing: missing value (unknown)",
                           "6 gas 2024-01-01T04:00:00Z 0.5"};
        QTest::addRow("a preamble without a header")
            << QByteArray("Meter 1234\nExported 2024-02-01\n2024-01-01 00:00,1\n2024-01-01 00:15,2\n")
            << options("meter 1234.csv")
            << QStringList{"columns: meter 1234", "3 meter 1234 2024-01-01T00:00:00Z 1",
                           "4 meter 1234 2024-01-01T00:15:00Z 2"};
        ReaderOptions sampling = options("usage.csv");
        sampling.sampleRecords = 4;
        QTest::addRow("a sample of the first records, preamble and header included (#14)")
            << QByteArray("Name,Jane\n\n \"DATE, local\" ,USAGE\n2024-01-01 00:00,1\n2024-01-01 00:15,2\n"
                          "2024-01-01 00:30,3\n")
            << sampling
            << QStringList{"1 sampled: Name|Jane",
                           "3 sampled: DATE, local|USAGE",
                           "4 sampled: 2024-01-01 00:00|1",
                           "5 sampled: 2024-01-01 00:15|2",
                           "columns: USAGE",
                           "4 USAGE 2024-01-01T00:00:00Z 1",
                           "5 USAGE 2024-01-01T00:15:00Z 2",
                           "6 USAGE 2024-01-01T00:30:00Z 3"};
        QTest::addRow("month-first dates")
            << QByteArray("Date,Reading (kWh)\n03/25/2023 00:00,1\n03/25/2023 00:30,2\n") << options("us.csv")
            << QStringList{"columns: Reading [kWh]", "2 Reading 2023-03-25T00:00:00Z 1",
                           "3 Reading 2023-03-25T00:30:00Z 2"};
        QTest::addRow("a day-first date beside ISO times changes nothing")
            << QByteArray("time,billed,kWh\n2024-01-13 00:00,13/01/2024,1\n2024-01-13 00:30,13/01/2024,2\n")
            << options("m.csv")
            << QStringList{"columns: kWh [kWh]", "2 kWh 2024-01-13T00:00:00Z 1", "3 kWh 2024-01-13T00:30:00Z 2"};
        QTest::addRow("dates alone, day-first")
            << QByteArray("Day;Usage (m3)\n31/01/2024;1,5\n01/02/2024;2\n") << options("m.csv")
            << QStringList{"columns: Usage [m3]", "2 Usage 2024-01-31T00:00:00Z 1.5", "3 Usage 2024-02-01T00:00:00Z 2"};
        QTest::addRow("a value column with text stays a value (reported, not ignored)")
            << QByteArray("time,a,b\n2024-01-01 00:00,1,x\n") << options("m.csv")
            << QStringList{"columns: a, b", "2 a 2024-01-01T00:00:00Z 1",
                           "2 rejected 1: not a number: 'x' in column 'b'"};
    }
    void events()
    {
        QFETCH(QByteArray, input);
        QFETCH(ReaderOptions, options);
        QFETCH(QStringList, events);
        const test::ReaderOutcome outcome = test::readCsv(input, options);
        QCOMPARE(outcome.error, QString());
        QCOMPARE(outcome.events, events);
    }

    // Options that cannot work refuse the file with a sentence.
    void errors_data()
    {
        QTest::addColumn<ReaderOptions>("options");
        QTest::addColumn<QString>("error");
        ReaderOptions name = options("usage.csv");
        name.valueColumns = {"Usage (kWh)", "Power"};
        QTest::addRow("unknown column name")
            << name
            << "the value column 'Power' names no column in the header of 'usage.csv' ('TYPE', 'DATE', 'START TIME', "
               "'END TIME', 'USAGE', 'UNITS', 'COST', 'NOTES'); give a header name or a column number";
        ReaderOptions number = options("usage.csv");
        number.timeColumns = {"9"};
        QTest::addRow("column number beyond the file")
            << number << "the time column '9' is not a column of 'usage.csv', which has 8 columns (numbered from 1)";
        ReaderOptions both = options("usage.csv");
        both.seriesColumn = "usage";
        both.valueColumns = {"usage"};
        QTest::addRow("a column in two roles")
            << both << "column 5 ('USAGE') of 'usage.csv' cannot be a value column and a time or series column at once";
        ReaderOptions renamed = withSeriesColumn(options("usage.csv"), "TYPE");
        renamed.seriesName = "house";
        QTest::addRow("--series with a series column")
            << renamed
            << "a series name names a single series, but 'usage.csv' has a series column (one series per key); leave "
               "it empty";
    }
    void errors()
    {
        QFETCH(ReaderOptions, options);
        QFETCH(QString, error);
        const test::ReaderOutcome outcome
            = test::readCsv(QByteArray::fromStdString(test::utilityDownload({1, 1, 15})), options);
        QCOMPARE(outcome.error, error);
        QVERIFY(outcome.series.empty());
    }
};

QTEST_GUILESS_MAIN(TestCsvLayouts)
#include "tst_csv_layouts.moc"
