#pragma once

#include <QDeadlineTimer>
#include <QObject>
#include <QProcess>
#include <QStringList>

namespace meterscope::app {

/// The app's own meterscoped, for when no server is configured: a child
/// process with embedded storage in the user's data folder (or `dataDir`),
/// reachable only through a Unix socket in the user's private runtime
/// folder: client::appServerSocket(), where meterscope-cli --local finds
/// it, or one named after the app's pid when another app has that one.
/// It gets SIGTERM when the app stops (stop(), the destructor), and from
/// the kernel when the app dies without stopping it.
class LocalServer : public QObject {
    Q_OBJECT

public:
    /// `dataDir` empty = the server's default folder.
    explicit LocalServer(const QString &dataDir, QObject *parent = nullptr);
    ~LocalServer() override;

    /// Starts meterscoped; emits ready() once it listens, or failed().
    void start();
    /// SIGTERM, then waits until it has stopped its database and exited.
    void stop();

signals:
    void ready(const QString &address);
    /// It could not start, or stopped by itself; `message` says why in a
    /// sentence a user can act on.
    void failed(const QString &message);

private:
    void readLog();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess m_process;
    QString m_dataDir;
    QByteArray m_partialLine;
    QString m_lastProblem;
    bool m_ready = false;
    bool m_stopping = false;
    // Unexpected exits after a good start restart it, but not in a loop.
    QDeadlineTimer m_restartAllowed;
};

} // namespace meterscope::app
