#pragma once

#include "core/point_columns.h"

#include <optional>

namespace meterscope::app {

/// Where readings are missing. The chart breaks its line there instead of
/// drawing a straight line over the hole: between two readings at least
/// twice the series' typical interval apart (one reading or more missing)
/// and, in a downsampled answer, further apart than one bucket (a bucket
/// without points). Stored values are never NaN (the import counts NaN
/// cells as missing), so a NaN point marks a gap.
namespace gaps {

/// The value of a gap point.
double marker();
bool isGap(double value);

/// The usual interval between the readings of `points`: the median of its
/// intervals, when it holds enough of them to tell (a raw answer).
std::optional<qint64> typicalInterval(const PointColumns &points);

/// `points` with a gap point one microsecond after each reading that a gap
/// follows; `previousUs` is the reading before the first one, if any.
/// `typicalUs` <= 0 marks nothing.
PointColumns marked(const PointColumns &points, qint64 typicalUs, std::optional<qint64> previousUs = {});

/// Whether `intervalUs` between two readings of an answer with buckets of
/// `bucketUs` (0 = raw) is a gap.
bool isGapInterval(qint64 intervalUs, qint64 typicalUs, qint64 bucketUs);

} // namespace gaps

} // namespace meterscope::app
