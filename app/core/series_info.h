#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace meterscope::app {

/// A series as the server lists it.
struct SeriesInfo {
    QString name;
    QString unit;
    qint64 points = 0;
    /// Absent when the series holds no points.
    std::optional<qint64> firstUs;
    std::optional<qint64> lastUs;
    /// "interval", "cumulative" or "instant" (#16).
    QString kind = QStringLiteral("interval");

    bool operator==(const SeriesInfo &) const = default;
};

} // namespace meterscope::app

Q_DECLARE_METATYPE(meterscope::app::SeriesInfo)
