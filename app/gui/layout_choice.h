#pragma once

#include "client/client.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace meterscope::app {

/// How the files of one layout are read, as the import preview sets it.
/// What is left empty the server's reader detects; the reader is the only
/// place that decides a layout.
struct LayoutChoice {
    /// "," ";" or "\t"; empty = detect.
    QString delimiter;
    /// Lines before the header; none = detect.
    std::optional<int> skipLines;
    /// One role per column of a data record; empty = as detected.
    QList<v1::ColumnRole> roles;
    /// A strptime-style format that fixes the day/month order; empty = detect.
    QString timeFormat;
    /// IANA zone for times without an offset; empty = the server's default.
    QString timeZone;

    /// The Import options that read a file so.
    client::ImportSettings importSettings() const;
    /// Why these roles cannot work (no value column, no time, three time
    /// columns), in a sentence; empty when they can.
    QString rolesProblem() const;
    /// For lists: "';' delimited, 5 lines skipped, DATE: time, …" or
    /// "columns as detected"; `columns` names the columns `roles` refers to.
    QString describe(const QStringList &columns) const;

    bool operator==(const LayoutChoice &) const = default;
};

/// A layout the user confirmed in the preview: files whose header has
/// these cells are imported with `choice`, without asking again.
struct RememberedLayout {
    /// The header's cells as the reader found them with nothing set (the
    /// key: what a new file of the same export shows again).
    QStringList header;
    /// The file it was confirmed with.
    QString fileName;
    LayoutChoice choice;
    /// The headers of the columns as read with `choice` (for describe()).
    QStringList columns;

    bool operator==(const RememberedLayout &) const = default;
};

/// The cells of a layout's header, the key a layout is remembered by.
QStringList layoutKey(const v1::ImportLayout &layout);

/// True for the prototype's layout and its everyday variants, which import
/// without a preview: no preamble, one time column in ISO 8601 or epoch
/// numbers, every other column a value, and nothing the reader had to note.
bool importsDirectly(const v1::ImportLayout &layout);

/// "time", "value", "series key", "ignore": what the preview calls a role.
QString roleLabel(v1::ColumnRole role);
/// Stable names for the settings file ("time", "value", "key", "ignored").
QString roleKey(v1::ColumnRole role);
/// Reads roleKey(); nullopt for anything else.
std::optional<v1::ColumnRole> roleFromKey(const QString &key);

/// `format` with its day and month swapped ("%d/%m/%Y" -> "%m/%d/%Y").
QString swapDayAndMonth(const QString &format);

} // namespace meterscope::app
