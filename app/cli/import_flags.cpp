#include "cli/import_flags.h"

#include "client/command_line.h"

namespace meterscope::cli {

void ImportFlags::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({series, timezone, timeFormat, delimiter, epochUnit, timeColumn, valueColumn, seriesColumn,
                       skipLines, missing, unit});
}

client::ImportSettings ImportFlags::read(const QCommandLineParser &parser) const
{
    const auto strings = [&](const QCommandLineOption &option) {
        std::vector<std::string> out;
        for (const QString &value : parser.values(option))
            out.push_back(value.toStdString());
        return out;
    };
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
    settings.timeColumns = strings(timeColumn);
    if (settings.timeColumns.size() > 2)
        client::usageError("--time-column: give one time column, or a date column then a time-of-day column");
    settings.valueColumns = strings(valueColumn);
    settings.seriesColumn = parser.value(seriesColumn).toStdString();
    if (parser.isSet(skipLines)) {
        bool ok = false;
        settings.skipLines = parser.value(skipLines).toULongLong(&ok);
        if (!ok)
            client::usageError("--skip-lines needs a number of lines, not '" + parser.value(skipLines) + "'");
    }
    settings.missing = strings(missing);
    settings.unit = parser.value(unit).toStdString();
    return settings;
}

} // namespace meterscope::cli
