#include "gui/command_line.h"

#include "client/command_line.h"
#include "client/connection_flags.h"
#include "time/instant.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace meterscope::app {

using client::instantOption;
using client::usageError;

std::optional<client::ConnectionOptions> serverToUse(const CommandLine &options,
                                                     const std::optional<client::ConnectionOptions> &remembered)
{
    if (options.server)
        return options.server;
    return options.dataDir.isEmpty() ? remembered : std::nullopt;
}

bool needsNoDisplay(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *flag : {"--export-png", "--help", "--help-all", "-h", "--version", "-v"}) {
            if (std::strcmp(argv[i], flag) == 0 || (std::strncmp(argv[i], "--export-png=", 13) == 0))
                return true;
        }
    }
    return false;
}

CommandLine parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Meterscope: meter readings as a chart and as JSON. Drop CSV files on "
                                            "the window to import them."));
    parser.addHelpOption();
    parser.addVersionOption();
    const client::ConnectionFlags connection("Connect to the Meterscope server at ADDR (HOST:PORT or unix:PATH) "
                                             "instead of the remembered one or the local server the app starts "
                                             "itself; the TLS and token options go with it.");
    connection.addTo(parser);
    const QCommandLineOption dataDir("data-dir",
                                     "Data folder of the local server (default: meterscoped's, "
                                     "~/.local/share/meterscope).",
                                     "DIR");
    const QCommandLineOption series("series", "Show this series (with --export-png: draw it).", "NAME");
    const QCommandLineOption timeZone("timezone",
                                      "Show times in ZONE (UTC, local or an IANA name such as Europe/Berlin); "
                                      "also the zone of --from/--to without an offset. Default: the remembered "
                                      "zone, for --from/--to UTC.",
                                      "ZONE");
    const QCommandLineOption exportPng("export-png",
                                       "Draw the chart of --series into the PNG FILE without opening a window, "
                                       "then exit.",
                                       "FILE");
    const QCommandLineOption size("size", "With --export-png: the picture's size (default 1200x700).", "WxH");
    const QCommandLineOption from("from", "With --export-png: start of the time range (ISO 8601 or epoch seconds).",
                                  "T");
    const QCommandLineOption to("to", "With --export-png: end of the time range (exclusive).", "T");
    parser.addOptions({dataDir, series, timeZone, exportPng, size, from, to});
    parser.addPositionalArgument("FILE", "CSV files, folders or http(s) URLs to import at start-up.", "[FILE...]");

    if (!parser.parse(arguments))
        usageError(parser.errorText());
    if (parser.isSet("help") || parser.isSet("help-all")) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        std::exit(0);
    }
    if (parser.isSet("version")) {
        std::printf("meterscope %s\n", METERSCOPE_VERSION);
        std::exit(0);
    }

    CommandLine options;
    options.dataDir = parser.value(dataDir);
    options.files = parser.positionalArguments();
    options.series = parser.value(series);
    options.exportPng = parser.value(exportPng);
    if (connection.hasServer(parser)) {
        try {
            options.server = connection.read(parser);
        } catch (const std::invalid_argument &e) {
            usageError(QString::fromStdString(e.what()));
        }
    } else if (connection.hasSecurity(parser)) {
        usageError("--token-file and the --tls options go with --server");
    }

    if (parser.isSet(timeZone)) {
        try {
            options.zone
                = parser.value(timeZone) == "local" ? DisplayZone::local() : DisplayZone::named(parser.value(timeZone));
        } catch (const std::invalid_argument &e) {
            usageError("--timezone: " + QString::fromStdString(e.what()));
        }
    }
    const timeutil::Zone zone = options.zone ? options.zone->zone() : timeutil::Zone();
    options.fromUs = instantOption(parser, "from", zone);
    options.toUs = instantOption(parser, "to", zone);
    if (parser.isSet(size)) {
        static const QRegularExpression kSize("^(\\d{2,5})x(\\d{2,5})$");
        const QRegularExpressionMatch match = kSize.match(parser.value(size));
        if (!match.hasMatch())
            usageError("--size needs WIDTHxHEIGHT such as 1200x700, not '" + parser.value(size) + "'");
        options.size = QSize(match.captured(1).toInt(), match.captured(2).toInt());
    }
    if (!options.exportPng.isEmpty()) {
        if (options.series.isEmpty())
            usageError("--export-png needs --series NAME");
        if (!options.files.isEmpty())
            usageError("--export-png draws a stored series; it imports no FILE");
    } else if (parser.isSet(size) || parser.isSet(from) || parser.isSet(to)) {
        usageError("--size, --from and --to go with --export-png");
    }
    if (options.fromUs && options.toUs && *options.fromUs >= *options.toUs)
        usageError("--from must come before --to");
    return options;
}

} // namespace meterscope::app
