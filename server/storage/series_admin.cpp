#include "storage/series_admin.h"

#include "storage/change_feed.h"
#include "storage/errors.h"
#include "storage/pg_connection.h"
#include "storage/rollups.h"
#include "storage/series_store.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

#include <algorithm>

namespace meterscope::storage {

namespace {

struct Locked {
    std::int32_t id;
    std::int32_t cellWidth;
};

// The series by name, its turn taken: imports of it wait for this
// transaction, and it for them. The advisory lock comes before any row
// lock, as in imports, so the two never wait on each other in a circle.
Locked lockSeries(pqxx::work &txn, const std::string &name)
{
    const pqxx::result found = txn.exec_params("SELECT id FROM series WHERE name = $1", name);
    if (found.empty())
        throw NotFound("no series named '" + name + "'");
    const auto id = found[0][0].as<std::int32_t>();
    txn.exec_params("SELECT pg_advisory_xact_lock(1, $1)", id);
    // What was committed while we waited counts: a delete or a rename.
    const pqxx::result now
        = txn.exec_params("SELECT coalesce(cell_width, 0) FROM series WHERE id = $1 AND name = $2", id, name);
    if (now.empty())
        throw NotFound("no series named '" + name + "'");
    return {id, now[0][0].as<std::int32_t>()};
}

} // namespace

DeleteResult deleteSeries(Database &db, const std::string &name, std::optional<timeutil::Micros> start,
                          std::optional<timeutil::Micros> end)
{
    checkRange(start, end);
    Database::Lease lease = db.acquire();
    pqxx::work txn(*lease, "delete-series");
    // Deleting from compressed chunks decompresses their batches first.
    if (db.timescale())
        txn.exec0("SET LOCAL timescaledb.max_tuples_decompressed_per_dml_transaction = 0");
    const Locked series = lockSeries(txn, name);
    DeleteResult result;
    if (!start && !end) {
        result.points = txn.exec_params("DELETE FROM points WHERE series_id = $1", series.id).affected_rows();
        txn.exec_params("DELETE FROM rollups WHERE series_id = $1", series.id);
        txn.exec_params("DELETE FROM series WHERE id = $1", series.id);
        result.seriesDeleted = true;
        notifyChange(txn, series.id, 0, 0, ChangeKind::Deleted);
        txn.commit();
        return result;
    }
    // Bounds beyond what can be stored are no bounds.
    const timeutil::Micros from = std::max(start.value_or(kEarliestTime), kEarliestTime);
    const timeutil::Micros upTo = std::min(end ? *end - 1 : kLatestTime, kLatestTime);
    const pqxx::row removed = txn.exec_params1(
        R"(WITH d AS (DELETE FROM points WHERE series_id = $1 AND time BETWEEN $2::timestamptz AND $3::timestamptz
                      RETURNING time)
           SELECT count(*), )"
            + epochUs("min(time)") + ", " + epochUs("max(time)") + " FROM d",
        series.id, sqlTime(from), sqlTime(upTo));
    result.points = removed[0].as<std::uint64_t>();
    if (result.points > 0) {
        const timeutil::Micros first = removed[1].as<timeutil::Micros>();
        const timeutil::Micros last = removed[2].as<timeutil::Micros>();
        rebuildCells(txn, lease->raw(), {{series.id, series.cellWidth, first, last}});
        // The new first and last points: one short walk of the index each.
        txn.exec_params0(R"(UPDATE series SET point_count = point_count - $2,
                                first_time = (SELECT min(time) FROM points WHERE series_id = $1),
                                last_time = (SELECT max(time) FROM points WHERE series_id = $1)
                            WHERE id = $1)",
                         series.id, result.points);
        notifyChange(txn, series.id, first, last, ChangeKind::Removed);
    }
    txn.commit();
    return result;
}

SeriesSummary updateSeries(Database &db, const std::string &name, const SeriesUpdate &update)
{
    const std::optional<std::string> &rename = update.rename;
    Database::Lease lease = db.acquire();
    pqxx::work txn(*lease, "update-series");
    const Locked series = lockSeries(txn, name);
    if (rename && *rename != name) {
        try {
            pqxx::subtransaction sub(txn, "rename");
            sub.exec_params0("UPDATE series SET name = $2 WHERE id = $1", series.id, *rename);
            sub.commit();
        } catch (const pqxx::unique_violation &) {
            throw Conflict("a series named '" + *rename + "' exists already");
        }
        notifyChange(txn, series.id, 0, 0, ChangeKind::Renamed, *rename);
    }
    if (update.unit)
        txn.exec_params0("UPDATE series SET unit = $2 WHERE id = $1", series.id, *update.unit);
    if (update.kind)
        txn.exec_params0("UPDATE series SET kind = $2 WHERE id = $1", series.id, std::string(kindName(*update.kind)));
    if (update.gapThreshold)
        txn.exec_params0("UPDATE series SET gap_threshold_us = nullif($2::int8, 0) WHERE id = $1", series.id,
                         *update.gapThreshold);
    const pqxx::row now = txn.exec_params1("SELECT " + summaryColumns() + " FROM series WHERE id = $1", series.id);
    txn.commit();
    return summaryFrom(now);
}

} // namespace meterscope::storage
