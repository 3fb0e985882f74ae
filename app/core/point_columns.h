#pragma once

#include <QList>
#include <QMetaType>

#include <optional>

namespace meterscope::app {

/// Points as two parallel columns: UTC instants in microseconds and values.
/// Implicitly shared, so handing a batch across threads copies nothing.
struct PointColumns {
    QList<qint64> timesUs;
    QList<double> values;
    /// The width of one M4 bucket when the server downsampled; 0 = raw.
    qint64 bucketUs = 0;

    qsizetype size() const { return timesUs.size(); }
    bool isEmpty() const { return timesUs.isEmpty(); }
    void append(const PointColumns &other);
    /// The points after `timeUs` (columns are in time order).
    PointColumns after(std::optional<qint64> timeUs) const;
    /// The points in [startUs, endUs).
    PointColumns within(qint64 startUs, qint64 endUs) const;
    std::optional<qint64> lastTime() const { return isEmpty() ? std::nullopt : std::optional<qint64>(timesUs.back()); }
};

} // namespace meterscope::app

Q_DECLARE_METATYPE(meterscope::app::PointColumns)
