#include "client/connection_flags.h"

#include "tokens/token_file.h"

#include <stdexcept>

namespace meterscope::client {

void ConnectionFlags::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({m_server, m_tokenFile, m_tls, m_tlsCa, m_tlsCert, m_tlsKey});
}

bool ConnectionFlags::hasSecurity(const QCommandLineParser &parser) const
{
    for (const QCommandLineOption *option : {&m_tokenFile, &m_tls, &m_tlsCa, &m_tlsCert, &m_tlsKey}) {
        if (parser.isSet(*option))
            return true;
    }
    return false;
}

ConnectionOptions ConnectionFlags::read(const QCommandLineParser &parser, ConnectionOptions defaults) const
{
    ConnectionOptions options = std::move(defaults);
    if (parser.isSet(m_server)) {
        const QString address = parser.value(m_server).trimmed();
        if (const std::string problem = addressProblem(address.toStdString()); !problem.empty())
            throw std::invalid_argument("--server needs HOST:PORT or unix:PATH, not '" + address.toStdString()
                                        + "': " + problem);
        options.address = address.toStdString();
    }
    try {
        if (parser.isSet(m_tokenFile)) {
            // The server's format; a client sends the first token.
            options.token = tokens::readTokenFile(parser.value(m_tokenFile).toStdString()).front();
        } else if (const QString token = qEnvironmentVariable("METERSCOPE_TOKEN").trimmed(); !token.isEmpty()) {
            tokens::checkToken(token.toStdString(), "$METERSCOPE_TOKEN");
            options.token = token.toStdString();
        }
    } catch (const tokens::TokenError &e) {
        throw std::invalid_argument(e.what());
    }
    options.tls = options.tls || parser.isSet(m_tls);
    if (parser.isSet(m_tlsCa))
        options.tlsCaFile = parser.value(m_tlsCa).toStdString();
    if (parser.isSet(m_tlsCert))
        options.tlsCertFile = parser.value(m_tlsCert).toStdString();
    if (parser.isSet(m_tlsKey))
        options.tlsKeyFile = parser.value(m_tlsKey).toStdString();
    if (options.tlsCertFile.empty() != options.tlsKeyFile.empty())
        throw std::invalid_argument("--tls-cert and --tls-key go together");
    return options;
}

} // namespace meterscope::client
