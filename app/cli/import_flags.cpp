#include "cli/import_flags.h"

#include "client/command_line.h"

namespace meterscope::cli {

void ImportFlags::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({series, timezone, timeFormat, delimiter, epochUnit});
    columnRoles.addTo(parser);
}

client::ImportSettings ImportFlags::read(const QCommandLineParser &parser) const
{
    client::ImportSettings settings;
    settings.series = parser.value(series).toStdString();
    settings.timezone = parser.value(timezone).toStdString();
    settings.timeFormat = parser.value(timeFormat).toStdString();
    settings.delimiter = parser.value(delimiter).toStdString();
    const QString epoch = parser.value(epochUnit);
    if (epoch == "s")
        settings.epochUnit = v1::EPOCH_UNIT_SECONDS;
    else if (epoch == "ms")
        settings.epochUnit = v1::EPOCH_UNIT_MILLISECONDS;
    else if (epoch == "us")
        settings.epochUnit = v1::EPOCH_UNIT_MICROSECONDS;
    else if (!epoch.isEmpty())
        client::usageError("--epoch-unit must be s, ms or us");
    try {
        columnRoles.read(parser, settings.columnRoles);
    } catch (const std::invalid_argument &e) {
        client::usageError(QString::fromStdString(e.what()));
    }
    return settings;
}

} // namespace meterscope::cli
