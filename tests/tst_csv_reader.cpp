#include "ingest/csv_reader.h"
#include "support/reader_recording.h"
#include "time/instant.h"

#include <QByteArray>
#include <QFile>
#include <QStringList>
#include <QTest>

#include <charconv>
#include <sstream>

using namespace meterscope;
using ingest::EpochUnit;
using ingest::ReaderOptions;
using ingest::ReaderStats;

namespace {

using Outcome = test::ReaderOutcome;
using namespace test::readeroptions;
using test::read;

QString sourcePath(const QString &relative)
{
    const QByteArray root = qgetenv("METERSCOPE_SOURCE_DIR");
    return root.isEmpty() ? QFINDTESTDATA("../" + relative) : QString::fromLocal8Bit(root) + "/" + relative;
}

} // namespace

class TestCsvReader : public QObject {
    Q_OBJECT

private slots:
    void rfc4180_data()
    {
        test::addEventColumns();
        const ReaderOptions none;
        QTest::addRow("quoted cells") << QByteArray("time,value\n\"2019-01-01 00:15:00\",\"55.09\"\n") << none
                                      << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 55.09"};
        QTest::addRow("delimiter and doubled quotes inside quotes")
            << QByteArray("time,\"meter \"\"A\"\", kWh\"\n2019-01-01 00:15,1\n") << none
            << QStringList{"columns: meter \"A\", kWh", "2 meter \"A\", kWh 2019-01-01T00:15:00Z 1"};
        QTest::addRow("line break inside a quoted header cell")
            << QByteArray("time,\"meter\nA\"\n2019-01-01 00:15,1\n2019-01-01 00:30,2\n") << none
            << QStringList{"columns: meter\nA", "3 meter\nA 2019-01-01T00:15:00Z 1",
                           "4 meter\nA 2019-01-01T00:30:00Z 2"};
        QTest::addRow("record spanning lines reports its first line")
            << QByteArray("time,value\n2019-01-01 00:15,\"1\n2\"\n2019-01-01 00:30,3\n") << none
            << QStringList{"columns: value", "2 rejected 1: not a number: '1\\n2'", "4 value 2019-01-01T00:30:00Z 3"};
        QTest::addRow("CRLF inside quotes is one line")
            << QByteArray("time,value\r\n2019-01-01 00:15,\"1\r\n2\"\r\n2019-01-01 00:30,3\r\n") << none
            << QStringList{"columns: value", "2 rejected 1: not a number: '1\\r\\n2'",
                           "4 value 2019-01-01T00:30:00Z 3"};
        QTest::addRow("unterminated quote at the end")
            << QByteArray("time,value\n2019-01-01 00:15,1\n2019-01-01 00:30,\"2\n2019-01-01 00:45,3\n") << none
            << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1",
                           "3 rejected 1: the quote opened on line 3 is never closed"};
        QTest::addRow("quote closed by the end of the file")
            << QByteArray("time,value\n2019-01-01 00:15,\"1\"") << none
            << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1"};
        QTest::addRow("text after the closing quote is kept")
            << QByteArray("time,value\n2019-01-01 00:15,\"5\"5\n") << none
            << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 55"};
        QTest::addRow("quote inside an unquoted cell is plain text")
            << QByteArray("time,value\n2019-01-01 00:15,5\"\n2019-01-01 00:30,6\n") << none
            << QStringList{"columns: value", "2 rejected 1: not a number: '5\"'", "3 value 2019-01-01T00:30:00Z 6"};
        QTest::addRow("UTF-8 BOM") << QByteArray("\xEF\xBB\xBFtime,value\n2019-01-01 00:15,1\n") << none
                                   << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1"};
        QTest::addRow("CRLF") << QByteArray("time,value\r\n2019-01-01 00:15,1\r\n\r\n2019-01-01 00:30,x\r\n") << none
                              << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1",
                                             "4 rejected 1: not a number: 'x'"};
        QTest::addRow("lone CR") << QByteArray("time,value\r2019-01-01 00:15,1\r\r2019-01-01 00:30,x\r") << none
                                 << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1",
                                                "4 rejected 1: not a number: 'x'"};
        QTest::addRow("mixed line endings")
            << QByteArray("time,value\n2019-01-01 00:15,1\r\n2019-01-01 00:30,2\r2019-01-01 00:45,x\n") << none
            << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1", "3 value 2019-01-01T00:30:00Z 2",
                           "4 rejected 1: not a number: 'x'"};
        QTest::addRow("blank lines are skipped")
            << QByteArray("\n\ntime,value\n\n2019-01-01 00:15,1\n  \t \n2019-01-01 00:30,2") << none
            << QStringList{"columns: value", "5 value 2019-01-01T00:15:00Z 1", "7 value 2019-01-01T00:30:00Z 2"};
        QTest::addRow("records of empty cells are skipped")
            << QByteArray("time,value\n2019-01-01 00:15,1\n,\n , \n2019-01-01 00:30,2\n") << none
            << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1", "5 value 2019-01-01T00:30:00Z 2"};
        QTest::addRow("cells are trimmed")
            << QByteArray("  time , value\t\n 2019-01-01 00:15:00 ,\t 55.09 \t\n2019-01-01 00:30, \"56\" \n") << none
            << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 55.09", "3 value 2019-01-01T00:30:00Z 56"};
    }
    void rfc4180() { test::checkEvents(); }

    void delimiter_data()
    {
        test::addEventColumns();
        QTest::addColumn<char>("delimiter");
        const ReaderOptions none;
        QTest::addRow("semicolon with decimal comma")
            << QByteArray("time;value\n2019-01-01 00:15;55,09\n2019-01-01 00:30;55.10\n") << none
            << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 55.09", "3 value 2019-01-01T00:30:00Z 55.1"}
            << ';';
        QTest::addRow("semicolon wins a tie with the decimal comma")
            << QByteArray("2019-01-01 00:15;55,09\n") << named("meter.csv")
            << QStringList{"columns: meter", "1 meter 2019-01-01T00:15:00Z 55.09"} << ';';
        QTest::addRow("tab") << QByteArray("time\tvalue\n2019-01-01 00:15\t1.5\n") << none
                             << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1.5"} << '\t';
        QTest::addRow("most frequent outside quotes")
            << QByteArray("\"time, UTC\";\"power, kW\";\"energy, kWh\"\n2019-01-01 00:15;1;2\n") << none
            << QStringList{"columns: power, kW, energy, kWh", "2 power, kW 2019-01-01T00:15:00Z 1",
                           "2 energy, kWh 2019-01-01T00:15:00Z 2"}
            << ';';
        QTest::addRow("given in the options")
            << QByteArray("time;a,b,c\n2019-01-01 00:15;1,5\n") << withDelimiter(';')
            << QStringList{"columns: a,b,c", "2 a,b,c 2019-01-01T00:15:00Z 1.5"} << ';';
        QTest::addRow("no decimal comma with comma delimiter")
            << QByteArray("time,value\n2019-01-01 00:15,\"55,09\"\n") << none
            << QStringList{"columns: value", "2 rejected 1: not a number: '55,09'"} << ',';
        QTest::addRow("detected after blank lines and a BOM")
            << QByteArray("\xEF\xBB\xBF\n\ntime\tvalue\n2019-01-01 00:15\t1\n") << none
            << QStringList{"columns: value", "4 value 2019-01-01T00:15:00Z 1"} << '\t';
    }
    void delimiter()
    {
        QFETCH(char, delimiter);
        test::checkEvents();
        QFETCH(QByteArray, input);
        QFETCH(ReaderOptions, options);
        QCOMPARE(read(input, options).stats.delimiter, delimiter);
    }

    void header_data()
    {
        test::addEventColumns();
        QTest::addColumn<bool>("header");
        const ReaderOptions none;
        QTest::addRow("header names the series")
            << QByteArray("time,meterusage\n2019-01-01 00:15:00,55.09\n") << none
            << QStringList{"columns: meterusage", "2 meterusage 2019-01-01T00:15:00Z 55.09"} << true;
        QTest::addRow("no header: the file names the series")
            << QByteArray("2019-01-01 00:15:00,55.09\n") << named("/data/meter 7.csv")
            << QStringList{"columns: meter 7", "1 meter 7 2019-01-01T00:15:00Z 55.09"} << false;
        QTest::addRow("no header, several value columns")
            << QByteArray("2019-01-01 00:15:00,1,2,3\n") << named("C:\\exports\\site.csv")
            << QStringList{"columns: site_1, site_2, site_3", "1 site_1 2019-01-01T00:15:00Z 1",
                           "1 site_2 2019-01-01T00:15:00Z 2", "1 site_3 2019-01-01T00:15:00Z 3"}
            << false;
        QTest::addRow("no header, no file name")
            << QByteArray("2019-01-01 00:15:00,1\n") << none
            << QStringList{"columns: series", "1 series 2019-01-01T00:15:00Z 1"} << false;
        QTest::addRow("series name overrides the header")
            << QByteArray("time,meterusage\n2019-01-01 00:15,1\n") << withSeriesName("power")
            << QStringList{"columns: power", "2 power 2019-01-01T00:15:00Z 1"} << true;
        QTest::addRow("series name overrides the file name")
            << QByteArray("2019-01-01 00:15,1\n") << withSeriesName("power", "meter.csv")
            << QStringList{"columns: power", "1 power 2019-01-01T00:15:00Z 1"} << false;
        QTest::addRow("empty header cell")
            << QByteArray("time,a,,c\n2019-01-01 00:15,1,2,3\n") << none
            << QStringList{"columns: a, column_2, c", "2 a 2019-01-01T00:15:00Z 1", "2 column_2 2019-01-01T00:15:00Z 2",
                           "2 c 2019-01-01T00:15:00Z 3"}
            << true;
        QTest::addRow("empty time header") << QByteArray(",a\n2019-01-01 00:15,1\n") << none
                                           << QStringList{"columns: a", "2 a 2019-01-01T00:15:00Z 1"} << true;
        QTest::addRow("an impossible date is data, not a header")
            << QByteArray("2019-02-30 00:00,1\n2019-03-01 00:00,2\n") << named("x.csv")
            << QStringList{"columns: x", "1 rejected 1: invalid date: '2019-02-30 00:00'", "2 x 2019-03-01T00:00:00Z 2"}
            << false;
        QTest::addRow("epoch numbers are data") << QByteArray("1546301700,1\n") << named("x.csv")
                                                << QStringList{"columns: x", "1 x 2019-01-01T00:15:00Z 1"} << false;
        QTest::addRow("header only") << QByteArray("time,a,b\n") << none << QStringList{"columns: a, b"} << true;
        QTest::addRow("empty file") << QByteArray() << none << QStringList{} << false;
        QTest::addRow("Windows-1252 header")
            << QByteArray("Zeit;Z\xE4hlerstand \x80\n2019-01-01 00:15;1\n") << none
            << QStringList{"columns: Zählerstand €", "2 Zählerstand € 2019-01-01T00:15:00Z 1"} << true;
        QTest::addRow("repeated header later is a bad record")
            << QByteArray("time,value\n2019-01-01 00:15,1\ntime,value\n") << none
            << QStringList{"columns: value", "2 value 2019-01-01T00:15:00Z 1", "3 rejected 1: not a time: 'time'"}
            << true;
    }
    void header()
    {
        QFETCH(bool, header);
        test::checkEvents();
        QFETCH(QByteArray, input);
        QFETCH(ReaderOptions, options);
        QCOMPARE(read(input, options).stats.header, header);
    }

    void readerError_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<ReaderOptions>("options");
        QTest::addColumn<QString>("error");
        QTest::addRow("series name with several value columns")
            << QByteArray("time,a,b\n2019-01-01 00:15,1,2\n") << withSeriesName("power", "m.csv")
            << "a series name ('power') names a single series, but 'm.csv' has 2 value columns; leave it empty "
               "to name each series after its column";
        QTest::addRow("duplicate header names")
            << QByteArray("time,a,b,a\n2019-01-01 00:15,1,2,3\n") << named("m.csv")
            << "duplicate column name 'a' in the header of 'm.csv' (value columns 1 and 3); each series needs "
               "its own name";
        QTest::addRow("NUL bytes") << QByteArray("time,value\n\0\0\0\x01", 15) << named("m.bin")
                                   << "not a CSV text file: 'm.bin' contains NUL bytes (binary data)";
        QTest::addRow("control characters")
            << QByteArray("\x01\x02\x03\x04\x05time,value\n") << named("m.bin")
            << "not a CSV text file: 'm.bin' contains many control characters (binary data)";
        QTest::addRow("UTF-16") << QByteArray("\xFF\xFEt\0i\0m\0e\0", 10) << named("m.csv")
                                << "not a CSV text file: 'm.csv' is UTF-16 text; save it as UTF-8";
        QTest::addRow("Excel workbook")
            << QByteArray("PK\x03\x04\x14\0\x06\0", 8) << named("m.xlsx")
            << "not a CSV text file: 'm.xlsx' is a ZIP archive (an Excel workbook?); export it as CSV";
        QTest::addRow("gzip") << QByteArray("\x1F\x8B\x08\0", 4) << ReaderOptions()
                              << "not a CSV text file: the input is gzip-compressed; decompress it first";
        QTest::addRow("one column")
            << QByteArray("time|value\n2019-01-01 00:15|1\n") << named("m.csv")
            << "the header of 'm.csv' has only one column ('time|value'); separate the time and the values with "
               "',' ';' or a tab";
        QTest::addRow("one column without header")
            << QByteArray("2019-01-01 00:15\n") << named("m.csv")
            << "the first record of 'm.csv' has only one cell ('2019-01-01 00:15'); separate the time and the "
               "values with ',' ';' or a tab";
        QTest::addRow("unknown zone")
            << QByteArray("time,value\n") << inZone("Mars/Olympus")
            << "unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Berlin, or UTC)";
        QTest::addRow("format without a date")
            << QByteArray("time,value\n") << withFormat("%H:%M")
            << "the time format '%H:%M' does not give a full date (it needs a year, a month and a day, e.g. "
               "%d/%m/%Y %H:%M)";
        QTest::addRow("format with an unknown conversion")
            << QByteArray("time,value\n") << withFormat("%Y-%m-%d %Q")
            << "the time format '%Y-%m-%d %Q' uses the conversion '%Q', which is not supported (use %Y %y %m %d %e "
               "%j %b %B %a %A %H %I %M %S %p %z %Z %F %T %R %D %n %t %%)";
        QTest::addRow("format with an unsupported conversion")
            << QByteArray("time,value\n") << withFormat("%c")
            << "the time format '%c' uses the conversion '%c', which is not supported (use %Y %y %m %d %e %j %b %B "
               "%a %A %H %I %M %S %p %z %Z %F %T %R %D %n %t %%)";
        QTest::addRow("format with a 12-hour clock but no AM/PM")
            << QByteArray("time,value\n") << withFormat("%d/%m/%Y %I:%M")
            << "the time format '%d/%m/%Y %I:%M' needs %I and %p together (12-hour clock with AM/PM)";
        QTest::addRow("unsupported delimiter")
            << QByteArray("time,value\n") << withDelimiter('|')
            << "unsupported delimiter '|'; use ',', ';' or a tab, or leave it empty to detect it";
        QTest::addRow("no readable record")
            << QByteArray("2019-01-01 00:15,\"1\n") << named("m.csv")
            << "no readable record in 'm.csv' (line 1: the quote opened on line 1 is never closed)";
    }
    void readerError()
    {
        QFETCH(QByteArray, input);
        QFETCH(ReaderOptions, options);
        QFETCH(QString, error);
        QCOMPARE(read(input, options).error, error);
    }

    void wide_data()
    {
        test::addEventColumns();
        QTest::addColumn<QList<quint64>>("counts"); // readings, accepted, missing, rejected
        QTest::addRow("one reading per value cell")
            << QByteArray("time,meter_a,meter_b\n"
                          "2019-01-01 00:15,1,2\n"
                          "2019-01-01 00:30,NaN,x\n"
                          "2019-01-01 00:45,3\n"
                          "bad,1,2\n"
                          "2019-01-01 01:00,,-\n")
            << ReaderOptions()
            << QStringList{"columns: meter_a, meter_b",
                           "2 meter_a 2019-01-01T00:15:00Z 1",
                           "2 meter_b 2019-01-01T00:15:00Z 2",
                           "3 meter_a missing: missing value (NaN) in column 'meter_a'",
                           "3 rejected 1: not a number: 'x' in column 'meter_b'",
                           "4 rejected 2: expected 3 cells, found 2",
                           "5 rejected 2: not a time: 'bad'",
                           "6 meter_a missing: missing value (empty cell) in column 'meter_a'",
                           "6 meter_b missing: missing value (-) in column 'meter_b'"}
            << QList<quint64>{10, 2, 3, 5};
        QTest::addRow("broken first data record waits for the layout")
            << QByteArray("date,time,a,b\n"
                          "2019-01-01,00:15,1\n"
                          "2019-01-01,00:30,2,3\n")
            << ReaderOptions()
            << QStringList{"columns: a, b", "2 rejected 2: expected 4 cells, found 3", "3 a 2019-01-01T00:30:00Z 2",
                           "3 b 2019-01-01T00:30:00Z 3"}
            << QList<quint64>{4, 2, 0, 2};
    }
    void wide()
    {
        test::checkEvents();
        QFETCH(QByteArray, input);
        QFETCH(QList<quint64>, counts);
        const ReaderStats stats = read(input).stats;
        QCOMPARE((QList<quint64>{stats.readings, stats.accepted, stats.missing, stats.rejected}), counts);
    }

    void cellCount_data()
    {
        test::addEventColumns();
        QTest::addRow("too few") << QByteArray("time,v\n2019-01-01 00:15\n2019-01-01 00:30,2\n") << ReaderOptions()
                                 << QStringList{"columns: v", "2 rejected 1: expected 2 cells, found 1",
                                                "3 v 2019-01-01T00:30:00Z 2"};
        QTest::addRow("too many") << QByteArray("time,v\n2019-01-01 00:15,1,2\n2019-01-01 00:30,2\n") << ReaderOptions()
                                  << QStringList{"columns: v", "2 rejected 1: expected 2 cells, found 3",
                                                 "3 v 2019-01-01T00:30:00Z 2"};
        QTest::addRow("far too many") << QByteArray("time,v\n2019-01-01 00:15") + QByteArray(50000, ',') + "\n"
                                      << ReaderOptions()
                                      << QStringList{"columns: v", "2 rejected 1: expected 2 cells, found 50001"};
        QTest::addRow("trailing delimiter") << QByteArray("time,v\n2019-01-01 00:15,1,\n") << ReaderOptions()
                                            << QStringList{"columns: v", "2 rejected 1: expected 2 cells, found 3"};
    }
    void cellCount() { test::checkEvents(); }

    void maxLineLength_data()
    {
        test::addEventColumns();
        QTest::addRow("long record") << QByteArray("time,v\n2019-01-01 00:15,") + QByteArray(40, '1')
                                            + "\n2019-01-01 00:30,2\n"
                                     << withMaxLineLength(40)
                                     << QStringList{"columns: v", "2 rejected 1: record longer than 40 bytes",
                                                    "3 v 2019-01-01T00:30:00Z 2"};
        QTest::addRow("exactly the limit")
            << QByteArray("time,v\n2019-01-01 00:15,1.") + QByteArray(21, '0') + "\n"
            << withMaxLineLength(40) << QStringList{"columns: v", "2 v 2019-01-01T00:15:00Z 1"};
        QTest::addRow("long quoted record resynchronises at the next line end")
            << QByteArray("time,v\n2019-01-01 00:15,\"1\n2019-01-01 00:30,2\n2019-01-01 00:45,3\n")
            << withMaxLineLength(30)
            << QStringList{"columns: v",
                           "2 rejected 1: record longer than 30 bytes (inside the quote opened on "
                           "line 2)",
                           "4 v 2019-01-01T00:45:00Z 3"};
        QTest::addRow("long last record without line end")
            << QByteArray("time,v\n2019-01-01 00:30,2\n2019-01-01 00:15,") + QByteArray(40, '1')
            << withMaxLineLength(40)
            << QStringList{"columns: v", "2 v 2019-01-01T00:30:00Z 2", "3 rejected 1: record longer than 40 bytes"};
        QTest::addRow("long header waits for the layout")
            << QByteArray("time,") + QByteArray(40, 'v') + "\n2019-01-01 00:15,1\n"
            << withMaxLineLength(40)
            << QStringList{"columns: series", "1 rejected 1: record longer than 40 bytes",
                           "2 series 2019-01-01T00:15:00Z 1"};
        QTest::addRow("default limit, 2 MiB line")
            << QByteArray("time,v\n2019-01-01 00:15,") + QByteArray(2 << 20, '1') + "\n2019-01-01 00:30,2\n"
            << ReaderOptions()
            << QStringList{"columns: v", "2 rejected 1: record longer than 1048576 bytes",
                           "3 v 2019-01-01T00:30:00Z 2"};
    }
    void maxLineLength() { test::checkEvents(); }

    void nulLater_data()
    {
        test::addEventColumns();
        QByteArray input = "time,v\n";
        for (int i = 0; i < 300; ++i)
            input += "2019-01-01 00:15,1\n";
        input += QByteArray("2019-01-01 00:30,\0\n", 19);
        input += "2019-01-01 00:45,3\n";
        QStringList expected{"columns: v"};
        for (int i = 0; i < 300; ++i)
            expected << QStringLiteral("%1 v 2019-01-01T00:15:00Z 1").arg(i + 2);
        expected << "302 rejected 1: record contains a NUL byte (binary data)"
                 << "303 v 2019-01-01T00:45:00Z 3";
        QTest::addRow("NUL after the first 4 KiB") << input << ReaderOptions() << expected;
    }
    void nulLater() { test::checkEvents(); }

    void stats_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<quint64>>("counts"); // lines, records
        QTest::addRow("LF") << QByteArray("time,v\n2019-01-01 00:15,1\n\n") << QList<quint64>{3, 1};
        QTest::addRow("no final line end") << QByteArray("time,v\n2019-01-01 00:15,1") << QList<quint64>{2, 1};
        QTest::addRow("CRLF") << QByteArray("time,v\r\n2019-01-01 00:15,1\r\n") << QList<quint64>{2, 1};
        QTest::addRow("CR") << QByteArray("time,v\r2019-01-01 00:15,1\r\r") << QList<quint64>{3, 1};
        QTest::addRow("quoted line breaks")
            << QByteArray("time,v\n2019-01-01 00:15,\"\r\n\n\r\"\n") << QList<quint64>{5, 1};
        QTest::addRow("rejected and blank records")
            << QByteArray("time,v\nx,1\n\n,\n2019-01-01 00:15\n") << QList<quint64>{5, 2};
        QTest::addRow("BOM only") << QByteArray("\xEF\xBB\xBF") << QList<quint64>{0, 0};
    }
    void stats()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<quint64>, counts);
        const ReaderStats stats = read(input).stats;
        QCOMPARE(stats.bytes, quint64(input.size()));
        QCOMPARE((QList<quint64>{stats.lines, stats.records}), counts);
    }

    // The seed system's sample: 2975 data rows, one of them NaN.
    void sampleFile()
    {
        QFile file(sourcePath("resources/meterusage.csv"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QByteArray input = file.readAll();
        ReaderOptions options;
        options.fileName = "meterusage.csv";
        const Outcome outcome = read(input, options);
        QCOMPARE(outcome.error, QString());
        QCOMPARE(outcome.events.first(), "columns: meterusage");
        QCOMPARE(outcome.events.at(1), "2 meterusage 2019-01-01T00:15:00Z 55.09");
        QCOMPARE(outcome.events.last(), "2976 meterusage 2019-01-31T23:45:00Z 54.36");
        QCOMPARE(outcome.events.filter(" missing: "), QStringList{"1548 meterusage missing: missing value (NaN)"});
        QCOMPARE(outcome.events.filter(" rejected "), QStringList{});
        QCOMPARE(outcome.stats.records, 2975u);
        QCOMPARE(outcome.stats.readings, 2975u);
        QCOMPARE(outcome.stats.accepted, 2974u);
        QCOMPARE(outcome.stats.missing, 1u);
        QCOMPARE(outcome.stats.rejected, 0u);
        QCOMPARE(outcome.stats.lines, 2976u);
        QVERIFY(outcome.stats.header);
    }

    void chunkSizes_data()
    {
        QTest::addColumn<qsizetype>("chunkSize");
        for (const qsizetype size : {1, 2, 3, 7, 64, 4095, 4096, 4097, 65536})
            QTest::addRow("%lld", qlonglong(size)) << size;
    }
    void chunkSizes()
    {
        QFETCH(qsizetype, chunkSize);
        QFile file(sourcePath("resources/meterusage.csv"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        // CRLF and quotes make the cuts land inside every kind of token.
        QByteArray input = file.readAll().replace("\n", "\r\n").replace(",5", ",\"5\"\"\"");
        const Outcome whole = test::readWithChunks(input, {}, input.size());
        const Outcome chunked = test::readWithChunks(input, {}, chunkSize);
        QCOMPARE(chunked.events, whole.events);
        QVERIFY(test::sameStats(chunked.stats, whole.stats));
        QCOMPARE(whole.stats.readings, 2975u);
    }

    void readStream_data()
    {
        QTest::addColumn<std::size_t>("chunkSize");
        QTest::addColumn<int>("stopAfter"); // progress calls before cancelling; -1 = never
        QTest::addColumn<bool>("completed");
        QTest::addColumn<quint64>("readings");
        QTest::addRow("whole") << std::size_t(1 << 20) << -1 << true << quint64(2975);
        QTest::addRow("small chunks") << std::size_t(100) << -1 << true << quint64(2975);
        QTest::addRow("cancelled") << std::size_t(1000) << 3 << false << quint64(0);
    }
    void readStream()
    {
        QFETCH(std::size_t, chunkSize);
        QFETCH(int, stopAfter);
        QFETCH(bool, completed);
        QFETCH(quint64, readings);
        QFile file(sourcePath("resources/meterusage.csv"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        std::istringstream in(file.readAll().toStdString());
        test::RecordingSink sink;
        ingest::CsvReader reader({}, sink);
        int calls = 0;
        std::uint64_t lastBytes = 0;
        const bool done = ingest::readStream(
            in, reader,
            [&](const ReaderStats &stats) {
                [&] { QVERIFY(stats.bytes > lastBytes); }();
                lastBytes = stats.bytes;
                return ++calls != stopAfter;
            },
            chunkSize);
        QCOMPARE(done, completed);
        if (completed) {
            QCOMPARE(reader.stats().readings, readings);
            QCOMPARE(reader.stats().bytes, quint64(file.size()));
        } else {
            QCOMPARE(calls, stopAfter);
            QCOMPARE(reader.stats().bytes, quint64(stopAfter) * chunkSize);
        }
    }

    void seriesNameFromFile_data()
    {
        QTest::addColumn<QByteArray>("fileName");
        QTest::addColumn<QString>("name");
        QTest::addRow("path") << QByteArray("/data/meter 7.csv") << "meter 7";
        QTest::addRow("Windows path") << QByteArray("C:\\data\\meter.csv") << "meter";
        QTest::addRow("two dots") << QByteArray("meter.2019.csv") << "meter.2019";
        QTest::addRow("no extension") << QByteArray("meter") << "meter";
        QTest::addRow("hidden file") << QByteArray(".meter") << ".meter";
        QTest::addRow("empty") << QByteArray() << "";
        QTest::addRow("UTF-8") << QByteArray("z\xC3\xA4hler.csv") << "zähler";
        QTest::addRow("not UTF-8") << QByteArray("z\xE4hler.csv") << "zähler";
    }
    void seriesNameFromFile()
    {
        QFETCH(QByteArray, fileName);
        QFETCH(QString, name);
        QCOMPARE(QString::fromStdString(ingest::seriesNameFromFile(fileName.toStdString())), name);
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csv_reader.moc"
