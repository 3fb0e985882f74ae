#pragma once

#include "time/micros.h"

#include <QString>

#include <cstdint>

namespace meterscope::test {

/// How much meter data to make: `meters` meters, each `readings` readings
/// `cadenceSeconds` apart from `start` (UTC).
struct MeterSeries {
    int meters = 1;
    std::int64_t cadenceSeconds = 900;
    std::uint64_t readings = 96;
    timeutil::Micros start = 1'704'067'200'000'000; // 2024-01-01T00:00:00Z
};

/// The layouts a MeterSeries can be written in. Times are UTC, written as
/// `2024-01-01 00:15:00` (as in the sample); values have two decimals.
enum class MeterLayout {
    OneSeries, ///< `time,meter_0001` then `<time>,<value>`: the first meter only
    Wide,      ///< `time,meter_0001,...,meter_<n>`, a row per time
    Long,      ///< `meter,time,kWh`, rows grouped by meter
    Copy,      ///< headerless `<meter number>,<time>+00,<value>`, grouped by
               ///< meter: what psql \copy takes into (series_id, time, value)
};

/// Meter `meter`'s average power (kW) over the interval of `cadenceSeconds`
/// that starts at `time`, shaped like a building's: a base load, a
/// working-hours plateau on weekdays for every third meter (offices, shops),
/// morning and evening peaks for the others (homes, later and higher at
/// weekends), each meter its own size, and noise from a hash of meter and
/// time; two decimals. The same value for the same arguments everywhere.
double meterValue(int meter, timeutil::Micros time, std::int64_t cadenceSeconds);

/// Writes `series` to `path` in `layout`; the number of readings written,
/// 0 if the file could not be written.
std::uint64_t writeMeterFile(const QString &path, const MeterSeries &series, MeterLayout layout);

} // namespace meterscope::test
