#include "http/http_server.h"

#include "logging/log.h"
#include "net/unix_socket.h"
#include "service/service_metrics.h"
#include "service/status.h"
#include "service/validation.h"
#include "tokens/token_file.h"
#include "json/json.h"

#include <httplib.h>

#include <charconv>
#include <functional>
#include <unistd.h>

namespace meterscope::http {

namespace {

// Threads answering requests; a streamed page keeps one busy until it ends.
constexpr std::size_t kThreads = 16;

int httpStatus(grpc::StatusCode code)
{
    switch (code) {
    case grpc::StatusCode::OK:
        return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::FAILED_PRECONDITION:
        return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
        return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
        return 403;
    case grpc::StatusCode::NOT_FOUND:
        return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
        return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
        return 429;
    case grpc::StatusCode::CANCELLED:
        return 499;
    case grpc::StatusCode::UNIMPLEMENTED:
        return 501;
    case grpc::StatusCode::UNAVAILABLE:
        return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
        return 504;
    default:
        return 500;
    }
}

const char *codeName(grpc::StatusCode code)
{
    static constexpr const char *kNames[]
        = {"OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
           "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
           "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
           "DATA_LOSS", "UNAUTHENTICATED"};
    const auto index = std::size_t(code);
    return index < std::size(kNames) ? kNames[index] : "UNKNOWN";
}

// {"error": {"status": 404, "code": "NOT_FOUND", "message": "..."}}
void fail(httplib::Response &response, const grpc::Status &status)
{
    response.status = httpStatus(status.error_code());
    std::string body = "{\"error\": {\"status\": " + std::to_string(response.status) + ", \"code\": ";
    json::appendJsonString(body, codeName(status.error_code()));
    body += ", \"message\": ";
    json::appendJsonString(body, status.error_message());
    body += "}}\n";
    response.set_content(body, "application/json");
    if (response.status == 401)
        response.set_header("WWW-Authenticate", "Bearer");
}

// cpp-httplib 0.11 binds TCP only; a socket of ours (a Unix one) is handed
// to it as its listening socket, which it then accepts on as on any other.
template<typename Base>
class Listener : public Base {
public:
    using Base::Base;
    void adopt(int fd) { this->svr_sock_ = fd; }
};

template<typename Base, typename... Arguments>
std::unique_ptr<httplib::Server> makeServer(std::function<void(int)> &adopt, Arguments... arguments)
{
    auto server = std::make_unique<Listener<Base>>(arguments...);
    adopt = [raw = server.get()](int fd) { raw->adopt(fd); };
    return server;
}

// HOST:PORT, [IPv6]:PORT.
std::pair<std::string, int> hostAndPort(const std::string &listen)
{
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw HttpError("--http-listen needs HOST:PORT, not '" + listen + "'");
    std::string host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string port = listen.substr(colon + 1);
    int number = -1;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (error != std::errc() || end != port.data() + port.size() || number < 0 || number > 65535)
        throw HttpError("--http-listen needs a port from 0 to 65535, not '" + port + "'");
    return {host, number};
}

} // namespace

HttpServer::HttpServer(Options options, Sources sources)
    : m_options(std::move(options))
    , m_sources(std::move(sources))
{
    const bool tls = !m_options.tlsCert.empty();
    std::function<void(int)> adopt;
    if (tls) {
        m_server
            = makeServer<httplib::SSLServer>(adopt, m_options.tlsCert.c_str(), m_options.tlsKey.c_str(),
                                             m_options.tlsClientCa.empty() ? nullptr : m_options.tlsClientCa.c_str());
        if (!m_server->is_valid())
            throw HttpError("cannot serve HTTPS with --tls-cert " + m_options.tlsCert + " and --tls-key "
                            + m_options.tlsKey + ": OpenSSL refused them");
    } else {
        m_server = makeServer<httplib::Server>(adopt);
    }
    m_server->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    m_server->set_write_timeout(m_options.writeTimeout);
    admitCalls();
    addPages(*m_server, m_sources);
    m_server->set_exception_handler(
        [](const httplib::Request &request, httplib::Response &response, std::exception_ptr error) {
            fail(response, service::toStatus(error, request.path.c_str()));
        });
    m_server->set_error_handler([](const httplib::Request &request, httplib::Response &response) {
        if (response.body.empty() && response.status == 404)
            fail(response, grpc::Status(grpc::StatusCode::NOT_FOUND,
                                        "no page at " + service::quoted(request.path)
                                            + "; see /meterusage/, /api/v1/series, /metrics, /healthz"));
    });
    m_server->set_logger([](const httplib::Request &, const httplib::Response &response) {
        service::serviceMetrics().countHttpResponse(response.status);
    });

    if (m_options.listen.rfind("unix:", 0) == 0) {
        m_socketPath = m_options.listen.substr(5);
        try {
            adopt(net::listenUnix(m_socketPath));
        } catch (const net::SocketError &e) {
            throw HttpError(e.what());
        }
        m_url = m_options.listen;
    } else {
        const auto [host, port] = hostAndPort(m_options.listen);
        const int bound
            = port == 0 ? m_server->bind_to_any_port(host) : (m_server->bind_to_port(host, port) ? port : -1);
        if (bound <= 0)
            throw HttpError("cannot serve HTTP on " + m_options.listen
                            + ": the address is in use or not available here; choose another --http-listen");
        m_url = std::string(tls ? "https://" : "http://")
                + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(bound);
    }
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
}

HttpServer::~HttpServer()
{
    m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
    if (!m_socketPath.empty())
        ::unlink(m_socketPath.c_str());
}

void HttpServer::admitCalls()
{
    if (!m_options.tokens)
        return;
    m_server->set_pre_routing_handler([this](const httplib::Request &request, httplib::Response &response) {
        if (request.path == "/healthz" || (request.path == "/metrics" && m_options.openMetrics))
            return httplib::Server::HandlerResponse::Unhandled;
        const std::string header = request.get_header_value("Authorization");
        const grpc::Status status = m_options.tokens->check(
            request.has_header("Authorization") ? std::optional<std::string_view>(header) : std::nullopt);
        if (status.ok())
            return httplib::Server::HandlerResponse::Unhandled;
        fail(response, status);
        return httplib::Server::HandlerResponse::Handled;
    });
}

} // namespace meterscope::http
