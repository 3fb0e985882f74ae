#include "support/server_process.h"

#include "support/clients.h"
#include "support/test_cluster.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QThread>

#include <csignal>

namespace meterscope::test {

bool signalProcess(const QProcess &process, int signal)
{
    const qint64 pid = process.processId();
    return process.state() != QProcess::NotRunning && pid > 0 && ::kill(pid_t(pid), signal) == 0;
}

ServerProcess::ServerProcess()
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
}

ServerProcess::~ServerProcess()
{
    if (running())
        terminate();
}

QString ServerProcess::binary(const QString &relativePath)
{
    return binaryDir() + "/" + relativePath;
}

QString ServerProcess::log()
{
    m_log += QString::fromUtf8(m_process.readAllStandardError());
    return m_log;
}

bool ServerProcess::start(const QStringList &arguments, int timeoutMs)
{
    m_log.clear();
    m_address.clear();
    QStringList all = arguments;
    if (hypertableMode() && !arguments.contains("--storage"))
        all << "--storage"
            << "timescaledb";
    m_process.start(binary("server/meterscoped"), all);
    if (!m_process.waitForStarted(10000))
        return false;
    static const QRegularExpression kListening("meterscoped listening on (\\S+)");
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        m_process.waitForReadyRead(100);
        const QRegularExpressionMatch match = kListening.match(log());
        if (match.hasMatch()) {
            m_address = match.captured(1);
            return true;
        }
        if (m_process.state() == QProcess::NotRunning) {
            log();
            return false;
        }
    }
    return false;
}

int ServerProcess::terminate(int timeoutMs)
{
    if (!running())
        return m_process.exitCode();
    signal(SIGTERM);
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    log();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

qint64 ServerProcess::peakMemoryKiB() const
{
    return memoryKiB(m_process.processId(), "VmHWM");
}

void ServerProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(10000);
    log();
}

int ServerProcess::runToExit(const QStringList &arguments, QString *output, int timeoutMs)
{
    QProcess process;
    process.start(binary("server/meterscoped"), arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    if (output)
        *output = QString::fromUtf8(process.readAllStandardError());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

QJsonObject listedSeries(const QString &address, const QString &name)
{
    for (const QJsonValue &s : QJsonDocument::fromJson(runCli({"series", "--json"}, address).out).array()) {
        if (s.toObject()["name"] == name)
            return s.toObject();
    }
    return {};
}

CliResult runCli(const QStringList &arguments, const QString &address)
{
    QProcess process;
    QStringList all = arguments;
    if (!address.isEmpty())
        all = QStringList{"--server", address} + all;
    process.start(ServerProcess::binary("app/cli/meterscope-cli"), all);
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace meterscope::test
