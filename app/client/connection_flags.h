#pragma once

#include "client/client.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace meterscope::client {

/// The command-line options that say where a server is and how to reach
/// it, shared by meterscope and meterscope-cli: --server, --token-file,
/// --tls, --tls-ca, --tls-cert and --tls-key.
class ConnectionFlags {
public:
    explicit ConnectionFlags(const QString &serverDescription = "Server address, HOST:PORT or unix:PATH.")
        : m_server("server", serverDescription, "ADDR")
    {
    }

    void addTo(QCommandLineParser &parser) const;

    /// Whether --server was given.
    bool hasServer(const QCommandLineParser &parser) const { return parser.isSet(m_server); }
    /// Whether any option but --server was given.
    bool hasSecurity(const QCommandLineParser &parser) const;

    /// `defaults` with what the options say: the address from --server,
    /// the first token of --token-file (the format of tokens::readTokenFile(),
    /// shared with the server), else $METERSCOPE_TOKEN, TLS from the
    /// rest. Throws std::invalid_argument with a sentence for the user
    /// (an unreadable token file, --tls-cert without --tls-key, an address
    /// without a port).
    ConnectionOptions read(const QCommandLineParser &parser, ConnectionOptions defaults = {}) const;

private:
    QCommandLineOption m_server;
    QCommandLineOption m_tokenFile{"token-file",
                                   "Send the (first) bearer token in FILE, the server's token-file format "
                                   "(default: $METERSCOPE_TOKEN).",
                                   "FILE"};
    QCommandLineOption m_tls{"tls", "Use TLS with the system's root certificates."};
    QCommandLineOption m_tlsCa{"tls-ca", "Use TLS, trusting this CA certificate.", "FILE"};
    QCommandLineOption m_tlsCert{"tls-cert", "Client certificate for TLS (with --tls-key).", "FILE"};
    QCommandLineOption m_tlsKey{"tls-key", "Client key for TLS.", "FILE"};
};

} // namespace meterscope::client
