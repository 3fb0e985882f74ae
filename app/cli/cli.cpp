#include "cli/cli.h"

#include "cli/analytics_commands.h"
#include "cli/command.h"
#include "cli/import_flags.h"
#include "cli/progress_bar.h"
#include "cli/series_commands.h"
#include "client/client.h"
#include "client/command_line.h"
#include "client/connection_flags.h"
#include "client/export_format.h"
#include "client/follow.h"
#include "client/series_export.h"
#include "client/upload.h"
#include "meterscope/v1/import_summary.h"
#include "time/calendar.h"
#include "time/instant.h"
#include "json/json.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

namespace meterscope::cli {

using client::instantOption;
using client::usageError;

namespace {

const char *const kHelp = R"(Usage: meterscope-cli [global options] COMMAND [options]

Commands:
  import FILE...   upload CSV files of readings
  series           list the series with their point counts, time ranges and units
  delete           delete a series, or a time range of it
  update           rename a series or set its unit or kind
  export           write a series (or a time range of it) as CSV or JSON
  tail             print new points of a series as they arrive
  totals           usage per hour, day, week, month or year, with coverage and cost
  gaps             where readings of a series are missing

Global options (before or after the command):
  --server ADDR        server address, HOST:PORT or unix:PATH
                       (default $METERSCOPE_SERVER, else 127.0.0.1:50051)
  --local              the desktop app's own server, at
                       unix:$XDG_RUNTIME_DIR/meterscope-local.sock
  --token-file FILE    send the bearer token in FILE (default $METERSCOPE_TOKEN)
  --tls                use TLS with the system's root certificates
  --tls-ca FILE        use TLS, trusting this CA certificate
  --tls-cert FILE      client certificate for TLS (with --tls-key)
  --tls-key FILE       client key for TLS
  -h, --help           this help; COMMAND --help for a command's options
  -v, --version        print the version

Exit codes: 0 success; 1 some rows were rejected (the rest is stored);
2 usage error; 3 cannot reach or authenticate to the server; 4 the server
refused the request (an import stored nothing); 130 interrupted.
)";

void printSummary(const v1::ImportReport &report)
{
    std::printf("%s\n", v1::importSummary(report).c_str());
    for (const std::string &line : v1::layoutLines(report))
        std::printf("  %s\n", line.c_str());
    constexpr int kShown = 20;
    int shown = 0;
    std::uint64_t total = report.rows_rejected() + report.rows_missing() + report.warnings_total();
    for (const auto *issues : {&report.rejected(), &report.missing(), &report.warnings()}) {
        for (const v1::LineIssue &issue : *issues) {
            if (shown++ < kShown)
                std::printf("  line %llu: %s\n", static_cast<unsigned long long>(issue.line()), issue.reason().c_str());
        }
    }
    if (total > kShown)
        std::printf("  ... and %llu more (--json lists the first 1000 of each kind)\n",
                    static_cast<unsigned long long>(total - kShown));
}

int importCommand(const GlobalOptions &globals, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Uploads CSV files of readings; each file is imported whole or not at all.");
    parser.addPositionalArgument("FILE", "CSV files to import.", "FILE...");
    const ImportFlags flags;
    const QCommandLineOption dryRun("dry-run", "Parse and report exactly as an import would; store nothing.");
    const QCommandLineOption json("json", "Print one JSON report per file (JSON Lines).");
    flags.addTo(parser);
    parser.addOptions({dryRun, json});
    globals.addTo(parser);
    parseCommand(parser, arguments, "import");
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty())
        usageError("import needs at least one FILE");

    client::ImportSettings settings = flags.read(parser);
    settings.dryRun = parser.isSet(dryRun);
    if (!settings.timezone.empty())
        zoneOption(parser, "timezone");

    client::Client client(globals.read(parser));
    client::Cancellation cancellation;
    Interrupts interrupts(cancellation);
    int exitCode = kExitOk;
    for (const QString &file : files) {
        const std::string path = file.toStdString();
        ProgressBar bar(path);
        try {
            const client::Upload upload = client::uploadFile(
                client, path, {}, settings,
                [&](const client::ImportProgress &p) { bar.update(p.bytesSent, p.totalBytes, p.server.rows_read()); },
                &cancellation);
            bar.finish();
            const bool cancelled = upload.interruption && upload.interruption->code() == grpc::StatusCode::CANCELLED;
            if (upload.interruption)
                fail(path + ": " + (cancelled ? "import cancelled" : upload.interruption->what())
                     + ", but the server had already committed the import:");
            if (parser.isSet(json))
                std::printf("%s\n", json::reportToJson(upload.report).c_str());
            else
                printSummary(upload.report);
            std::fflush(stdout);
            if (upload.report.rows_rejected() > 0)
                exitCode = std::max<int>(exitCode, kExitRejected);
            if (cancelled)
                return kExitInterrupted;
        } catch (const client::ClientError &e) {
            bar.finish();
            const int code = exitFor(e, e.code() == grpc::StatusCode::CANCELLED ? path + ": import cancelled" : path);
            if (code == kExitUnreachable || code == kExitInterrupted)
                return code;
            exitCode = std::max(exitCode, code);
        }
    }
    return exitCode;
}

int exportCommand(const GlobalOptions &globals, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Writes a series as CSV (ISO 8601 times with their offset) or as JSON in the "
                                     "prototype's shape: {\"<time>\": value, ...}; with --by its totals, keyed by "
                                     "the start of each bucket.");
    const QCommandLineOption series("series", "The series to export.", "NAME");
    const QCommandLineOption from("from", "Start (inclusive), e.g. 2019-01-01T00:00:00Z.", "T");
    const QCommandLineOption to("to", "End (exclusive).", "T");
    const QCommandLineOption maxPoints("max-points", "Reduce to about 4*N points (M4) for a chart N pixels wide.", "N");
    const QCommandLineOption format("format", "csv or json (default: from -o's extension, else csv).", "FORMAT");
    const QCommandLineOption timezone("timezone",
                                      "Zone of the written times and of --from/--to without an offset "
                                      "(default UTC).",
                                      "ZONE", "UTC");
    const QCommandLineOption output(QStringList{"o", "output"}, "Write to FILE instead of standard output.", "FILE");
    const QCommandLineOption by("by",
                                "Write the series' totals per hour, day, week, month or year of local time in "
                                "--timezone instead of its points (see totals).",
                                "PERIOD");
    parser.addOptions({series, from, to, maxPoints, format, timezone, output, by});
    globals.addTo(parser);
    parseCommand(parser, arguments, "export");
    if (!parser.isSet(series))
        usageError("export needs --series NAME");
    const timeutil::Zone zone = zoneOption(parser, "timezone");

    client::ExportFormat exportFormat = client::ExportFormat::Csv;
    const QString formatName = parser.isSet(format)                                          ? parser.value(format)
                               : parser.value(output).endsWith(".json", Qt::CaseInsensitive) ? "json"
                                                                                             : "csv";
    if (formatName == "json")
        exportFormat = client::ExportFormat::Json;
    else if (formatName != "csv")
        usageError("--format must be csv or json");

    v1::QueryRequest request;
    request.set_series(parser.value(series).toStdString());
    client::rangeOptions(parser, zone, request);
    if (parser.isSet(maxPoints)) {
        bool ok = false;
        const uint n = parser.value(maxPoints).toUInt(&ok);
        if (!ok || n == 0)
            usageError("--max-points needs a positive number");
        request.set_max_points(n);
    }
    client::ExportSource source = request;
    if (parser.isSet(by)) {
        const std::optional<timeutil::Period> period = timeutil::periodByName(parser.value(by).toStdString());
        if (!period)
            usageError("--by: '" + parser.value(by) + "' is not hour, day, week, month or year");
        if (parser.isSet(maxPoints))
            usageError("--by and --max-points cannot go together");
        v1::AggregateRequest totals;
        totals.add_series(request.series());
        totals.set_by(v1::Period(int(*period) + 1));
        totals.set_timezone(zone.name());
        if (request.has_start_time_us())
            totals.set_start_time_us(request.start_time_us());
        if (request.has_end_time_us())
            totals.set_end_time_us(request.end_time_us());
        source = totals;
    }

    client::Client client(globals.read(parser));
    client::Cancellation cancellation;
    Interrupts interrupts(cancellation);
    try {
        if (parser.isSet(output)) {
            client::exportToFile(client, source, parser.value(output).toStdString(), exportFormat, zone, {},
                                 &cancellation);
            return kExitOk;
        }
        client::exportPoints(client, source, std::cout, exportFormat, zone, {}, &cancellation);
        if (!std::cout) {
            fail("cannot write to standard output");
            return kExitRefused;
        }
        return kExitOk;
    } catch (const client::ClientError &e) {
        return exitFor(e, "");
    }
}

// A range of points deleted from a followed series, said in the output.
void printRemoved(const std::string &name, const v1::TimeRange &range, const timeutil::Zone &zone, bool asJson)
{
    std::string line;
    if (asJson) {
        line = "{\"series\": ";
        json::appendJsonString(line, name);
        line += ", \"removed\": {\"from\": \"";
        timeutil::appendIso(line, range.start_time_us(), zone);
        line += "\", \"to\": \"";
        timeutil::appendIso(line, range.end_time_us(), zone);
        line += "\"}}\n";
    } else {
        line = "removed [";
        timeutil::appendIso(line, range.start_time_us(), zone);
        line += ", ";
        timeutil::appendIso(line, range.end_time_us(), zone);
        line += ")\n";
    }
    std::fwrite(line.data(), 1, line.size(), stdout);
}

int tailCommand(const GlobalOptions &globals, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Prints new points of a series as they are imported, until interrupted. "
                                     "After a lost connection it resumes after the last point printed.");
    const QCommandLineOption series("series", "The series to follow.", "NAME");
    const QCommandLineOption since("since", "Print stored points from T on first.", "T");
    const QCommandLineOption json("json", "One JSON object per point: {\"series\", \"time\", \"value\"}.");
    const QCommandLineOption timezone("timezone", "Zone of the printed times (default UTC).", "ZONE", "UTC");
    parser.addOptions({series, since, json, timezone});
    globals.addTo(parser);
    parseCommand(parser, arguments, "tail");
    if (!parser.isSet(series))
        usageError("tail needs --series NAME");
    const timeutil::Zone zone = zoneOption(parser, "timezone");
    std::string name = parser.value(series).toStdString();

    client::Client client(globals.read(parser));
    client::Cancellation cancellation;
    Interrupts interrupts(cancellation);
    std::string line;
    try {
        client::follow(
            client, name, instantOption(parser, "since", zone),
            [&](const v1::SubscribeResponse &message) {
                if (message.has_removed())
                    printRemoved(name, message.removed(), zone, parser.isSet(json));
                if (message.series_deleted())
                    fail("the series '" + name + "' was deleted");
                if (!message.renamed_to().empty()) {
                    fail("the series '" + name + "' was renamed to '" + message.renamed_to() + "'; following it");
                    name = message.renamed_to();
                }
                const v1::PointBatch &points = message.points();
                for (int i = 0; i < points.time_us_size(); ++i) {
                    line.clear();
                    if (parser.isSet(json)) {
                        line = "{\"series\": ";
                        json::appendJsonString(line, name);
                        line += ", \"time\": \"";
                        timeutil::appendIso(line, points.time_us(i), zone);
                        line += "\", \"value\": ";
                        json::appendJsonNumber(line, points.value(i));
                        line += "}\n";
                    } else {
                        timeutil::appendIso(line, points.time_us(i), zone);
                        line += ' ';
                        json::appendJsonNumber(line, points.value(i));
                        line += '\n';
                    }
                    std::fwrite(line.data(), 1, line.size(), stdout);
                }
                std::fflush(stdout);
                return true;
            },
            [](const client::ClientError &e) { fail(std::string(e.what()) + "; retrying"); }, cancellation);
    } catch (const client::ClientError &e) {
        return exitFor(e, "");
    }
    return kExitOk;
}

} // namespace

int run(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // Help texts name the program after argv[0].
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName("meterscope-cli");
    QCoreApplication::setApplicationVersion(METERSCOPE_VERSION);
    const sigset_t interrupts = interruptSignals();
    pthread_sigmask(SIG_BLOCK, &interrupts, nullptr);

    // Global options first; everything from the command on is the command's.
    const GlobalOptions globals;
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    globals.addTo(parser);
    parser.addVersionOption();
    if (!parser.parse(arguments))
        usageError(parser.errorText());
    if (parser.isSet("version")) {
        std::printf("meterscope-cli %s\n", METERSCOPE_VERSION);
        return kExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet("help") || positional.isEmpty()) {
        std::fputs(kHelp, parser.isSet("help") ? stdout : stderr);
        return parser.isSet("help") ? kExitOk : kExitUsage;
    }
    // The command's parser sees the global options given before it too.
    QStringList commandArguments = arguments.mid(0, arguments.size() - positional.size());
    commandArguments += positional.mid(1);
    const QString command = positional.first();
    if (command == "import")
        return importCommand(globals, commandArguments);
    if (command == "series")
        return seriesCommand(globals, commandArguments);
    if (command == "delete")
        return deleteCommand(globals, commandArguments);
    if (command == "update")
        return updateCommand(globals, commandArguments);
    if (command == "export")
        return exportCommand(globals, commandArguments);
    if (command == "tail")
        return tailCommand(globals, commandArguments);
    if (command == "totals")
        return totalsCommand(globals, commandArguments);
    if (command == "gaps")
        return gapsCommand(globals, commandArguments);
    usageError("unknown command '" + command + "'");
}

} // namespace meterscope::cli
