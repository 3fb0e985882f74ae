#include "storage/series_store.h"

#include "storage/connection.h"
#include "storage/errors.h"
#include "storage/rollups.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

namespace meterscope::storage {

std::string summaryColumns()
{
    return "name, unit, point_count, " + epochUs("first_time") + ", " + epochUs("last_time");
}

SeriesSummary summaryFrom(const pqxx::row &row, pqxx::row::size_type at)
{
    return {row[at].as<std::string>(), row[at + 1].as<std::string>(), row[at + 2].as<std::int64_t>(),
            optionalUs(row[at + 3]), optionalUs(row[at + 4])};
}

std::vector<SeriesSummary> listSeries(Database &db)
{
    Database::Lease lease = db.acquire();
    pqxx::nontransaction txn(*lease);
    const pqxx::result rows = txn.exec("SELECT " + summaryColumns() + " FROM series ORDER BY name");
    std::vector<SeriesSummary> out;
    out.reserve(rows.size());
    for (const pqxx::row &row : rows)
        out.push_back(summaryFrom(row));
    return out;
}

std::pair<std::int32_t, SeriesSummary> findSeries(Database &db, const std::string &name)
{
    Database::Lease lease = db.acquire();
    pqxx::nontransaction txn(*lease);
    const pqxx::result found = txn.exec_params("SELECT id, " + summaryColumns() + " FROM series WHERE name = $1", name);
    if (found.empty())
        throw NotFound("no series named '" + name + "'");
    return {found[0][0].as<std::int32_t>(), summaryFrom(found[0], 1)};
}

Snapshot currentSnapshot(Database &db)
{
    Database::Lease lease = db.acquire();
    pqxx::nontransaction txn(*lease);
    return Snapshot(txn.exec1("SELECT pg_current_snapshot()::text")[0].as<std::string>());
}

PointStream::PointStream(Database &db, Request request)
{
    if (request.start && request.end && *request.start >= *request.end)
        throw InvalidRequest("empty time range: the start " + timeutil::formatIso(*request.start)
                             + " is not before the end " + timeutil::formatIso(*request.end));
    m_lease.emplace(db.acquire());
    if (request.snapshot) {
        pqxx::nontransaction txn(**m_lease);
        txn.exec0("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        m_inTransaction = true;
        *request.snapshot = Snapshot(txn.exec1("SELECT pg_current_snapshot()::text")[0].as<std::string>());
    }
    std::int32_t seriesId = 0;
    std::optional<timeutil::Micros> first, last;
    {
        pqxx::nontransaction txn(**m_lease);
        const pqxx::result found = txn.exec_params("SELECT id, " + epochUs("first_time") + ", " + epochUs("last_time")
                                                       + " FROM series WHERE name = $1",
                                                   request.series);
        if (found.empty())
            throw NotFound("no series named '" + request.series + "'");
        seriesId = found[0][0].as<std::int32_t>();
        first = optionalUs(found[0][1]);
        last = optionalUs(found[0][2]);
    }
    if (!first) {
        m_done = true;
        end();
        return;
    }
    const timeutil::Micros start = request.start.value_or(*first);
    const timeutil::Micros stop = request.end.value_or(*last + 1);
    if (start >= stop) {
        m_done = true;
        end();
        return;
    }
    const std::string series = std::to_string(seriesId);
    const auto raw = [&](timeutil::Micros from, timeutil::Micros to) {
        // COPY takes no parameters; every value here is a number or a time
        // we formatted ourselves.
        return Source{"COPY (SELECT time, value FROM points WHERE series_id = " + series + " AND time >= '"
                          + sqlTime(from) + "' AND time < '" + sqlTime(to)
                          + "' ORDER BY time) TO STDOUT (FORMAT binary)",
                      1};
    };
    if (request.maxPoints == 0) {
        m_sources.push_back(raw(start, stop));
    } else {
        m_bucketWidth = (stop - start + request.maxPoints - 1) / request.maxPoints;
        m_m4.emplace(start, m_bucketWidth);
        // The widest summary cells of which at least 16 fit in a bucket
        // stand in for the points; a cell astride a bucket edge shifts that
        // edge by at most 1/16 of a bucket. Partial cells at the range's
        // ends are read as points.
        std::int32_t width = 0;
        for (const std::int32_t w : kCellWidths) {
            if (timeutil::Micros(w) * timeutil::kMicrosPerSecond * 16 <= m_bucketWidth)
                width = w;
        }
        const timeutil::Micros span = timeutil::Micros(width) * timeutil::kMicrosPerSecond;
        const timeutil::Micros cellsFrom = width ? Cell::startOf(start + span - 1, width) : 0;
        const timeutil::Micros cellsTo = width ? Cell::startOf(stop, width) : 0;
        if (width && cellsFrom < cellsTo) {
            if (start < cellsFrom)
                m_sources.push_back(raw(start, cellsFrom));
            m_sources.push_back({"COPY (SELECT first_time, first_value, min_time, min_value, max_time, max_value, "
                                 "last_time, last_value FROM rollups WHERE series_id = "
                                     + series + " AND width = " + std::to_string(width) + " AND cell >= '"
                                     + sqlTime(cellsFrom) + "' AND cell < '" + sqlTime(cellsTo)
                                     + "' ORDER BY cell) TO STDOUT (FORMAT binary)",
                                 4});
            if (cellsTo < stop)
                m_sources.push_back(raw(cellsTo, stop));
        } else {
            m_sources.push_back(raw(start, stop));
        }
    }
    startNextSource();
}

bool PointStream::startNextSource()
{
    if (m_nextSource >= m_sources.size())
        return false;
    m_copy.reset();
    const Source &source = m_sources[m_nextSource++];
    m_copy = std::make_unique<CopyOutPoints>((*m_lease)->raw(), source.sql, source.pairsPerRow);
    return true;
}

PointStream::~PointStream()
{
    if (m_lease && !m_done)
        m_lease->discard();
}

void PointStream::end()
{
    if (m_lease && m_inTransaction)
        pqxx::nontransaction(**m_lease).exec0("COMMIT");
    m_lease.reset();
}

} // namespace meterscope::storage
