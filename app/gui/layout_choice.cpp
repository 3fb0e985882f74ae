#include "gui/layout_choice.h"

#include <QCoreApplication>

namespace meterscope::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LayoutChoice", text);
}

std::string columnNumber(qsizetype index)
{
    return std::to_string(index + 1);
}

} // namespace

client::ImportSettings LayoutChoice::importSettings() const
{
    client::ImportSettings settings;
    settings.delimiter = delimiter.toStdString();
    v1::ImportOptions &columns = settings.columnRoles;
    if (skipLines)
        columns.set_skip_lines(std::uint64_t(*skipLines));
    // By number: header names may repeat, numbers never do.
    for (qsizetype c = 0; c < roles.size(); ++c) {
        switch (roles[c]) {
        case v1::COLUMN_ROLE_TIME:
            columns.add_time_column(columnNumber(c));
            break;
        case v1::COLUMN_ROLE_VALUE:
            columns.add_value_column(columnNumber(c));
            break;
        case v1::COLUMN_ROLE_SERIES_KEY:
            columns.set_series_column(columnNumber(c));
            break;
        default:
            break;
        }
    }
    settings.timeFormat = timeFormat.toStdString();
    settings.timezone = timeZone.toStdString();
    return settings;
}

QString LayoutChoice::rolesProblem() const
{
    if (roles.isEmpty())
        return {};
    const qsizetype times = roles.count(v1::COLUMN_ROLE_TIME);
    if (times == 0)
        return tr("Choose the column that holds the time.");
    if (times > 2)
        return tr("Choose one time column, or a date column and a time-of-day column, not %1.").arg(times);
    if (!roles.contains(v1::COLUMN_ROLE_VALUE))
        return tr("Choose at least one value column.");
    if (roles.count(v1::COLUMN_ROLE_SERIES_KEY) > 1)
        return tr("Only one column can name the series.");
    return {};
}

QString LayoutChoice::describe(const QStringList &columns) const
{
    QStringList parts;
    if (!delimiter.isEmpty())
        parts << tr("'%1' delimited").arg(delimiter == "\t" ? tr("tab") : delimiter);
    if (skipLines)
        parts << (*skipLines == 1 ? tr("1 line skipped") : tr("%1 lines skipped").arg(*skipLines));
    if (!timeFormat.isEmpty())
        parts << tr("times as %1").arg(timeFormat);
    if (!timeZone.isEmpty())
        parts << tr("naive times in %1").arg(timeZone);
    if (roles.isEmpty())
        parts << tr("columns as detected");
    for (qsizetype c = 0; c < roles.size(); ++c)
        parts << QStringLiteral("%1: %2").arg(columns.value(c, tr("column %1").arg(c + 1)), roleLabel(roles[c]));
    return parts.join(", ");
}

QStringList layoutKey(const v1::ImportLayout &layout)
{
    QStringList key;
    for (const v1::ImportColumn &column : layout.columns())
        key << QString::fromStdString(column.header());
    return key;
}

bool importsDirectly(const v1::ImportLayout &layout)
{
    if (layout.skipped_lines() > 0 || layout.header_line() > 1 || layout.notes_size() > 0
        || layout.date_order_ambiguous() || (layout.date_order() != "year-month-day" && layout.date_order() != "epoch"))
        return false;
    int times = 0;
    int values = 0;
    for (const v1::ImportColumn &column : layout.columns()) {
        if (column.role() == v1::COLUMN_ROLE_TIME)
            ++times;
        else if (column.role() == v1::COLUMN_ROLE_VALUE)
            ++values;
        else
            return false;
    }
    return times == 1 && values > 0;
}

QString roleLabel(v1::ColumnRole role)
{
    switch (role) {
    case v1::COLUMN_ROLE_TIME:
        return tr("time");
    case v1::COLUMN_ROLE_VALUE:
        return tr("value");
    case v1::COLUMN_ROLE_SERIES_KEY:
        return tr("series key");
    default:
        return tr("ignore");
    }
}

QString roleKey(v1::ColumnRole role)
{
    switch (role) {
    case v1::COLUMN_ROLE_TIME:
        return QStringLiteral("time");
    case v1::COLUMN_ROLE_VALUE:
        return QStringLiteral("value");
    case v1::COLUMN_ROLE_SERIES_KEY:
        return QStringLiteral("key");
    default:
        return QStringLiteral("ignored");
    }
}

std::optional<v1::ColumnRole> roleFromKey(const QString &key)
{
    for (const v1::ColumnRole role :
         {v1::COLUMN_ROLE_TIME, v1::COLUMN_ROLE_VALUE, v1::COLUMN_ROLE_SERIES_KEY, v1::COLUMN_ROLE_IGNORED}) {
        if (roleKey(role) == key)
            return role;
    }
    return std::nullopt;
}

QString swapDayAndMonth(const QString &format)
{
    QString out = format;
    out.replace("%d", QStringLiteral("\x01")).replace("%m", "%d").replace(QStringLiteral("\x01"), "%m");
    return out;
}

} // namespace meterscope::app
