#include "support/clients.h"

#include <QFile>

namespace meterscope::test {

client::ConnectionOptions connectionTo(const QString &address, const std::string &token)
{
    client::ConnectionOptions options;
    options.address = address.toStdString();
    options.token = token;
    return options;
}

std::unique_ptr<client::Client> clientFor(const QString &address, const std::string &token)
{
    return std::make_unique<client::Client>(connectionTo(address, token));
}

qint64 memoryKiB(qint64 pid, const char *field)
{
    QFile status(pid ? QString("/proc/%1/status").arg(pid) : QString("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

} // namespace meterscope::test
