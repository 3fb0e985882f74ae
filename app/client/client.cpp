#include "client/client.h"

#include "tokens/token_file.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

namespace meterscope::client {

namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;
constexpr int kMaxMessageBytes = 64 * 1024 * 1024;
// The server waits up to 20 s for an import of the id that is committing.
constexpr auto kOutcomeDeadline = std::chrono::seconds(30);
// Deleting millions of points (and their summary cells) takes a while.
constexpr auto kManageDeadline = std::chrono::minutes(10);

std::string readFile(const std::string &path, const char *what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ClientError(grpc::StatusCode::INVALID_ARGUMENT, std::string("cannot read the ") + what + " " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace

// Attaches a call's context to a Cancellation for the call's lifetime.
class CancellationScope {
public:
    CancellationScope(Cancellation *cancellation, grpc::ClientContext *context)
        : m_cancellation(cancellation)
    {
        if (!m_cancellation)
            return;
        std::lock_guard lock(m_cancellation->m_mutex);
        m_cancellation->m_context = context;
        if (m_cancellation->m_cancelled)
            context->TryCancel();
    }
    ~CancellationScope()
    {
        if (!m_cancellation)
            return;
        std::lock_guard lock(m_cancellation->m_mutex);
        m_cancellation->m_context = nullptr;
    }

private:
    Cancellation *m_cancellation;
};

void Cancellation::cancel()
{
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    if (m_context)
        m_context->TryCancel();
    m_cancelledChanged.notify_all();
}

bool Cancellation::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_cancelledChanged.wait_for(lock, timeout, [this] { return m_cancelled.load(); });
}

std::string newImportId()
{
    std::random_device device;
    std::mt19937_64 random((std::uint64_t(device()) << 32) ^ device());
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(random()),
                  static_cast<unsigned long long>(random()));
    return text;
}

std::string addressProblem(const std::string &address)
{
    if (address.rfind("unix:", 0) == 0)
        return address.size() > 5 ? std::string() : "unix: needs the path of a socket";
    const std::size_t colon = address.rfind(':');
    if (colon == std::string::npos)
        return "no port: write HOST:PORT or unix:PATH";
    const std::string host = address.substr(0, colon);
    const std::string port = address.substr(colon + 1);
    const bool digits = !port.empty() && port.size() <= 5
                        && std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535)
        return "the port must be a number from 1 to 65535";
    const auto isHostChar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
               || c == '_';
    };
    const bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']'
                           && host.find_first_not_of("0123456789abcdefABCDEF:.", 1) == host.size() - 1;
    if (!bracketed && (host.empty() || !std::all_of(host.begin(), host.end(), isHostChar)))
        return "the host must be a name or an address (IPv6 in brackets)";
    return {};
}

Client::Client(ConnectionOptions options)
    : m_options(std::move(options))
{
    if (!m_options.token.empty()) {
        try {
            tokens::checkToken(m_options.token, "the configured token");
        } catch (const tokens::TokenError &e) {
            m_tokenError = e.what();
        }
    }
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (m_options.tls || !m_options.tlsCaFile.empty() || !m_options.tlsCertFile.empty()) {
        grpc::SslCredentialsOptions ssl;
        if (!m_options.tlsCaFile.empty())
            ssl.pem_root_certs = readFile(m_options.tlsCaFile, "TLS CA file");
        if (!m_options.tlsCertFile.empty())
            ssl.pem_cert_chain = readFile(m_options.tlsCertFile, "TLS certificate");
        if (!m_options.tlsKeyFile.empty())
            ssl.pem_private_key = readFile(m_options.tlsKeyFile, "TLS key");
        credentials = grpc::SslCredentials(ssl);
    } else {
        credentials = grpc::InsecureChannelCredentials();
    }
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(kMaxMessageBytes);
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
    // Reconnect quickly after a server restart instead of backing off for minutes.
    arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    // Reads are safe to repeat: a call that meets a connection the server
    // just dropped (a restart) is tried again before anything came back.
    arguments.SetServiceConfigJSON(R"({"methodConfig": [{
        "name": [{"service": "meterscope.v1.MeterService", "method": "ListSeries"},
                 {"service": "meterscope.v1.MeterService", "method": "Query"},
                 {"service": "meterscope.v1.MeterService", "method": "GetImport"}],
        "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.2s", "maxBackoff": "2s", "backoffMultiplier": 2,
                        "retryableStatusCodes": ["UNAVAILABLE"]}}]})");
    m_channel = grpc::CreateCustomChannel(m_options.address, credentials, arguments);
    m_stub = v1::MeterService::NewStub(m_channel);
}

void Client::prepare(grpc::ClientContext &context, bool unary) const
{
    // gRPC aborts the process on a header value it cannot send.
    if (!m_tokenError.empty())
        throw ClientError(grpc::StatusCode::UNAUTHENTICATED, m_tokenError);
    if (!m_options.token.empty())
        context.AddMetadata("authorization", "Bearer " + m_options.token);
    if (unary)
        context.set_deadline(std::chrono::system_clock::now() + m_options.unaryDeadline);
}

ClientError Client::error(const grpc::Status &status) const
{
    const std::string &detail = status.error_message();
    switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
        return {status.error_code(),
                "cannot reach the Meterscope server at " + m_options.address + " (" + detail + ")"};
    case grpc::StatusCode::DEADLINE_EXCEEDED:
        return {status.error_code(), "the Meterscope server at " + m_options.address + " did not answer in time"};
    case grpc::StatusCode::UNAUTHENTICATED:
        return {status.error_code(),
                "the server at " + m_options.address + " refused our credentials (" + detail + "); check the token"};
    case grpc::StatusCode::UNIMPLEMENTED:
        // Without words: the server has no such method, it predates it.
        if (detail.empty())
            return {status.error_code(), "the Meterscope server at " + m_options.address
                                             + " does not offer this (it is older than this client; update "
                                               "meterscoped)"};
        return {status.error_code(), detail};
    default:
        return {status.error_code(), detail.empty() ? std::string("the call failed") : detail};
    }
}

Client::SeriesPage Client::listSeriesPage(const std::string &pageToken, std::uint32_t pageSize)
{
    grpc::ClientContext context;
    prepare(context, true);
    v1::ListSeriesRequest request;
    request.set_page_token(pageToken);
    request.set_page_size(pageSize);
    v1::ListSeriesResponse response;
    const grpc::Status status = m_stub->ListSeries(&context, request, &response);
    if (!status.ok())
        throw error(status);
    return {{response.series().begin(), response.series().end()}, response.next_page_token()};
}

std::vector<v1::Series> Client::listSeries()
{
    std::vector<v1::Series> all;
    std::string token;
    do {
        SeriesPage page = listSeriesPage(token);
        std::move(page.series.begin(), page.series.end(), std::back_inserter(all));
        token = std::move(page.nextPageToken);
    } while (!token.empty());
    return all;
}

std::optional<v1::ImportReport> Client::importOutcome(const std::string &importId)
{
    grpc::ClientContext context;
    prepare(context, false);
    context.set_deadline(std::chrono::system_clock::now() + kOutcomeDeadline);
    v1::GetImportRequest request;
    request.set_import_id(importId);
    v1::ImportReport report;
    const grpc::Status status = m_stub->GetImport(&context, request, &report);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND)
        return std::nullopt;
    if (!status.ok())
        throw error(status);
    return report;
}

v1::DeleteSeriesResponse Client::deleteSeries(const v1::DeleteSeriesRequest &request)
{
    grpc::ClientContext context;
    prepare(context, false);
    context.set_deadline(std::chrono::system_clock::now() + kManageDeadline);
    v1::DeleteSeriesResponse response;
    if (const grpc::Status status = m_stub->DeleteSeries(&context, request, &response); !status.ok())
        throw error(status);
    return response;
}

v1::Series Client::updateSeries(const v1::UpdateSeriesRequest &request)
{
    grpc::ClientContext context;
    prepare(context, true);
    v1::Series response;
    if (const grpc::Status status = m_stub->UpdateSeries(&context, request, &response); !status.ok())
        throw error(status);
    return response;
}

v1::ListGapsResponse Client::listGaps(const v1::ListGapsRequest &request)
{
    grpc::ClientContext context;
    // A scan of the series' points: not a unary call's deadline.
    prepare(context, false);
    v1::ListGapsResponse response;
    if (const grpc::Status status = m_stub->ListGaps(&context, request, &response); !status.ok())
        throw error(status);
    return response;
}

v1::ImportReport Client::importStream(std::istream &in, const std::string &fileName, std::uint64_t size,
                                      const ImportSettings &settings,
                                      const std::function<void(const ImportProgress &)> &progress,
                                      Cancellation *cancellation)
{
    grpc::ClientContext context;
    prepare(context, false);
    CancellationScope scope(cancellation, &context);
    auto stream = m_stub->Import(&context);

    v1::ImportRequest first;
    v1::ImportOptions *options = first.mutable_options();
    *options = settings.columnRoles;
    options->set_file_name(fileName);
    options->set_series(settings.series);
    options->set_timezone(settings.timezone);
    options->set_time_format(settings.timeFormat);
    options->set_delimiter(settings.delimiter);
    options->set_epoch_unit(settings.epochUnit);
    options->set_dry_run(settings.dryRun);
    options->set_sample_records(settings.sampleRecords);
    options->set_import_id(settings.importId.empty() ? newImportId() : settings.importId);
    options->set_size_hint(size);

    std::atomic<std::uint64_t> sent{0};
    std::string readError;
    // Uploading and reading the answers run side by side, or a server
    // waiting for us to read progress would stall the upload.
    std::thread uploader([&] {
        if (!stream->Write(first))
            return;
        v1::ImportRequest chunk;
        std::string *bytes = chunk.mutable_chunk();
        while (in) {
            bytes->resize(kChunkBytes);
            in.read(bytes->data(), std::streamsize(kChunkBytes));
            if (in.bad()) {
                readError = "cannot read " + fileName;
                context.TryCancel();
                return;
            }
            bytes->resize(std::size_t(in.gcount()));
            if (bytes->empty())
                break;
            if (!stream->Write(chunk))
                return;
            sent += bytes->size();
        }
        stream->WritesDone();
    });

    v1::ImportResponse response;
    std::optional<v1::ImportReport> report;
    while (stream->Read(&response)) {
        if (response.has_report()) {
            report = response.report();
        } else if (progress) {
            progress({sent.load(), size, response.progress()});
        }
    }
    uploader.join();
    const grpc::Status status = stream->Finish();
    if (!readError.empty())
        throw ClientError(grpc::StatusCode::INVALID_ARGUMENT, readError);
    finish(status, false, cancellation);
    if (!report)
        throw ClientError(grpc::StatusCode::INTERNAL, "the server ended the import without a report");
    return *report;
}

v1::ImportReport Client::importFile(const std::string &path, const ImportSettings &settings,
                                    const std::function<void(const ImportProgress &)> &progress,
                                    Cancellation *cancellation, const std::string &fileName)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw ClientError(grpc::StatusCode::INVALID_ARGUMENT, path + " is a folder, not a CSV file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ClientError(grpc::StatusCode::NOT_FOUND, "cannot read " + path + " (" + std::strerror(errno) + ")");
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    return importStream(in, fileName.empty() ? path : fileName, ec ? 0 : size, settings, progress, cancellation);
}

void Client::finish(const grpc::Status &status, bool stoppedByCaller, const Cancellation *cancellation) const
{
    if (status.ok() || stoppedByCaller)
        return;
    if (cancellation && cancellation->cancelled())
        throw ClientError(grpc::StatusCode::CANCELLED, "cancelled");
    throw error(status);
}

// Runs one server-streaming call to its end, or until `onMessage` says stop.
template<typename Response, typename Request, typename Start>
void Client::readStream(Start start, const Request &request, const std::function<bool(const Response &)> &onMessage,
                        Cancellation *cancellation)
{
    grpc::ClientContext context;
    prepare(context, false);
    CancellationScope scope(cancellation, &context);
    auto reader = ((*m_stub).*start)(&context, request);
    Response message;
    bool stopped = false;
    while (reader->Read(&message)) {
        if (!onMessage(message)) {
            stopped = true;
            context.TryCancel();
            break;
        }
    }
    finish(reader->Finish(), stopped, cancellation);
}

void Client::query(const v1::QueryRequest &request, const std::function<bool(const v1::PointBatch &)> &onBatch,
                   Cancellation *cancellation)
{
    readStream<v1::PointBatch>(&v1::MeterService::Stub::Query, request, onBatch, cancellation);
}

std::vector<v1::AggregateResponse> Client::aggregate(const v1::AggregateRequest &request, Cancellation *cancellation)
{
    std::vector<v1::AggregateResponse> answers;
    readStream<v1::AggregateResponse>(
        &v1::MeterService::Stub::Aggregate, request,
        [&](const v1::AggregateResponse &answer) {
            answers.push_back(answer);
            return true;
        },
        cancellation);
    return answers;
}

void Client::subscribe(const v1::SubscribeRequest &request,
                       const std::function<bool(const v1::SubscribeResponse &)> &onMessage, Cancellation *cancellation)
{
    readStream<v1::SubscribeResponse>(&v1::MeterService::Stub::Subscribe, request, onMessage, cancellation);
}

} // namespace meterscope::client
