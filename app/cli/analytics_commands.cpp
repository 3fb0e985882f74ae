#include "cli/analytics_commands.h"

#include "client/command_line.h"
#include "meterscope/v1/import_summary.h"
#include "time/calendar.h"
#include "time/instant.h"
#include "json/json.h"

#include <cmath>
#include <cstdio>

namespace meterscope::cli {

using client::usageError;

namespace {

std::string number(bool has, double value)
{
    if (!has)
        return "";
    std::string out;
    json::appendJsonNumber(out, value);
    return out;
}

std::string durationText(std::int64_t us)
{
    const std::int64_t seconds = us / 1'000'000;
    if (seconds > 0 && seconds % 86400 == 0)
        return std::to_string(seconds / 86400) + " d";
    if (seconds > 0 && seconds % 3600 == 0)
        return std::to_string(seconds / 3600) + " h";
    if (seconds > 0 && seconds % 60 == 0)
        return std::to_string(seconds / 60) + " min";
    return std::to_string(seconds) + " s";
}

std::string cadenceText(std::int64_t us)
{
    return us > 0 ? "every " + durationText(us) : "no cadence";
}

void printTable(const std::vector<v1::AggregateResponse> &answers, const timeutil::Zone &zone, bool cost)
{
    for (const v1::AggregateResponse &a : answers) {
        const v1::Series &s = a.series();
        std::printf("%s (%s%s%s, %s)\n", s.name().c_str(), v1::kindName(s.kind()).c_str(), s.unit().empty() ? "" : ", ",
                    s.unit().c_str(), cadenceText(a.cadence_us()).c_str());
        std::printf("  %-25s %14s %12s %12s %12s %7s %8s %6s%s\n", "START", "TOTAL", "MIN", "MAX", "MEAN", "COUNT",
                    "EXPECTED", "RESETS", cost ? "          COST" : "");
        for (const v1::TotalBucket &b : a.buckets()) {
            std::printf("  %-25s %14s %12s %12s %12s %7llu %8llu %6llu",
                        timeutil::formatIso(b.start_time_us(), zone).c_str(), number(b.has_total(), b.total()).c_str(),
                        number(b.has_min(), b.min()).c_str(), number(b.has_max(), b.max()).c_str(),
                        number(b.has_mean(), b.mean()).c_str(), static_cast<unsigned long long>(b.count()),
                        static_cast<unsigned long long>(b.expected()), static_cast<unsigned long long>(b.resets()));
            if (cost)
                std::printf(" %13s", number(b.has_cost(), b.cost()).c_str());
            std::printf("\n");
        }
    }
}

void printCsv(const std::vector<v1::AggregateResponse> &answers, const timeutil::Zone &zone)
{
    std::printf("series,start,end,total,min,max,mean,count,expected,resets,cost\n");
    for (const v1::AggregateResponse &a : answers) {
        std::string name;
        json::appendJsonString(name, a.series().name());
        for (const v1::TotalBucket &b : a.buckets()) {
            std::printf("%s,%s,%s,%s,%s,%s,%s,%llu,%llu,%llu,%s\n", name.c_str(),
                        timeutil::formatIso(b.start_time_us(), zone).c_str(),
                        timeutil::formatIso(b.end_time_us(), zone).c_str(), number(b.has_total(), b.total()).c_str(),
                        number(b.has_min(), b.min()).c_str(), number(b.has_max(), b.max()).c_str(),
                        number(b.has_mean(), b.mean()).c_str(), static_cast<unsigned long long>(b.count()),
                        static_cast<unsigned long long>(b.expected()), static_cast<unsigned long long>(b.resets()),
                        number(b.has_cost(), b.cost()).c_str());
        }
    }
}

} // namespace

int totalsCommand(const GlobalOptions &globals, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Prints the usage per hour, day, week, month or year of local time: the total (by the series' kind: the sum "
        "of interval readings, the rise of a register, the mean of an instant level), min, max, mean, the readings "
        "counted and expected, the register resets, and with --price the cost.");
    const QCommandLineOption series("series", "The series (repeat for several).", "NAME");
    const QCommandLineOption by("by", "The period of a bucket: hour, day, week, month or year.", "PERIOD");
    const QCommandLineOption from("from", "Start (inclusive), e.g. 2021-03-01.", "T");
    const QCommandLineOption to("to", "End (exclusive).", "T");
    const QCommandLineOption timezone("timezone", "Zone of the calendar and of --from/--to (default UTC).", "ZONE",
                                      "UTC");
    const QCommandLineOption price("price", "Price per unit: adds the cost of each bucket.", "P");
    const QCommandLineOption format("format", "table, csv or json (default table).", "FORMAT", "table");
    parser.addOptions({series, by, from, to, timezone, price, format});
    globals.addTo(parser);
    parseCommand(parser, arguments, "totals");
    if (!parser.isSet(series))
        usageError("totals needs --series NAME");
    if (!parser.isSet(by))
        usageError("totals needs --by hour|day|week|month|year");
    const std::optional<timeutil::Period> period = timeutil::periodByName(parser.value(by).toStdString());
    if (!period)
        usageError("--by: '" + parser.value(by) + "' is not hour, day, week, month or year");
    const QString shape = parser.value(format);
    if (shape != "table" && shape != "csv" && shape != "json")
        usageError("--format: '" + shape + "' is not table, csv or json");
    const timeutil::Zone zone = zoneOption(parser, "timezone");

    v1::AggregateRequest request;
    for (const QString &name : parser.values(series))
        request.add_series(name.toStdString());
    request.set_by(v1::Period(int(*period) + 1));
    request.set_timezone(zone.name());
    client::rangeOptions(parser, zone, request);
    if (parser.isSet(price)) {
        bool ok = false;
        const double value = parser.value(price).toDouble(&ok);
        if (!ok || !std::isfinite(value))
            usageError("--price: '" + parser.value(price) + "' is not a number");
        request.set_price(value);
    }
    client::Client client(globals.read(parser));
    try {
        const std::vector<v1::AggregateResponse> answers = client.aggregate(request);
        if (shape == "json")
            std::printf("%s\n", json::totalsToJson(answers, zone).c_str());
        else if (shape == "csv")
            printCsv(answers, zone);
        else
            printTable(answers, zone, request.has_price());
        return kExitOk;
    } catch (const client::ClientError &e) {
        return exitFor(e, "");
    }
}

int gapsCommand(const GlobalOptions &globals, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Prints where readings of a series are missing: its readings against those its cadence expects, and every "
        "pair of consecutive readings at least its gap threshold apart (update --gap-threshold; by default twice "
        "its cadence).");
    const QCommandLineOption series("series", "The series.", "NAME");
    const QCommandLineOption from("from", "Start (inclusive).", "T");
    const QCommandLineOption to("to", "End (exclusive).", "T");
    const QCommandLineOption timezone("timezone", "Zone of the times printed and of --from/--to (default UTC).", "ZONE",
                                      "UTC");
    const QCommandLineOption json("json", "Print one JSON object.");
    parser.addOptions({series, from, to, timezone, json});
    globals.addTo(parser);
    parseCommand(parser, arguments, "gaps");
    if (!parser.isSet(series))
        usageError("gaps needs --series NAME");
    const timeutil::Zone zone = zoneOption(parser, "timezone");
    v1::ListGapsRequest request;
    request.set_series(parser.value(series).toStdString());
    client::rangeOptions(parser, zone, request);
    client::Client client(globals.read(parser));
    try {
        const v1::ListGapsResponse answer = client.listGaps(request);
        if (parser.isSet(json)) {
            std::printf("%s\n", json::gapsToJson(answer, zone).c_str());
            return kExitOk;
        }
        const double share = answer.expected() ? 100.0 * double(answer.readings()) / double(answer.expected()) : 100.0;
        std::printf("%s: %llu of %llu readings (%.2f%%), %s; %d gap%s (threshold %s)%s\n", request.series().c_str(),
                    static_cast<unsigned long long>(answer.readings()),
                    static_cast<unsigned long long>(answer.expected()), share, cadenceText(answer.cadence_us()).c_str(),
                    answer.gaps_size(), answer.gaps_size() == 1 ? "" : "s", durationText(answer.threshold_us()).c_str(),
                    answer.truncated() ? ", the first 10,000" : "");
        for (const v1::Gap &gap : answer.gaps())
            std::printf("  %s  ->  %s  %llu missing\n", timeutil::formatIso(gap.last_before_us(), zone).c_str(),
                        timeutil::formatIso(gap.first_after_us(), zone).c_str(),
                        static_cast<unsigned long long>(gap.missing()));
        return kExitOk;
    } catch (const client::ClientError &e) {
        return exitFor(e, "");
    }
}

} // namespace meterscope::cli
