#include "cli/series_commands.h"

#include "client/command_line.h"
#include "meterscope/v1/import_summary.h"
#include "time/duration.h"
#include "time/instant.h"
#include "json/json.h"

#include <cstdio>

namespace meterscope::cli {

using client::usageError;

namespace {

std::string isoOrDash(bool has, timeutil::Micros time)
{
    return has ? timeutil::formatIso(time) : "-";
}

void printSeries(const v1::Series &s)
{
    std::printf("%-24s %12lld  %-25s %-25s %-10s %s\n", s.name().c_str(), static_cast<long long>(s.points()),
                isoOrDash(s.has_first_time_us(), s.first_time_us()).c_str(),
                isoOrDash(s.has_last_time_us(), s.last_time_us()).c_str(), v1::kindName(s.kind()).c_str(),
                s.unit().c_str());
}

} // namespace

int seriesCommand(const GlobalOptions &globals, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Lists every series with its point count, time range and unit.");
    const QCommandLineOption json("json", "Print one JSON array.");
    parser.addOption(json);
    globals.addTo(parser);
    parseCommand(parser, arguments, "series");
    client::Client client(globals.read(parser));
    try {
        const std::vector<v1::Series> series = client.listSeries();
        if (parser.isSet(json)) {
            std::printf("%s\n", json::seriesToJson(series).c_str());
            return kExitOk;
        }
        std::printf("%-24s %12s  %-25s %-25s %-10s %s\n", "SERIES", "POINTS", "FIRST", "LAST", "KIND", "UNIT");
        for (const v1::Series &s : series)
            printSeries(s);
        return kExitOk;
    } catch (const client::ClientError &e) {
        return exitFor(e, "");
    }
}

int deleteCommand(const GlobalOptions &globals, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Deletes a series with all its points, or with --from/--to only its points in "
                                     "[from, to) (the series stays). Atomic; subscribers are told.");
    const QCommandLineOption series("series", "The series to delete from.", "NAME");
    const QCommandLineOption from("from", "Start (inclusive), e.g. 2019-01-01T00:00:00Z.", "T");
    const QCommandLineOption to("to", "End (exclusive).", "T");
    const QCommandLineOption timezone("timezone", "Zone of --from/--to without an offset (default UTC).", "ZONE",
                                      "UTC");
    parser.addOptions({series, from, to, timezone});
    globals.addTo(parser);
    parseCommand(parser, arguments, "delete");
    if (!parser.isSet(series))
        usageError("delete needs --series NAME");
    const timeutil::Zone zone = zoneOption(parser, "timezone");
    v1::DeleteSeriesRequest request;
    request.set_series(parser.value(series).toStdString());
    client::rangeOptions(parser, zone, request);
    client::Client client(globals.read(parser));
    try {
        const v1::DeleteSeriesResponse done = client.deleteSeries(request);
        std::printf("deleted %lld points of '%s'%s\n", static_cast<long long>(done.points_deleted()),
                    request.series().c_str(), done.series_deleted() ? " and the series" : "");
        return kExitOk;
    } catch (const client::ClientError &e) {
        return exitFor(e, "");
    }
}

int updateCommand(const GlobalOptions &globals, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Renames a series or sets its unit or kind, and prints it as it is now.");
    const QCommandLineOption series("series", "The series to change.", "NAME");
    const QCommandLineOption rename("rename", "Its new name.", "NEW");
    const QCommandLineOption unit("unit", "Its unit (\"\" clears it).", "UNIT");
    const QCommandLineOption kind("kind",
                                  "What its readings are: interval (usage per interval), cumulative (a register) or "
                                  "instant (a level, averaged).",
                                  "KIND");
    const QCommandLineOption gapThreshold(
        "gap-threshold",
        "Readings at least this far apart are a gap (gaps), such as 45m or 2h; 0 for twice the cadence.", "DURATION");
    parser.addOptions({series, rename, unit, kind, gapThreshold});
    globals.addTo(parser);
    parseCommand(parser, arguments, "update");
    if (!parser.isSet(series))
        usageError("update needs --series NAME");
    if (!parser.isSet(rename) && !parser.isSet(unit) && !parser.isSet(kind) && !parser.isSet(gapThreshold))
        usageError("update needs --rename NEW, --unit UNIT, --kind KIND or --gap-threshold DURATION");
    v1::UpdateSeriesRequest request;
    request.set_series(parser.value(series).toStdString());
    if (parser.isSet(rename))
        request.set_rename(parser.value(rename).toStdString());
    if (parser.isSet(unit))
        request.set_unit(parser.value(unit).toStdString());
    if (parser.isSet(kind)) {
        const v1::SeriesKind value = v1::kindByName(parser.value(kind).toLower().toStdString());
        if (value == v1::SERIES_KIND_UNSPECIFIED)
            usageError("--kind: '" + parser.value(kind) + "' is not interval, cumulative or instant");
        request.set_kind(value);
    }
    if (parser.isSet(gapThreshold)) {
        const QString text = parser.value(gapThreshold).trimmed();
        const std::optional<std::chrono::seconds> duration = timeutil::parseDuration(text.toStdString());
        if (text != "0" && !duration)
            usageError("--gap-threshold: '" + text + "' is no duration such as 45m or 2h (or 0)");
        request.set_gap_threshold_us(duration ? duration->count() * timeutil::kMicrosPerSecond : 0);
    }
    client::Client client(globals.read(parser));
    try {
        printSeries(client.updateSeries(request));
        return kExitOk;
    } catch (const client::ClientError &e) {
        return exitFor(e, "");
    }
}

} // namespace meterscope::cli
