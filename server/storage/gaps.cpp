#include "storage/gaps.h"

#include "storage/cadence.h"
#include "storage/errors.h"
#include "storage/pg_connection.h"
#include "storage/series_store.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

#include <algorithm>

namespace meterscope::storage {

using timeutil::Micros;

GapReport findGaps(Database &db, const std::string &series, std::optional<Micros> start, std::optional<Micros> end)
{
    checkRange(start, end);
    Database::Lease lease = db.acquire();
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(*lease, "gaps");
    const pqxx::result found
        = txn.exec_params("SELECT id, " + summaryColumns() + " FROM series WHERE name = $1", series);
    if (found.empty())
        throw NotFound("no series named '" + series + "'");
    const auto id = found[0][0].as<std::int32_t>();
    GapReport report;
    report.series = summaryFrom(found[0], 1);
    if (!report.series.first)
        return report;
    const Micros from = std::clamp(start.value_or(kEarliestTime), kEarliestTime, kLatestTime);
    const Micros to = std::clamp(end.value_or(kLatestTime + 1), kEarliestTime + 1, kLatestTime + 1);
    report.cadence = cadences(txn, {id}, from, to)[id];
    report.threshold = report.series.gapThreshold.value_or(2 * report.cadence);

    const pqxx::row span = txn.exec_params1("SELECT count(*), " + epochUs("min(time)") + ", " + epochUs("max(time)")
                                                + " FROM points WHERE series_id = $1 AND time >= $2::timestamptz"
                                                  " AND time < $3::timestamptz",
                                            id, sqlTime(from), sqlTime(to));
    report.readings = span[0].as<std::uint64_t>();
    if (report.readings < 2 || report.threshold <= 0) {
        report.expected = report.readings;
        return report;
    }
    const Micros first = span[1].as<Micros>(), last = span[2].as<Micros>();
    report.expected = expectedReadings(first, last + report.cadence, first, report.cadence);
    for (const pqxx::row &row :
         txn.exec_params("SELECT " + epochUs("time") + ", " + epochUs("next")
                             + " FROM (SELECT time, lead(time) OVER (ORDER BY "
                               "time) AS next FROM points WHERE series_id = $1 AND time >= $2::timestamptz AND time < "
                               "$3::timestamptz) AS t WHERE next >= time + $4::int8 * interval '1 microsecond' ORDER "
                               "BY time LIMIT $5",
                         id, sqlTime(from), sqlTime(to), report.threshold, std::int64_t(kMaxGaps + 1))) {
        if (report.gaps.size() == kMaxGaps) {
            report.truncated = true;
            break;
        }
        Gap gap{row[0].as<Micros>(), row[1].as<Micros>(), 0};
        // Readings the cadence puts strictly between the two.
        const Micros width = gap.firstAfter - gap.lastBefore;
        const Micros slots = report.cadence > 0 ? (width + report.cadence / 2) / report.cadence : 0;
        gap.missing = std::uint64_t(std::max<Micros>(slots - 1, 0));
        report.gaps.push_back(gap);
    }
    txn.commit();
    return report;
}

} // namespace meterscope::storage
