#include "daemon/daemon.h"

#include "daemon/health.h"
#include "daemon/systemd_notify.h"

#include "http/http_server.h"
#include "net/unix_socket.h"

#include "logging/log.h"
#include "meterscope/v1/import_summary.h"
#include "service/auth.h"
#include "service/import_job.h"
#include "service/legacy_service.h"
#include "service/meter_service.h"
#include "service/status.h"
#include "service/watchdog.h"
#include "storage/change_feed.h"
#include "storage/compressor.h"
#include "storage/database.h"
#include "storage/embedded_cluster.h"
#include "storage/errors.h"
#include "time/zone.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace meterscope::daemon {

namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(5);
// Far above what any call sends (import chunks are 256 KiB, point batches
// about 512 KiB), far below what could hurt the server.
constexpr int kMaxMessageBytes = 16 * 1024 * 1024;

// Thrown for start-up problems; the message is the one line the user sees.
class StartupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

void importAtStartup(storage::Database &db, const std::string &path, const v1::ImportOptions &columnRoles,
                     const service::ImportLimits &settings)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw StartupError("cannot read --import " + path + ": " + std::strerror(errno));
    v1::ImportOptions options = columnRoles;
    options.set_file_name(path);
    service::checkImportOptions(options);
    service::ImportJob job(db, options, settings);
    std::string buffer(1 << 20, '\0');
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        if (in.bad())
            throw StartupError("cannot read --import " + path + ": " + std::strerror(errno));
        if (in.gcount() > 0)
            job.feed(std::string_view(buffer.data(), std::size_t(in.gcount())));
    }
    const v1::ImportReport report = job.finish();
    MS_LOG(Info) << v1::importSummary(report);
    for (const std::string &line : v1::layoutLines(report))
        MS_LOG(Info) << path << ": " << line;
    int shown = 0;
    for (const auto *list : {&report.rejected(), &report.missing(), &report.warnings()}) {
        for (const v1::LineIssue &issue : *list) {
            if (shown++ < 20)
                MS_LOG(Info) << path << ":" << issue.line() << ": " << issue.reason();
        }
    }
}

std::string readPem(const std::string &path, const char *flag)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw StartupError(std::string("cannot read ") + flag + " " + path + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool isLoopback(const std::string &listen)
{
    if (listen.rfind("unix:", 0) == 0)
        return true;
    std::string host = listen.substr(0, listen.rfind(':'));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// How calls are let in: TLS or not, and who checks tokens.
struct Transport {
    std::shared_ptr<grpc::ServerCredentials> credentials;
    std::shared_ptr<service::TokenStore> tokens;
    // Plaintext beyond loopback (--allow-insecure): gRPC cannot run an auth
    // processor there, so every handler checks the token itself.
    bool handlersCheckTokens = false;
};

// Tokens over plaintext beyond loopback only with --allow-insecure.
void checkPlaintextTokens(const Options &options, const std::string &listen, const char *flag)
{
    if (!options.tokenFile.empty() && options.tlsCert.empty() && !isLoopback(listen) && !options.allowInsecure)
        throw StartupError("refusing to accept tokens over plaintext on " + listen
                           + ", where anyone on the network could read them; add --tls-cert and --tls-key, "
                             "use a loopback address for "
                           + flag + ", or pass --allow-insecure");
}

Transport makeTransport(const Options &options)
{
    Transport transport;
    if (!options.tokenFile.empty()) {
        try {
            transport.tokens = std::make_shared<service::TokenStore>(options.tokenFile);
        } catch (const std::runtime_error &e) {
            throw StartupError(std::string(e.what()) + "; check --token-file");
        }
    }
    if (!options.tlsCert.empty()) {
        grpc::SslServerCredentialsOptions ssl(options.tlsClientCa.empty()
                                                  ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                                  : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
        ssl.pem_key_cert_pairs.push_back(
            {readPem(options.tlsKey, "--tls-key"), readPem(options.tlsCert, "--tls-cert")});
        if (!options.tlsClientCa.empty())
            ssl.pem_root_certs = readPem(options.tlsClientCa, "--tls-client-ca");
        transport.credentials = grpc::SslServerCredentials(ssl);
    } else if (transport.tokens && isLoopback(options.listen)) {
        // Still plaintext, but of a kind that can check tokens before any
        // handler runs; it accepts local peers only.
        transport.credentials
            = grpc::experimental::LocalServerCredentials(options.listen.rfind("unix:", 0) == 0 ? UDS : LOCAL_TCP);
    } else if (transport.tokens) {
        checkPlaintextTokens(options, options.listen, "--listen");
        MS_LOG(Warning) << "tokens travel unencrypted on " << options.listen << " (--allow-insecure)";
        transport.credentials = grpc::InsecureServerCredentials();
        transport.handlersCheckTokens = true;
    } else {
        transport.credentials = grpc::InsecureServerCredentials();
    }
    if (transport.tokens && !transport.handlersCheckTokens)
        transport.credentials->SetAuthMetadataProcessor(
            std::make_shared<service::TokenAuthProcessor>(transport.tokens));
    return transport;
}

std::unique_ptr<grpc::Server> startServer(const Options &options, const Transport &transport,
                                          std::vector<grpc::Service *> services, std::string &address)
{
    const bool unix = options.listen.rfind("unix:", 0) == 0;
    // gRPC replaces an existing Unix socket file without asking.
    if (unix) {
        try {
            net::checkUnixSocketFree(options.listen.substr(5));
        } catch (const net::SocketError &e) {
            throw StartupError(e.what());
        }
    }

    grpc::EnableDefaultHealthCheckService(true);
    // Reflection answers without a token; where no processor guards the
    // transport, it stays off.
    if (!transport.handlersCheckTokens)
        grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    // On by default in gRPC: a second server would silently share the port.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
    builder.SetMaxSendMessageSize(kMaxMessageBytes);
    // gRPC 1.51 inflates a compressed message before it checks the receive
    // limit: one small gzip bomb would take gigabytes. No client of ours
    // compresses, so a call that says it does is refused (UNIMPLEMENTED)
    // when its headers arrive, and without the decompression filter no
    // message that slips past is inflated either (#20).
    builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_DEFLATE, false);
    builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
    builder.AddChannelArgument(GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION, 0);
    // Find dead peers (a killed client, a dropped network) within a minute,
    // and let clients ping as often as every 10 s.
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
    int port = 0;
    builder.AddListeningPort(options.listen, transport.credentials, &port);
    for (grpc::Service *service : services)
        builder.RegisterService(service);
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (!server || (!unix && port == 0))
        throw StartupError("cannot listen on " + options.listen
                           + ": the address is in use or not available here; choose another --listen");
    address = options.listen;
    if (!unix)
        address = options.listen.substr(0, options.listen.rfind(':') + 1) + std::to_string(port);
    server->GetHealthCheckService()->SetServingStatus(true);
    return server;
}

int serve(const Options &options, const sigset_t &signals)
{
    const Transport transport = makeTransport(options);
    std::unique_ptr<storage::EmbeddedCluster> cluster;
    std::string conninfo = options.database;
    if (conninfo.empty()) {
        cluster = std::make_unique<storage::EmbeddedCluster>(
            storage::EmbeddedCluster::Options{options.dataDir, options.clusterUser, {}, true});
        cluster->start();
        conninfo = cluster->connectionString();
        MS_LOG(Info) << "embedded PostgreSQL running in " << cluster->pgdata().string() << " (pid " << cluster->pid()
                     << ")";
    }
    storage::Database::Options databaseOptions{conninfo};
    if (options.storage == "postgres")
        databaseOptions.storage = storage::Database::Storage::Postgres;
    else if (options.storage == "timescaledb")
        databaseOptions.storage = storage::Database::Storage::Timescaledb;
    databaseOptions.compressAfter = options.compressAfter;
    storage::Database db(databaseOptions);
    db.open();
    std::unique_ptr<storage::Compressor> compressor;
    if (db.compression()) {
        compressor = std::make_unique<storage::Compressor>(db, options.compressAfter);
        compressor->start();
    }

    service::ImportLimits settings;
    settings.defaultTimeZone = options.timezone;
    settings.maxImportBytes = options.maxImportBytes;
    settings.maxConcurrentImports = options.maxConcurrentImports;
    for (const std::string &file : options.imports)
        importAtStartup(db, file, options.importColumnRoles, settings);

    storage::ChangeFeed feed(db, options.maxSubscriberLag);
    feed.start();
    service::Watchdog watchdog(options.idleTimeout);
    const service::CallGuard guard{transport.handlersCheckTokens ? transport.tokens.get() : nullptr, &watchdog};
    service::MeterService meterService(db, feed, settings, guard);
    service::LegacyService legacyService(db, guard);
    std::string address;
    std::unique_ptr<grpc::Server> server = startServer(options, transport, {&meterService, &legacyService}, address);
    auto health = std::make_unique<HealthMonitor>(db, *server->GetHealthCheckService());
    std::unique_ptr<http::HttpServer> web;
    if (!options.httpListen.empty()) {
        checkPlaintextTokens(options, options.httpListen, "--http-listen");
        // A client that takes nothing is let go as gRPC's are (--idle-timeout).
        const std::chrono::seconds writeTimeout = options.idleTimeout.count() > 0
                                                      ? std::chrono::ceil<std::chrono::seconds>(options.idleTimeout)
                                                      : std::chrono::hours(24);
        try {
            web = std::make_unique<http::HttpServer>(
                http::HttpServer::Options{options.httpListen, options.tlsCert, options.tlsKey, options.tlsClientCa,
                                          transport.tokens, isLoopback(options.httpListen), writeTimeout},
                http::Sources{db, feed, [&health] { return health->serving(); }});
        } catch (const http::HttpError &e) {
            throw StartupError(e.what());
        }
        logging::write(logging::Level::Info, "meterscoped serving HTTP on " + web->url());
    }
    // Written whatever the log level: clients and scripts wait for it.
    logging::write(logging::Level::Info, "meterscoped listening on " + address);
    notifySystemd("READY=1\nSTATUS=listening on " + address);

    for (;;) {
        const timespec tick{1, 0};
        siginfo_t info;
        const int signal = ::sigtimedwait(&signals, &info, &tick);
        if (signal == SIGINT || signal == SIGTERM) {
            MS_LOG(Info) << "received " << ::strsignal(signal) << "; shutting down";
            notifySystemd("STOPPING=1");
            break;
        }
        if (signal == SIGHUP && transport.tokens) {
            try {
                transport.tokens->reload();
                MS_LOG(Info) << "reloaded " << transport.tokens->size() << " token(s) from "
                             << transport.tokens->path();
            } catch (const std::runtime_error &e) {
                MS_LOG(Warning) << e.what() << "; keeping the tokens loaded before";
            }
        }
        if (cluster && !cluster->running()) {
            MS_LOG(Error) << "the embedded PostgreSQL stopped unexpectedly; restarting it";
            db.dropIdle();
            cluster->start();
            MS_LOG(Info) << "embedded PostgreSQL running again (pid " << cluster->pid() << ")";
        }
    }
    // Subscriptions never end by themselves: end them now, then running
    // calls get a grace period and are cancelled after it.
    web.reset();
    health.reset();
    server->GetHealthCheckService()->SetServingStatus(false);
    feed.close();
    {
        // A call busy in the database (a merge of millions of rows) would
        // outlast the grace period: cancel its statement when it ends.
        std::mutex mutex;
        std::condition_variable stopped;
        bool done = false;
        std::thread watchdog([&] {
            std::unique_lock lock(mutex);
            if (!stopped.wait_for(lock, kShutdownGrace, [&] { return done; })) {
                MS_LOG(Warning) << "calls still running after " << kShutdownGrace.count()
                                << " s; cancelling their database statements";
                db.cancelRunning();
            }
        });
        server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
        server->Wait();
        {
            std::lock_guard lock(mutex);
            done = true;
        }
        stopped.notify_one();
        watchdog.join();
    }
    compressor.reset();
    db.dropIdle();
    if (cluster)
        cluster->stop();
    MS_LOG(Info) << "meterscoped stopped";
    return 0;
}

} // namespace

int run(const Options &options)
{
    logging::Level level;
    if (!logging::parseLevel(options.logLevel, level)) {
        std::fprintf(stderr, "meterscoped: unknown --log-level '%s'; use debug, info, warning or error\n",
                     options.logLevel.c_str());
        return 2;
    }
    logging::setLevel(level);
    try {
        timeutil::Zone::byName(options.timezone);
    } catch (const std::invalid_argument &e) {
        std::fprintf(stderr, "meterscoped: --timezone: %s\n", e.what());
        return 2;
    }

    // Signals are taken synchronously by the main thread; every thread
    // started from here on inherits the mask.
    sigset_t signals;
    sigemptyset(&signals);
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        sigaddset(&signals, sig);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    try {
        return serve(options, signals);
    } catch (const StartupError &e) {
        MS_LOG(Error) << e.what();
    } catch (const storage::ClusterError &e) {
        MS_LOG(Error) << e.what();
    } catch (const storage::Unavailable &e) {
        MS_LOG(Error) << e.what();
    } catch (...) {
        // Start-up imports fail with the same words an Import call would get.
        const grpc::Status status = service::toStatus(std::current_exception(), "start-up");
        MS_LOG(Error) << status.error_message();
    }
    return 1;
}

} // namespace meterscope::daemon
