#pragma once

#include "time/instant.h"
#include "time/zone.h"

#include <QCommandLineParser>
#include <QString>

#include <optional>

namespace meterscope::client {

/// Prints "PROGRAM: message (see PROGRAM --help)" to stderr, PROGRAM being
/// the application's name, and exits with 2, the usage-error code of
/// every Meterscope binary.
[[noreturn]] void usageError(const QString &message);

/// The instant option `name` gives (ISO 8601, or epoch seconds; times
/// without an offset are in `zone`); none when it is not given. A value
/// that is not a time is a usage error.
std::optional<timeutil::Micros> instantOption(const QCommandLineParser &parser, const QString &name,
                                              const timeutil::Zone &zone);

/// Sets the start and end of `request` (anything with set_start_time_us()
/// and set_end_time_us()) from --from and --to, when given.
template<typename Request>
void rangeOptions(const QCommandLineParser &parser, const timeutil::Zone &zone, Request &request)
{
    if (const auto start = instantOption(parser, "from", zone))
        request.set_start_time_us(*start);
    if (const auto end = instantOption(parser, "to", zone))
        request.set_end_time_us(*end);
}

} // namespace meterscope::client
