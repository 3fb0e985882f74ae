#include "support/certificates.h"

#include "support/test_data.h"

#include <QDir>
#include <QProcess>

namespace meterscope::test {

bool makeCertificates(const QString &dir, QString *error)
{
    auto openssl = [&](const QStringList &arguments) {
        QProcess process;
        process.setWorkingDirectory(dir);
        process.start("openssl", arguments);
        if (process.waitForFinished(30000) && process.exitCode() == 0)
            return true;
        *error = "openssl " + arguments.join(' ') + ": " + QString::fromUtf8(process.readAllStandardError());
        return false;
    };
    writeFile(QDir(dir).filePath("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    return openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Meterscope test CA",
                    "-keyout", "ca.key", "-out", "ca.pem"})
           && openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
                       "-out", "server.csr"})
           && openssl({"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                       "-days", "2", "-extfile", "server.ext", "-out", "server.pem"})
           && openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=meter reader", "-keyout", "client.key",
                       "-out", "client.csr"})
           && openssl({"x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                       "-days", "2", "-out", "client.pem"});
}

} // namespace meterscope::test
