#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace meterscope::test {

/// Sends `signal` to `process` if it still runs; returns whether it did.
/// Never ::kill(process.processId(), ...) directly: once the child has
/// exited its pid reads 0, and kill(0, ...) signals our whole process
/// group, ctest and the CI script included.
bool signalProcess(const QProcess &process, int signal);

/// meterscoped (or another of our binaries) run as a real child process.
class ServerProcess {
public:
    ServerProcess();
    ~ServerProcess();

    /// Starts meterscoped with `arguments` (plus `--storage timescaledb` in
    /// hypertable mode, unless they name a mode) and waits until it logs
    /// "meterscoped listening on ADDR". Returns false if it exited or timed
    /// out first (log() says why).
    bool start(const QStringList &arguments, int timeoutMs = 120000);

    /// The address it listens on, e.g. "127.0.0.1:43567".
    QString address() const { return m_address; }
    /// Everything it wrote to stderr so far.
    QString log();

    /// SIGTERM, then waits for the exit; returns the exit code (-1 on timeout).
    int terminate(int timeoutMs = 30000);
    /// SIGKILL, as a crash would.
    void kill();
    bool running() const { return m_process.state() != QProcess::NotRunning; }
    /// Peak resident memory of the process so far (VmHWM), in KiB.
    qint64 peakMemoryKiB() const;
    qint64 pid() const { return m_process.processId(); }
    /// Sends `signal` if it still runs (see signalProcess).
    bool signal(int signal) { return signalProcess(m_process, signal); }

    /// Runs meterscoped to completion (for start-up failures); returns the
    /// exit code and fills `output` with stderr.
    static int runToExit(const QStringList &arguments, QString *output, int timeoutMs = 120000);

    /// Path of a built binary, e.g. "server/meterscoped".
    static QString binary(const QString &relativePath);

private:
    QProcess m_process;
    QString m_log;
    QString m_address;
};

/// What a run of meterscope-cli gave.
struct CliResult {
    int exitCode = -1; ///< -1 when it crashed or did not finish in two minutes
    QByteArray out;
    QString err;
};

/// Runs meterscope-cli with `arguments`, against the server at `address`
/// (--server) unless it is empty.
CliResult runCli(const QStringList &arguments, const QString &address);

/// The series named `name` as `meterscope-cli series --json` lists it at
/// `address` ({"name", "unit", "kind", "points", "first", "last"}); empty
/// when it is not listed.
QJsonObject listedSeries(const QString &address, const QString &name);

} // namespace meterscope::test
