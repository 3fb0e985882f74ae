#pragma once

#include "http/pages.h"
#include "service/auth.h"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace meterscope::http {

/// A start-up problem of the HTTP server; the message is one sentence.
class HttpError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// meterscoped's HTTP server (--http-listen): the pages of addPages() on a
/// pool of threads of its own, beside gRPC in the same process.
class HttpServer {
public:
    struct Options {
        /// HOST:PORT (port 0 picks a free one; [::1]:PORT for IPv6) or
        /// unix:PATH.
        std::string listen;
        /// TLS, as for gRPC: a certificate and its key, and optionally the CA
        /// client certificates must be signed by.
        std::string tlsCert, tlsKey, tlsClientCa;
        /// When set, every page but /healthz needs `Authorization: Bearer
        /// <token>`, /metrics too unless `openMetrics`.
        std::shared_ptr<service::TokenStore> tokens;
        bool openMetrics = false;
        /// How long a write may wait on a client that does not read.
        std::chrono::seconds writeTimeout{60};
    };

    /// Binds and starts serving. Throws HttpError naming the address.
    HttpServer(Options options, Sources sources);
    /// Stops serving; answers in flight are cut short.
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    /// Where it listens, e.g. "http://127.0.0.1:8080" or "unix:/run/x.sock".
    const std::string &url() const { return m_url; }

private:
    void admitCalls();

    Options m_options;
    Sources m_sources;
    std::unique_ptr<httplib::Server> m_server;
    std::string m_url;
    std::string m_socketPath;
    std::thread m_thread;
};

} // namespace meterscope::http
