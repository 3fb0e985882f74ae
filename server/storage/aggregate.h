#pragma once

#include "storage/database.h"
#include "storage/series.h"
#include "time/calendar.h"

#include <optional>
#include <string>
#include <vector>

namespace meterscope::storage {

/// Most buckets one Aggregate may cut its range into (a century of days,
/// 22 years of hours).
inline constexpr std::size_t kMaxBuckets = 200'000;

/// What to total: series, the period of a bucket on the clocks of a zone,
/// an optional range [start, end), an optional price per unit.
struct TotalsRequest {
    std::vector<std::string> series;
    timeutil::Period by = timeutil::Period::Day;
    std::optional<timeutil::Micros> start;
    std::optional<timeutil::Micros> end;
    timeutil::Zone zone;
    std::optional<double> price;
};

/// One bucket of one series. The usage values are what the series' kind
/// makes of its readings: interval readings themselves, the differences of
/// consecutive register readings (a drop is a reset, never a negative
/// usage, and the interval across it counts as no usage), instant readings
/// (whose total is their mean).
struct BucketTotal {
    timeutil::Micros start = 0;
    timeutil::Micros end = 0;
    /// Absent when the bucket has no usage value (no readings; for a
    /// register, no interval that ends in it). Total, mean and cost keep 12
    /// significant digits.
    std::optional<double> total, min, max, mean, cost;
    /// Readings in the bucket, and how many the series' cadence expects in
    /// the part of the bucket within the series' first and last reading.
    std::uint64_t count = 0;
    std::uint64_t expected = 0;
    /// Drops of a register (resets, meter swaps) in the bucket.
    std::uint64_t resets = 0;
};

struct SeriesTotals {
    SeriesSummary series;
    /// The median gap between readings at the start of the range; 0 for a
    /// series of one reading.
    timeutil::Micros cadence = 0;
    /// Every bucket from the one holding the series' first reading (or the
    /// start) to the one holding its last (or the end), empty ones included:
    /// buckets without readings are where data is missing.
    std::vector<BucketTotal> buckets;
};

/// The totals of each series, in the order asked, computed in the database
/// in one snapshot. Throws NotFound naming a series that does not exist and
/// InvalidRequest for an empty range or one of more than kMaxBuckets.
std::vector<SeriesTotals> aggregate(Database &db, const TotalsRequest &request);

} // namespace meterscope::storage
