#include "client/command_line.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

namespace meterscope::client {

void usageError(const QString &message)
{
    const QString program = QCoreApplication::applicationName();
    std::fprintf(stderr, "%s: %s (see %s --help)\n", qPrintable(program), qPrintable(message), qPrintable(program));
    std::exit(2);
}

std::optional<timeutil::Micros> instantOption(const QCommandLineParser &parser, const QString &name,
                                              const timeutil::Zone &zone)
{
    if (!parser.isSet(name))
        return std::nullopt;
    std::string error;
    const std::optional<timeutil::Micros> instant
        = timeutil::parseInstant(parser.value(name).toStdString(), zone, &error);
    if (!instant)
        usageError("--" + name + ": " + QString::fromStdString(error));
    return instant;
}

} // namespace meterscope::client
