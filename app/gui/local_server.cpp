#include "gui/local_server.h"

#include "client/local_socket.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/prctl.h>
#include <unistd.h>

namespace meterscope::app {

namespace {

constexpr int kStopTimeoutMs = 15000;
constexpr int kRestartDelayMs = 1000;
constexpr int kMinUptimeForRestartMs = 30000;

// The meterscoped binary: next to the app (installed, or the build tree's
// link), else on PATH; empty when there is none.
QString serverExecutable()
{
    const QString besideApp = QCoreApplication::applicationDirPath() + "/meterscoped";
    if (QFileInfo(besideApp).isExecutable())
        return besideApp;
    return QStandardPaths::findExecutable("meterscoped");
}

} // namespace

LocalServer::LocalServer(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(dataDir)
{
    m_process.setProcessChannelMode(QProcess::ForwardedOutputChannel);
    const pid_t app = ::getpid();
    m_process.setChildProcessModifier([app] {
        // The kernel stops the server if the app is killed outright; if
        // the app is gone already, the server must not start at all.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != app)
            ::_exit(1);
    });
    connect(&m_process, &QProcess::readyReadStandardError, this, &LocalServer::readLog);
    connect(&m_process, &QProcess::finished, this, &LocalServer::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            emit failed(tr("Cannot start the local server %1: %2").arg(m_process.program(), m_process.errorString()));
    });
}

LocalServer::~LocalServer()
{
    stop();
}

void LocalServer::start()
{
    if (m_process.state() != QProcess::NotRunning)
        return;
    const QString program = serverExecutable();
    if (program.isEmpty()) {
        emit failed(tr("Cannot find meterscoped, the Meterscope server. Install it next to meterscope or on "
                       "PATH, or connect to a running server with --server."));
        return;
    }
    // In the private runtime folder, where nobody else can connect: the
    // socket meterscope-cli --local looks for, unless another app's local
    // server has it already.
    QString socket = client::appServerSocket();
    if (client::unixSocketAnswers(socket))
        socket = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation)
                 + QStringLiteral("/meterscope-%1.sock").arg(QCoreApplication::applicationPid());
    QStringList arguments{"--listen", "unix:" + socket};
    if (!m_dataDir.isEmpty())
        arguments << "--data-dir" << QDir(m_dataDir).absolutePath();
    m_lastProblem.clear();
    m_partialLine.clear();
    m_ready = false;
    m_stopping = false;
    m_process.start(program, arguments);
}

void LocalServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_stopping = true;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(kStopTimeoutMs)) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

void LocalServer::readLog()
{
    static const QRegularExpression kListening("meterscoped listening on (\\S+)");
    static const QRegularExpression kProblem("^\\S+ (error|warn)\\s+(.*)$");
    m_partialLine += m_process.readAllStandardError();
    for (qsizetype end = m_partialLine.indexOf('\n'); end >= 0; end = m_partialLine.indexOf('\n')) {
        const QByteArray line = m_partialLine.left(end + 1);
        m_partialLine.remove(0, end + 1);
        // The server's log belongs in the app's log: run from a terminal,
        // it explains what the window only summarises.
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
        const QString text = QString::fromUtf8(line).trimmed();
        if (const QRegularExpressionMatch problem = kProblem.match(text); problem.hasMatch())
            m_lastProblem = problem.captured(2);
        if (const QRegularExpressionMatch listening = kListening.match(text); listening.hasMatch() && !m_ready) {
            m_ready = true;
            m_restartAllowed.setRemainingTime(kMinUptimeForRestartMs);
            emit ready(listening.captured(1));
        }
    }
}

void LocalServer::onFinished(int exitCode, QProcess::ExitStatus status)
{
    readLog();
    if (m_stopping)
        return;
    const QString how = status == QProcess::CrashExit ? tr("crashed") : tr("stopped (exit code %1)").arg(exitCode);
    const QString why = m_lastProblem.isEmpty() ? QString() : QStringLiteral(": ") + m_lastProblem;
    if (m_ready && m_restartAllowed.hasExpired()) {
        QTimer::singleShot(kRestartDelayMs, this, &LocalServer::start);
        emit failed(tr("The local server %1%2. Restarting it.").arg(how, why));
        return;
    }
    emit failed(tr("The local server %1%2.").arg(how, why));
}

} // namespace meterscope::app
