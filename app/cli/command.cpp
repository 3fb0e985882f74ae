#include "cli/command.h"

#include "client/command_line.h"
#include "client/local_socket.h"

#include <cstdio>
#include <cstdlib>
#include <thread>

namespace meterscope::cli {

using client::usageError;

void fail(const std::string &message)
{
    std::fprintf(stderr, "meterscope-cli: %s\n", message.c_str());
}

void GlobalOptions::addTo(QCommandLineParser &parser) const
{
    connection.addTo(parser);
    parser.addOption(local);
    parser.addHelpOption();
}

client::ConnectionOptions GlobalOptions::read(const QCommandLineParser &parser) const
{
    client::ConnectionOptions defaults;
    if (const QString env = qEnvironmentVariable("METERSCOPE_SERVER"); !env.isEmpty())
        defaults.address = env.toStdString();
    if (parser.isSet(local)) {
        if (connection.hasServer(parser))
            usageError("--local and --server name two servers; give one");
        const QString socket = client::appServerSocket();
        if (!client::unixSocketAnswers(socket)) {
            fail("no Meterscope app is running its local server: nothing answers on " + socket.toStdString()
                 + " (start meterscope, or name a server with --server)");
            std::exit(kExitUnreachable);
        }
        defaults.address = "unix:" + socket.toStdString();
    }
    try {
        return connection.read(parser, defaults);
    } catch (const std::invalid_argument &e) {
        usageError(QString::fromStdString(e.what()));
    }
}

void parseCommand(QCommandLineParser &parser, const QStringList &arguments, const QString &command)
{
    if (!parser.parse(arguments))
        usageError(parser.errorText());
    if (parser.isSet("help")) {
        // The usage line names the program; name the command after it.
        QString help = parser.helpText();
        help.replace(help.indexOf(" [options]"), 0, ' ' + command);
        std::fputs(qPrintable(help), stdout);
        std::exit(kExitOk);
    }
}

sigset_t interruptSignals()
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    return mask;
}

Interrupts::Interrupts(client::Cancellation &cancellation)
{
    // run() blocked the signals before any thread existed, so only this
    // one receives them.
    std::thread([mask = interruptSignals(), &cancellation] {
        int signal = 0;
        sigwait(&mask, &signal);
        cancellation.cancel();
    }).detach();
}

int exitFor(const client::ClientError &e, const std::string &context)
{
    fail(context.empty() ? std::string(e.what()) : context + ": " + e.what());
    if (e.code() == grpc::StatusCode::CANCELLED)
        return kExitInterrupted;
    return e.unreachable() ? kExitUnreachable : kExitRefused;
}

timeutil::Zone zoneOption(const QCommandLineParser &parser, const QString &name)
{
    try {
        return timeutil::Zone::byName(parser.value(name).toStdString());
    } catch (const std::invalid_argument &e) {
        usageError("--" + name + ": " + e.what());
    }
}

} // namespace meterscope::cli
