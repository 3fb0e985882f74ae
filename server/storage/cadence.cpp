#include "storage/cadence.h"

#include "storage/sql_arrays.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

namespace meterscope::storage {

namespace {

using timeutil::Micros;

// Gaps read for a series' cadence: enough for a stable median, few enough
// that a thousand series cost a few milliseconds.
constexpr int kCadenceSample = 256;

// Grid readings from `anchor` every `cadence` in [anchor, to): how many.
std::uint64_t slotsBefore(Micros to, Micros anchor, Micros cadence)
{
    return to <= anchor ? 0 : std::uint64_t((to - anchor + cadence - 1) / cadence);
}

} // namespace

std::map<std::int32_t, Micros> cadences(pqxx::transaction_base &txn, const std::vector<std::int32_t> &ids, Micros from,
                                        Micros to)
{
    std::map<std::int32_t, Micros> out;
    for (const pqxx::row &row : txn.exec_params(
             "SELECT i.id, coalesce(c.gap, 0) FROM unnest($1::integer[]) AS i (id) CROSS JOIN LATERAL ("
             " SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY gap) AS gap FROM ("
             "  SELECT "
                 + epochUs("time") + " - " + epochUs("lag(time) OVER (ORDER BY time)")
                 + " AS gap FROM (SELECT time FROM points WHERE series_id = i.id AND time >= $2::timestamptz"
                   " AND time < $3::timestamptz ORDER BY time LIMIT $4) AS t) AS g WHERE gap IS NOT NULL) AS c",
             idArray(ids), sqlTime(from), sqlTime(to), kCadenceSample + 1))
        out[row[0].as<std::int32_t>()] = row[1].as<Micros>();
    return out;
}

std::uint64_t expectedReadings(Micros from, Micros to, Micros anchor, Micros cadence)
{
    return cadence > 0 && to > from ? slotsBefore(to, anchor, cadence) - slotsBefore(from, anchor, cadence) : 0;
}

} // namespace meterscope::storage
