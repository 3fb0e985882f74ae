#include "time/instant.h"
#include "time/zone.h"

#include <QTest>

#include <limits>

using namespace meterscope::timeutil;

Q_DECLARE_METATYPE(meterscope::timeutil::TimeError)
Q_DECLARE_METATYPE(meterscope::timeutil::Zone::LocalResult)

namespace {

// Microseconds of a UTC (or naive) calendar time, independent of the parser.
Micros at(int year, unsigned month, unsigned day, int hour = 0, int minute = 0, int second = 0, Micros fractionUs = 0)
{
    return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60 * kMicrosPerSecond
           + Micros(second) * kMicrosPerSecond + fractionUs;
}

constexpr Micros kHour = 3600 * kMicrosPerSecond;

} // namespace

class TestInstant : public QObject {
    Q_OBJECT

private slots:
    void parseIsoTime_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<TimeError>("error");
        QTest::addColumn<Micros>("timeUs");
        QTest::addColumn<bool>("hasOffset");
        QTest::addRow("space, minutes") << QByteArray("2019-01-01 00:15") << TimeError::None << at(2019, 1, 1, 0, 15)
                                        << false;
        QTest::addRow("seconds") << QByteArray("2019-01-01 00:15:07") << TimeError::None << at(2019, 1, 1, 0, 15, 7)
                                 << false;
        QTest::addRow("fraction") << QByteArray("2019-01-01T00:15:07.5") << TimeError::None
                                  << at(2019, 1, 1, 0, 15, 7, 500'000) << false;
        QTest::addRow("fraction beyond microseconds is cut")
            << QByteArray("2019-01-01T00:15:07.1234567") << TimeError::None << at(2019, 1, 1, 0, 15, 7, 123'456)
            << false;
        QTest::addRow("decimal comma fraction")
            << QByteArray("2019-01-01T00:15:07,25") << TimeError::None << at(2019, 1, 1, 0, 15, 7, 250'000) << false;
        QTest::addRow("Z") << QByteArray("2019-01-01T00:15:00Z") << TimeError::None << at(2019, 1, 1, 0, 15) << true;
        QTest::addRow("+HH:MM") << QByteArray("2019-01-01T01:15:00+01:00") << TimeError::None << at(2019, 1, 1, 0, 15)
                                << true;
        QTest::addRow("+HHMM") << QByteArray("2019-01-01T01:45:00+0130") << TimeError::None << at(2019, 1, 1, 0, 15)
                               << true;
        QTest::addRow("+HH") << QByteArray("2019-01-01T01:15:00+01") << TimeError::None << at(2019, 1, 1, 0, 15)
                             << true;
        QTest::addRow("-HH:MM") << QByteArray("2018-12-31T19:15:00-05:00") << TimeError::None << at(2019, 1, 1, 0, 15)
                                << true;
        QTest::addRow("blank before the offset")
            << QByteArray("2019-01-01 00:15:00 Z") << TimeError::None << at(2019, 1, 1, 0, 15) << true;
        QTest::addRow("surrounding blanks")
            << QByteArray(" \t2019-01-01 00:15 ") << TimeError::None << at(2019, 1, 1, 0, 15) << false;
        QTest::addRow("bare date") << QByteArray("2019-01-01") << TimeError::None << at(2019, 1, 1) << false;
        QTest::addRow("one-digit month and day")
            << QByteArray("2019-1-5 7:05") << TimeError::None << at(2019, 1, 5, 7, 5) << false;
        QTest::addRow("before 1970") << QByteArray("1969-12-31 23:59:59") << TimeError::None
                                     << at(1969, 12, 31, 23, 59, 59) << false;
        QTest::addRow("header") << QByteArray("time") << TimeError::NotATime << Micros(0) << false;
        QTest::addRow("empty") << QByteArray("") << TimeError::NotATime << Micros(0) << false;
        QTest::addRow("epoch number") << QByteArray("1546301700") << TimeError::NotATime << Micros(0) << false;
        QTest::addRow("trailing text") << QByteArray("2019-01-01 00:15 UTC") << TimeError::NotATime << Micros(0)
                                       << false;
        QTest::addRow("colon without minutes")
            << QByteArray("2019-01-01T00:15+01:") << TimeError::NotATime << Micros(0) << false;
        QTest::addRow("one-digit offset minutes")
            << QByteArray("2019-01-01T00:15+01:3") << TimeError::NotATime << Micros(0) << false;
        QTest::addRow("February 30") << QByteArray("2019-02-30 00:00") << TimeError::InvalidDate << Micros(0) << false;
        QTest::addRow("month 13") << QByteArray("2019-13-01") << TimeError::InvalidDate << Micros(0) << false;
        QTest::addRow("February 29, 2019") << QByteArray("2019-02-29") << TimeError::InvalidDate << Micros(0) << false;
        QTest::addRow("February 29, 2020") << QByteArray("2020-02-29") << TimeError::None << at(2020, 2, 29) << false;
        QTest::addRow("February 29, 1900") << QByteArray("1900-02-29") << TimeError::InvalidDate << Micros(0) << false;
        QTest::addRow("February 29, 2000") << QByteArray("2000-02-29") << TimeError::None << at(2000, 2, 29) << false;
        QTest::addRow("hour 24") << QByteArray("2019-01-01 24:00") << TimeError::InvalidTime << Micros(0) << false;
        QTest::addRow("minute 60") << QByteArray("2019-01-01 23:60") << TimeError::InvalidTime << Micros(0) << false;
        QTest::addRow("offset +24:00") << QByteArray("2019-01-01 00:00+24:00") << TimeError::InvalidTime << Micros(0)
                                       << false;
    }
    void parseIsoTime()
    {
        QFETCH(QByteArray, text);
        QFETCH(TimeError, error);
        QFETCH(Micros, timeUs);
        QFETCH(bool, hasOffset);
        ParsedTime parsed;
        QCOMPARE(meterscope::timeutil::parseIsoTime(text.toStdString(), parsed), error);
        if (error == TimeError::None) {
            QCOMPARE(parsed.timeUs, timeUs);
            QCOMPARE(parsed.hasOffset, hasOffset);
        }
    }

    void parseDate_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<TimeError>("error");
        QTest::addColumn<qint64>("days");
        QTest::addRow("epoch") << QByteArray("1970-01-01") << TimeError::None << qint64(0);
        QTest::addRow("2019") << QByteArray(" 2019-01-01 ") << TimeError::None << qint64(17897);
        QTest::addRow("before 1970") << QByteArray("1969-12-31") << TimeError::None << qint64(-1);
        QTest::addRow("with time") << QByteArray("2019-01-01 00:15") << TimeError::NotATime << qint64(0);
        QTest::addRow("day first") << QByteArray("01.01.2019") << TimeError::NotATime << qint64(0);
        QTest::addRow("invalid") << QByteArray("2019-04-31") << TimeError::InvalidDate << qint64(0);
    }
    void parseDate()
    {
        QFETCH(QByteArray, text);
        QFETCH(TimeError, error);
        QFETCH(qint64, days);
        std::int64_t parsed = 0;
        QCOMPARE(meterscope::timeutil::parseDate(text.toStdString(), parsed), error);
        if (error == TimeError::None)
            QCOMPARE(parsed, days);
    }

    void parseTimeOfDay_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<TimeError>("error");
        QTest::addColumn<Micros>("timeUs");
        QTest::addRow("minutes") << QByteArray("00:15") << TimeError::None << 15 * 60 * kMicrosPerSecond;
        QTest::addRow("seconds") << QByteArray("23:59:59") << TimeError::None << (kHour * 24 - kMicrosPerSecond);
        QTest::addRow("fraction") << QByteArray(" 0:00:00.000001 ") << TimeError::None << Micros(1);
        QTest::addRow("hour only") << QByteArray("7") << TimeError::NotATime << Micros(0);
        QTest::addRow("with offset") << QByteArray("00:15Z") << TimeError::NotATime << Micros(0);
        QTest::addRow("hour 25") << QByteArray("25:00") << TimeError::InvalidTime << Micros(0);
        QTest::addRow("second 60") << QByteArray("23:59:60") << TimeError::InvalidTime << Micros(0);
    }
    void parseTimeOfDay()
    {
        QFETCH(QByteArray, text);
        QFETCH(TimeError, error);
        QFETCH(Micros, timeUs);
        Micros parsed = 0;
        QCOMPARE(meterscope::timeutil::parseTimeOfDay(text.toStdString(), parsed), error);
        if (error == TimeError::None)
            QCOMPARE(parsed, timeUs);
    }

    void formatIso_data()
    {
        QTest::addColumn<Micros>("utc");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("text");
        QTest::addRow("UTC") << at(2019, 1, 1, 0, 15) << ""
                             << "2019-01-01T00:15:00Z";
        QTest::addRow("UTC fraction") << at(2019, 1, 1, 0, 15, 0, 120'000) << "UTC"
                                      << "2019-01-01T00:15:00.12Z";
        QTest::addRow("UTC microsecond") << at(2019, 1, 1, 0, 15, 0, 1) << ""
                                         << "2019-01-01T00:15:00.000001Z";
        QTest::addRow("UTC before 1970") << at(1969, 12, 31, 23, 59, 59, 500'000) << ""
                                         << "1969-12-31T23:59:59.5Z";
        QTest::addRow("Berlin winter") << at(2019, 1, 1, 0, 15) << "Europe/Berlin"
                                       << "2019-01-01T01:15:00+01:00";
        QTest::addRow("Berlin summer") << at(2019, 7, 1, 0, 15) << "Europe/Berlin"
                                       << "2019-07-01T02:15:00+02:00";
        QTest::addRow("Berlin just before spring forward") << at(2019, 3, 31, 0, 59, 59) << "Europe/Berlin"
                                                           << "2019-03-31T01:59:59+01:00";
        QTest::addRow("Berlin at spring forward") << at(2019, 3, 31, 1) << "Europe/Berlin"
                                                  << "2019-03-31T03:00:00+02:00";
        QTest::addRow("Berlin first 02:30 in October") << at(2019, 10, 27, 0, 30) << "Europe/Berlin"
                                                       << "2019-10-27T02:30:00+02:00";
        QTest::addRow("Berlin second 02:30 in October") << at(2019, 10, 27, 1, 30) << "Europe/Berlin"
                                                        << "2019-10-27T02:30:00+01:00";
        QTest::addRow("New York") << at(2019, 1, 1, 0, 15) << "America/New_York"
                                  << "2018-12-31T19:15:00-05:00";
    }
    void formatIso()
    {
        QFETCH(Micros, utc);
        QFETCH(QString, zone);
        QFETCH(QString, text);
        const Zone z = Zone::byName(zone.toStdString());
        QCOMPARE(QString::fromStdString(meterscope::timeutil::formatIso(utc, z)), text);
        // Round trip: what is written reads back as the same instant.
        ParsedTime parsed;
        QCOMPARE(meterscope::timeutil::parseIsoTime(text.toStdString(), parsed), TimeError::None);
        QCOMPARE(parsed.timeUs, utc);
    }

    void toUtc_data()
    {
        QTest::addColumn<QString>("zone");
        QTest::addColumn<Micros>("local");
        QTest::addColumn<Zone::LocalResult>("result");
        QTest::addColumn<Micros>("utc");
        using R = Zone::LocalResult;
        const QString berlin = "Europe/Berlin";
        QTest::addRow("UTC") << "UTC" << at(2019, 3, 31, 2, 30) << R::Ok << at(2019, 3, 31, 2, 30);
        QTest::addRow("winter") << berlin << at(2019, 1, 1, 1, 15) << R::Ok << at(2019, 1, 1, 0, 15);
        QTest::addRow("before the gap") << berlin << at(2019, 3, 31, 1, 59, 59) << R::Ok << at(2019, 3, 31, 0, 59, 59);
        QTest::addRow("gap start") << berlin << at(2019, 3, 31, 2) << R::Nonexistent << Micros(0);
        QTest::addRow("in the gap") << berlin << at(2019, 3, 31, 2, 30) << R::Nonexistent << Micros(0);
        QTest::addRow("gap end") << berlin << at(2019, 3, 31, 2, 59, 59, 999'999) << R::Nonexistent << Micros(0);
        QTest::addRow("after the gap") << berlin << at(2019, 3, 31, 3) << R::Ok << at(2019, 3, 31, 1);
        QTest::addRow("summer") << berlin << at(2019, 7, 1, 2, 15) << R::Ok << at(2019, 7, 1, 0, 15);
        QTest::addRow("before the repeat")
            << berlin << at(2019, 10, 27, 1, 59, 59) << R::Ok << at(2019, 10, 26, 23, 59, 59);
        QTest::addRow("repeat start") << berlin << at(2019, 10, 27, 2) << R::Ambiguous << Micros(0);
        QTest::addRow("in the repeat") << berlin << at(2019, 10, 27, 2, 30) << R::Ambiguous << Micros(0);
        QTest::addRow("after the repeat") << berlin << at(2019, 10, 27, 3) << R::Ok << at(2019, 10, 27, 2);
    }
    void toUtc()
    {
        QFETCH(QString, zone);
        QFETCH(Micros, local);
        QFETCH(Zone::LocalResult, result);
        QFETCH(Micros, utc);
        const Zone z = Zone::byName(zone.toStdString());
        // Once cold, once after the cache has seen the neighbouring period.
        for (const Micros warmUp : {Micros(0), local - 6 * kHour, local + 6 * kHour}) {
            Micros converted = 0;
            if (warmUp != 0)
                z.toUtc(warmUp, converted);
            QCOMPARE(z.toUtc(local, converted), result);
            if (result == Zone::LocalResult::Ok)
                QCOMPARE(converted, utc);
        }
    }

    void byName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<bool>("utc");
        QTest::addRow("empty") << ""
                               << "UTC" << true;
        QTest::addRow("UTC") << "UTC"
                             << "UTC" << true;
        QTest::addRow("Z") << "Z"
                           << "UTC" << true;
        QTest::addRow("Etc/UTC") << "Etc/UTC"
                                 << "UTC" << true;
        QTest::addRow("Berlin") << "Europe/Berlin"
                                << "Europe/Berlin" << false;
    }
    void byName()
    {
        QFETCH(QString, name);
        QFETCH(QString, canonical);
        QFETCH(bool, utc);
        const Zone zone = Zone::byName(name.toStdString());
        QCOMPARE(QString::fromStdString(zone.name()), canonical);
        QCOMPARE(zone.isUtc(), utc);
    }

    void unknownZone()
    {
        try {
            Zone::byName("Mars/Olympus");
            QFAIL("no exception");
        } catch (const std::invalid_argument &e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     "unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Berlin, or UTC)");
        }
    }

    void parseInstant_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<Micros>("utc");
        QTest::addColumn<QString>("error");
        QTest::addRow("ISO with Z") << QByteArray("2019-01-01T00:15:00Z") << "Europe/Berlin" << true
                                    << at(2019, 1, 1, 0, 15) << "";
        QTest::addRow("naive in a zone") << QByteArray("2019-01-01 01:15") << "Europe/Berlin" << true
                                         << at(2019, 1, 1, 0, 15) << "";
        QTest::addRow("bare date in UTC") << QByteArray("2019-01-31") << "" << true << at(2019, 1, 31) << "";
        QTest::addRow("epoch seconds") << QByteArray(" 1546301700 ") << "" << true << at(2019, 1, 1, 0, 15) << "";
        QTest::addRow("negative epoch seconds")
            << QByteArray("-100000000") << "utc" << true << -100000000 * kMicrosPerSecond << "";
        QTest::addRow("short number is no epoch") // #3: 20190101 is a mistyped date, not 1970-08-22
            << QByteArray("20190101") << "" << false << Micros(0)
            << "'20190101' is not a time; use ISO 8601 such as 2019-01-01T00:15:00Z";
        QTest::addRow("epoch seconds too large") << QByteArray("9223372036854775807") << "" << false << Micros(0)
                                                 << "'9223372036854775807' is out of range for epoch seconds";
        QTest::addRow("epoch beyond int64") << QByteArray("99999999999999999999") << "" << false << Micros(0)
                                            << "'99999999999999999999' is out of range for epoch seconds";
        QTest::addRow("not a time") << QByteArray("yesterday") << "" << false << Micros(0)
                                    << "'yesterday' is not a time; use ISO 8601 such as 2019-01-01T00:15:00Z";
        QTest::addRow("invalid date") << QByteArray("2019-02-30") << "" << false << Micros(0)
                                      << "'2019-02-30' is not a valid time (invalid date)";
        QTest::addRow("nonexistent")
            << QByteArray("2019-03-31 02:30") << "Europe/Berlin" << false << Micros(0)
            << "'2019-03-31 02:30' does not exist in Europe/Berlin (skipped by a daylight-saving change)";
        QTest::addRow("ambiguous")
            << QByteArray("2019-10-27 02:30") << "Europe/Berlin" << false << Micros(0)
            << "'2019-10-27 02:30' is ambiguous in Europe/Berlin (repeated by a daylight-saving change); add an "
               "offset";
    }
    void parseInstant()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, zone);
        QFETCH(bool, ok);
        QFETCH(Micros, utc);
        QFETCH(QString, error);
        std::string message;
        const std::optional<Micros> parsed
            = meterscope::timeutil::parseInstant(text.toStdString(), Zone::byName(zone.toStdString()), &message);
        QCOMPARE(parsed.has_value(), ok);
        if (ok)
            QCOMPARE(*parsed, utc);
        QCOMPARE(QString::fromStdString(message), error);
    }

    void offsetSecondsAt_data()
    {
        QTest::addColumn<Micros>("utc");
        QTest::addColumn<int>("offset");
        QTest::addRow("winter") << at(2019, 1, 1) << 3600;
        QTest::addRow("last winter second") << at(2019, 3, 31, 0, 59, 59) << 3600;
        QTest::addRow("first summer second") << at(2019, 3, 31, 1) << 7200;
        QTest::addRow("last summer second") << at(2019, 10, 27, 0, 59, 59) << 7200;
        QTest::addRow("first winter second") << at(2019, 10, 27, 1) << 3600;
        QTest::addRow("far past") << std::numeric_limits<Micros>::min() / 2 << 3208;
    }
    void offsetSecondsAt()
    {
        QFETCH(Micros, utc);
        QFETCH(int, offset);
        QCOMPARE(Zone::byName("Europe/Berlin").offsetSecondsAt(utc), offset);
    }
};

QTEST_GUILESS_MAIN(TestInstant)
#include "tst_instant.moc"
