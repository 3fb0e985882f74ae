#pragma once

// What every meterscope-cli command shares: the global options, parsing a
// command's own options, interrupts, and turning errors into exit codes.

#include "cli/cli.h"
#include "client/client.h"
#include "client/connection_flags.h"
#include "time/zone.h"

#include <QCommandLineParser>
#include <QStringList>

#include <csignal>
#include <string>

namespace meterscope::cli {

inline constexpr int kExitInterrupted = 130;

/// Prints "meterscope-cli: MESSAGE" on standard error.
void fail(const std::string &message);

/// Options every command takes, so they may come before or after it.
struct GlobalOptions {
    client::ConnectionFlags connection;
    QCommandLineOption local{"local", "Use the server the desktop app started itself (its local server)."};

    void addTo(QCommandLineParser &parser) const;
    /// The connection to make ($METERSCOPE_SERVER is the default address;
    /// --local the desktop app's server, client::appServerSocket()); a
    /// usage error for bad flags. With --local and no app serving there it
    /// says so, naming the socket, and exits with kExitUnreachable.
    client::ConnectionOptions read(const QCommandLineParser &parser) const;
};

/// Parses the options of `command` (arguments after the command name);
/// prints the command's help and exits for --help.
void parseCommand(QCommandLineParser &parser, const QStringList &arguments, const QString &command);

/// SIGINT and SIGTERM, which run() blocks before any thread exists.
sigset_t interruptSignals();

/// SIGINT/SIGTERM cancel the running call instead of killing the process,
/// so an import in flight is rolled back and reported.
class Interrupts {
public:
    explicit Interrupts(client::Cancellation &cancellation);
};

/// Says what went wrong (after `context`, if any) and returns the exit code.
int exitFor(const client::ClientError &e, const std::string &context);

/// The zone named by option `name`; a usage error for an unknown one.
timeutil::Zone zoneOption(const QCommandLineParser &parser, const QString &name);

} // namespace meterscope::cli
