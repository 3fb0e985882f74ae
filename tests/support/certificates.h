#pragma once

#include <QString>

namespace meterscope::test {

/// Makes, with openssl, in `dir`: a CA (ca.pem, ca.key), a server
/// certificate for localhost and 127.0.0.1 signed by it (server.pem,
/// server.key) and a client certificate (client.pem, client.key). Returns
/// false with openssl's words in `error` when that fails.
bool makeCertificates(const QString &dir, QString *error);

} // namespace meterscope::test
