#include "daemon/options.h"

#include "import_flags/column_role_flags.h"
#include "time/duration.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace meterscope::daemon {

std::filesystem::path defaultDataDir()
{
    if (::geteuid() == 0)
        return "/var/lib/meterscope";
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/')
        return std::filesystem::path(xdg) / "meterscope";
    const char *home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".local/share/meterscope";
}

namespace {

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "meterscoped: %s (see meterscoped --help)\n", qPrintable(message));
    std::exit(2);
}

std::uint64_t parseSize(const QString &text)
{
    static const std::pair<const char *, std::uint64_t> kUnits[]
        = {{"K", 1ull << 10}, {"M", 1ull << 20}, {"G", 1ull << 30}, {"T", 1ull << 40}};
    QString number = text.trimmed().toUpper();
    if (number.endsWith('B'))
        number.chop(1);
    std::uint64_t unit = 1;
    for (const auto &[suffix, factor] : kUnits) {
        if (number.endsWith(QLatin1String(suffix))) {
            number.chop(1);
            unit = factor;
        }
    }
    bool ok = false;
    const qulonglong value = number.toULongLong(&ok);
    if (!ok)
        usageError("--max-import-size needs a size such as 500M or 2G, not '" + text + "'");
    return value * unit;
}

std::chrono::seconds parseDuration(const QString &text)
{
    const std::optional<std::chrono::seconds> duration = timeutil::parseDuration(text.toStdString());
    if (!duration)
        usageError("--compress-after needs a duration such as 30d, 2w or 12h, not '" + text + "'");
    return *duration;
}

} // namespace

Options parseCommandLine(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // Only while parsing: help texts name the program after argv[0].
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName("meterscoped");
    QCoreApplication::setApplicationVersion(METERSCOPE_VERSION);

    Options options;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Meterscope server: imports CSV meter readings into PostgreSQL and streams them over gRPC.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen("listen",
                                    "Address to serve gRPC on: HOST:PORT (port 0 picks a free one) or "
                                    "unix:PATH. Default: 127.0.0.1:50051.",
                                    "ADDR", QString::fromStdString(options.listen));
    const QCommandLineOption dataDir("data-dir",
                                     "Folder of the embedded PostgreSQL cluster, used when --database is not "
                                     "given; created on first start. Default: "
                                         + QString::fromStdString(defaultDataDir().string()) + ".",
                                     "DIR");
    const QCommandLineOption database("database",
                                      "Use this external PostgreSQL (libpq URI or key=value string, e.g. "
                                      "postgresql://user@host:5432/meters) instead of the embedded cluster; the "
                                      "schema is created if missing.",
                                      "URL");
    const QCommandLineOption storage("storage",
                                     "How points are kept: auto (a TimescaleDB hypertable when TimescaleDB is "
                                     "usable, else plain PostgreSQL), postgres (never creates the extension) or "
                                     "timescaledb (refuses to start without it). Default: auto.",
                                     "MODE", "auto");
    const QCommandLineOption compressAfter("compress-after",
                                           "On a TimescaleDB hypertable: compress the points of chunks older than "
                                           "this (e.g. 30d, 12h), checked at start and hourly. Default: off.",
                                           "DURATION");
    const QCommandLineOption import("import",
                                    "Import this CSV file at start-up, before serving (repeatable). Importing "
                                    "the same rows again changes nothing.",
                                    "FILE");
    const importflags::ColumnRoleFlags columnRoles("For --import: ");
    const QCommandLineOption timezone("timezone",
                                      "Zone for timestamps written without an offset, as an IANA name. Default: "
                                      "UTC.",
                                      "ZONE", "UTC");
    const QCommandLineOption logLevel("log-level", "debug, info, warning or error. Default: info.", "LEVEL", "info");
    const QCommandLineOption maxImport("max-import-size",
                                       "Refuse uploads larger than this (e.g. 500M, 2G). Default: unlimited.", "SIZE");
    const QCommandLineOption clusterUser("cluster-user",
                                         "When run as root: the unprivileged account the embedded PostgreSQL "
                                         "runs as. Default: meterscope, else postgres.",
                                         "USER");
    const QCommandLineOption subscriberLag("max-subscriber-lag",
                                           "End a Subscribe stream with RESOURCE_EXHAUSTED once its client falls "
                                           "this many changes behind. Default: 1024.",
                                           "N", "1024");
    const QCommandLineOption concurrentImports("max-concurrent-imports",
                                               "Imports running at once; more are refused with RESOURCE_EXHAUSTED. "
                                               "Default: 8.",
                                               "N", "8");
    const QCommandLineOption idleTimeout("idle-timeout",
                                         "End a call with RESOURCE_EXHAUSTED when its client sends nothing (an "
                                         "import) or takes nothing (a stream) for this many seconds; 0 = never. "
                                         "Default: 60.",
                                         "SECONDS", "60");
    const QCommandLineOption tlsCert("tls-cert", "Serve TLS with this certificate (PEM; with --tls-key).", "FILE");
    const QCommandLineOption tlsKey("tls-key", "Private key of --tls-cert (PEM).", "FILE");
    const QCommandLineOption tlsClientCa(
        "tls-client-ca", "Require client certificates signed by this CA (PEM; needs --tls-cert).", "FILE");
    const QCommandLineOption tokenFile("token-file",
                                       "Accept only calls carrying 'authorization: Bearer <token>' with a token "
                                       "from FILE (one per line, # comments; re-read on SIGHUP). Health checks "
                                       "need none.",
                                       "FILE");
    const QCommandLineOption allowInsecure("allow-insecure",
                                           "Allow --token-file over plaintext on a non-loopback address (tokens "
                                           "then travel unencrypted).");
    const QCommandLineOption httpListen(
        "http-listen",
        "Also serve HTTP on HOST:PORT or unix:PATH (off by default): the prototype's JSON page "
        "/meterusage/, /api/v1/series, /api/v1/series/NAME/points, /metrics "
        "(Prometheus) and /healthz, with the same TLS and tokens as gRPC.",
        "ADDR");
    parser.addOptions({listen, dataDir, database, storage, compressAfter, import, timezone, logLevel, maxImport,
                       clusterUser, subscriberLag, concurrentImports, idleTimeout, tlsCert, tlsKey, tlsClientCa,
                       tokenFile, allowInsecure, httpListen});
    columnRoles.addTo(parser);

    if (!parser.parse(arguments))
        usageError(parser.errorText());
    if (parser.isSet("help")) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        std::exit(0);
    }
    if (parser.isSet("version")) {
        std::printf("meterscoped %s\n", METERSCOPE_VERSION);
        std::exit(0);
    }
    if (!parser.positionalArguments().isEmpty())
        usageError("unexpected argument '" + parser.positionalArguments().first() + "'");

    options.listen = parser.value(listen).toStdString();
    if (options.listen.rfind("unix:", 0) != 0 && options.listen.find(':') == std::string::npos)
        usageError("--listen needs HOST:PORT or unix:PATH, not '" + parser.value(listen) + "'");
    options.dataDir
        = parser.isSet(dataDir) ? std::filesystem::path(parser.value(dataDir).toStdString()) : defaultDataDir();
    options.database = parser.value(database).toStdString();
    options.storage = parser.value(storage).toStdString();
    if (parser.isSet(compressAfter))
        options.compressAfter = parseDuration(parser.value(compressAfter));
    if (options.storage != "auto" && options.storage != "postgres" && options.storage != "timescaledb")
        usageError("--storage needs auto, postgres or timescaledb, not '" + parser.value(storage) + "'");
    for (const QString &file : parser.values(import))
        options.imports.push_back(file.toStdString());
    try {
        columnRoles.read(parser, options.importColumnRoles);
    } catch (const std::invalid_argument &e) {
        usageError(QString::fromStdString(e.what()));
    }
    options.timezone = parser.value(timezone).toStdString();
    options.logLevel = parser.value(logLevel).toStdString();
    if (parser.isSet(maxImport))
        options.maxImportBytes = parseSize(parser.value(maxImport));
    options.clusterUser = parser.value(clusterUser).toStdString();
    bool lagOk = false;
    options.maxSubscriberLag = parser.value(subscriberLag).toULongLong(&lagOk);
    if (!lagOk || options.maxSubscriberLag == 0)
        usageError("--max-subscriber-lag needs a positive number");
    bool importsOk = false;
    options.maxConcurrentImports = parser.value(concurrentImports).toInt(&importsOk);
    if (!importsOk || options.maxConcurrentImports <= 0)
        usageError("--max-concurrent-imports needs a positive number");
    bool idleOk = false;
    const double idle = parser.value(idleTimeout).toDouble(&idleOk);
    if (!idleOk || idle < 0 || idle > 86400)
        usageError("--idle-timeout needs a number of seconds from 0 to 86400");
    options.idleTimeout = std::chrono::milliseconds(std::int64_t(idle * 1000));
    options.tlsCert = parser.value(tlsCert).toStdString();
    options.tlsKey = parser.value(tlsKey).toStdString();
    options.tlsClientCa = parser.value(tlsClientCa).toStdString();
    options.tokenFile = parser.value(tokenFile).toStdString();
    options.allowInsecure = parser.isSet(allowInsecure);
    options.httpListen = parser.value(httpListen).toStdString();
    if (options.tlsCert.empty() != options.tlsKey.empty())
        usageError("--tls-cert and --tls-key go together");
    if (!options.tlsClientCa.empty() && options.tlsCert.empty())
        usageError("--tls-client-ca needs --tls-cert and --tls-key");
    if (parser.isSet(dataDir) && parser.isSet(database))
        usageError("--data-dir and --database exclude each other");
    return options;
}

} // namespace meterscope::daemon
