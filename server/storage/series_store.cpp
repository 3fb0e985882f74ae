#include "storage/series_store.h"

#include "storage/connection.h"
#include "storage/errors.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

namespace meterscope::storage {

namespace {

std::optional<timeutil::Micros> optionalMicros(const pqxx::field &field)
{
    if (field.is_null())
        return std::nullopt;
    return field.as<timeutil::Micros>();
}

} // namespace

std::vector<SeriesSummary> listSeries(Database &db)
{
    Database::Lease lease = db.acquire();
    pqxx::nontransaction txn(*lease);
    const pqxx::result rows = txn.exec("SELECT name, unit, point_count, " + epochMicros("first_time") + ", "
                                       + epochMicros("last_time") + " FROM series ORDER BY name");
    std::vector<SeriesSummary> out;
    out.reserve(rows.size());
    for (const pqxx::row &row : rows)
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                       optionalMicros(row[3]), optionalMicros(row[4])});
    return out;
}

std::pair<std::int32_t, SeriesSummary> findSeries(Database &db, const std::string &name)
{
    Database::Lease lease = db.acquire();
    pqxx::nontransaction txn(*lease);
    const pqxx::result found = txn.exec_params("SELECT id, name, unit, point_count, " + epochMicros("first_time") + ", "
                                                   + epochMicros("last_time") + " FROM series WHERE name = $1",
                                               name);
    if (found.empty())
        throw NotFound("no series named '" + name + "'");
    const pqxx::row row = found[0];
    return {row[0].as<std::int32_t>(),
            {row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::int64_t>(), optionalMicros(row[4]),
             optionalMicros(row[5])}};
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
        const pqxx::result found = txn.exec_params(
            "SELECT id, " + epochMicros("first_time") + ", " + epochMicros("last_time") + " FROM series WHERE name = $1",
            request.series);
        if (found.empty())
            throw NotFound("no series named '" + request.series + "'");
        seriesId = found[0][0].as<std::int32_t>();
        first = optionalMicros(found[0][1]);
        last = optionalMicros(found[0][2]);
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
    if (request.maxPoints > 0) {
        const timeutil::Micros span = stop - start;
        m_bucketWidth = (span + request.maxPoints - 1) / request.maxPoints;
        m_m4.emplace(start, m_bucketWidth);
    }
    // COPY takes no parameters; every value here is a number or a time we
    // formatted ourselves.
    m_copy = std::make_unique<CopyOutPoints>(
        (*m_lease)->raw(), "COPY (SELECT time, value FROM points WHERE series_id = " + std::to_string(seriesId)
                               + " AND time >= '" + sqlTime(start) + "' AND time < '" + sqlTime(stop)
                               + "' ORDER BY time) TO STDOUT (FORMAT binary)");
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
