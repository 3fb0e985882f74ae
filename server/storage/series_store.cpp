#include "storage/series_store.h"

#include "storage/errors.h"
#include "storage/pg_connection.h"
#include "storage/rollups.h"
#include "storage/sql_arrays.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

namespace meterscope::storage {

namespace {
// Measured with tst_m4_fidelity (1-second and 15-minute data, 50 to 1920
// px): 16 keep the line within 0.03% of the pixels drawn from every point;
// 8 lost 0.14% (50 px, 1-second data), 4 up to 0.14% on both.
constexpr timeutil::Micros kCellsPerBucket = 16;
} // namespace

std::string summaryColumns()
{
    // A series' kind is decided by the import that creates it, inside its
    // transaction.
    return "name, unit, point_count, " + epochUs("first_time") + ", " + epochUs("last_time")
           + ", coalesce(kind, 'interval'), gap_threshold_us";
}

SeriesSummary summaryFrom(const pqxx::row &row, pqxx::row::size_type at)
{
    SeriesSummary summary;
    summary.name = row[at].as<std::string>();
    summary.unit = row[at + 1].as<std::string>();
    summary.points = row[at + 2].as<std::int64_t>();
    summary.first = optionalUs(row[at + 3]);
    summary.last = optionalUs(row[at + 4]);
    summary.kind = kindByName(row[at + 5].as<std::string>()).value_or(SeriesKind::Interval);
    summary.gapThreshold = optionalUs(row[at + 6]);
    return summary;
}

std::vector<SeriesSummary> listSeries(Database &db, const std::string &after, std::size_t limit)
{
    Database::Lease lease = db.acquire();
    pqxx::nontransaction txn(*lease);
    // Names compare byte by byte, as the page tokens do.
    const pqxx::result rows = txn.exec_params("SELECT " + summaryColumns()
                                                  + " FROM series WHERE name COLLATE \"C\" > $1"
                                                    " ORDER BY name COLLATE \"C\" LIMIT $2",
                                              after, limit ? std::int64_t(limit) : std::int64_t(INT64_MAX));
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
    : m_db(db)
    , m_snapshots(request.snapshots)
{
    checkRange(request.start, request.end);
    // Bounds beyond what a query can name mean no bound (a start of int64
    // min reads from the first point); inverted ones read nothing.
    if (request.start && *request.start <= kEarliestTime)
        request.start.reset();
    if (request.end && *request.end >= kLatestTime)
        request.end.reset();
    if (request.start)
        request.start = std::min(*request.start, kLatestTime);
    if (request.end)
        request.end = std::max(*request.end, kEarliestTime);
    std::optional<timeutil::Micros> first, last;
    std::string snapshot;
    std::int32_t cellWidth = 0;
    std::int64_t pointCount = 0;
    {
        Database::Lease lease = db.acquire();
        pqxx::nontransaction txn(*lease);
        const pqxx::result found = txn.exec_params(
            "SELECT id, " + epochUs("first_time") + ", " + epochUs("last_time")
                + ", pg_current_snapshot()::text, coalesce(cell_width, 0), point_count FROM series WHERE name = $1",
            request.series);
        if (found.empty())
            throw NotFound("no series named '" + request.series + "'");
        m_seriesId = found[0][0].as<std::int32_t>();
        first = optionalUs(found[0][1]);
        last = optionalUs(found[0][2]);
        snapshot = found[0][3].as<std::string>();
        cellWidth = found[0][4].as<std::int32_t>();
        pointCount = found[0][5].as<std::int64_t>();
    }
    const timeutil::Micros start = first ? request.start.value_or(*first) : 0;
    const timeutil::Micros stop = first ? request.end.value_or(*last + 1) : 0;
    if (start >= stop) {
        // Nothing to read: what the look-up saw is what was read.
        if (m_snapshots)
            m_snapshots->add(std::nullopt, Snapshot(snapshot));
        m_done = true;
        return;
    }
    // A range that holds no more points than M4 could send (four a bucket)
    // comes whole: raw and exact, and bucketWidth() says so.
    if (request.maxPoints > 0 && rawFits(pointCount, start, stop, 4 * std::int64_t(request.maxPoints)))
        request.maxPoints = 0;
    if (request.maxPoints == 0) {
        // Without an end, points committed after the look-up come too.
        m_sources.push_back({0, start, request.end});
        return;
    }
    // Buckets are as wide as asked (a pixel column each), from the range's
    // start. Summary cells stand in for the points: the widest of which at
    // least kCellsPerBucket fit in a bucket. A cell astride a bucket edge
    // gives its four points to the buckets their times fall in, and the
    // stored points just before and after the edge are read too, so each
    // bucket has its true first and last point; only extremes of the parts
    // of such a cell that are not the cell's own are lost. Partial cells at
    // the range's ends are read as points.
    m_bucketWidth = (stop - start + request.maxPoints - 1) / request.maxPoints;
    m_m4.emplace(start, m_bucketWidth);
    std::int32_t width = 0;
    for (const std::int32_t w : cellWidths(cellWidth)) {
        if (w > 0 && timeutil::Micros(w) * timeutil::kMicrosPerSecond <= m_bucketWidth / kCellsPerBucket)
            width = w;
    }
    const timeutil::Micros span = timeutil::Micros(width) * timeutil::kMicrosPerSecond;
    const timeutil::Micros cellsFrom = width ? Cell::startOf(start + span - 1, width) : 0;
    const timeutil::Micros cellsTo = width ? Cell::startOf(stop, width) : 0;
    if (width && cellsFrom < cellsTo) {
        if (start < cellsFrom)
            m_sources.push_back({0, start, cellsFrom});
        m_sources.push_back({width, cellsFrom, cellsTo});
        if (cellsTo < stop)
            m_sources.push_back({0, cellsTo, stop});
        readEdgePoints(width, cellsFrom, cellsTo);
    } else {
        m_sources.push_back({0, start, stop});
    }
}

void PointStream::readEdgePoints(std::int32_t width, timeutil::Micros from, timeutil::Micros to)
{
    const timeutil::Micros origin = m_m4->start();
    std::vector<timeutil::Micros> edges;
    for (timeutil::Micros edge = origin + ((from - origin) / m_bucketWidth + 1) * m_bucketWidth; edge < to;
         edge += m_bucketWidth) {
        if (Cell::startOf(edge, width) != edge)
            edges.push_back(edge);
    }
    if (edges.empty())
        return;
    Database::Lease lease = m_db.acquire();
    pqxx::read_transaction txn(*lease);
    txn.exec0("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
    const pqxx::result found = txn.exec_params(
        "SELECT DISTINCT " + epochUs("p.time")
            + " AS t, p.value FROM unnest($2::timestamptz[]) AS e (edge) "
              "CROSS JOIN LATERAL ((SELECT time, value FROM points WHERE series_id = $1 AND time >= e.edge "
              "ORDER BY time LIMIT 1) UNION ALL (SELECT time, value FROM points WHERE series_id = $1 AND time < e.edge "
              "ORDER BY time DESC LIMIT 1)) AS p ORDER BY t",
        m_seriesId, timeArray(edges));
    txn.commit();
    for (const pqxx::row &row : found) {
        const auto time = row[0].as<timeutil::Micros>();
        if (time >= from && time < to)
            m_edgePoints.emplace_back(time, row[1].as<double>());
    }
}

void PointStream::reduce(timeutil::Micros time, double value)
{
    for (; m_edgeNext < m_edgePoints.size() && m_edgePoints[m_edgeNext].first <= time; ++m_edgeNext) {
        if (m_edgePoints[m_edgeNext].first < time)
            m_m4->add(m_edgePoints[m_edgeNext].first, m_edgePoints[m_edgeNext].second);
    }
    m_m4->add(time, value);
}

bool PointStream::rawFits(std::int64_t pointCount, timeutil::Micros start, timeutil::Micros stop,
                          std::int64_t limit) const
{
    if (pointCount <= limit)
        return true;
    Database::Lease lease = m_db.acquire();
    pqxx::read_transaction txn(*lease);
    // Right after a large import, without statistics, the planner would
    // rather scan the table (see readPage()).
    txn.exec0("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
    const std::int64_t found
        = txn.exec_params1("SELECT count(*) FROM (SELECT 1 FROM points WHERE series_id = $1 AND time >= $2::timestamptz"
                           " AND time < $3::timestamptz LIMIT $4) AS range",
                           m_seriesId, sqlTime(start), sqlTime(stop), limit + 1)[0]
              .as<std::int64_t>();
    txn.commit();
    return found <= limit;
}

bool PointStream::readPage(std::size_t rows, const std::function<void(timeutil::Micros, double)> &emit)
{
    if (m_current >= m_sources.size())
        return false;
    Source &source = m_sources[m_current];
    // COPY takes no parameters; every value here is a number or a time we
    // formatted ourselves.
    const std::string series = std::to_string(m_seriesId);
    std::string sql;
    if (source.width == 0) {
        sql = "COPY (SELECT time, value FROM points WHERE series_id = " + series + " AND time >= '"
              + sqlTime(source.from) + (source.to ? "' AND time < '" + sqlTime(*source.to) : "")
              + "' ORDER BY time LIMIT " + std::to_string(rows) + ") TO STDOUT (FORMAT binary)";
    } else {
        sql = "COPY (SELECT first_time, first_value, min_time, min_value, max_time, max_value, last_time, last_value "
              "FROM rollups WHERE series_id = "
              + series + " AND width = " + std::to_string(source.width) + " AND cell >= '" + sqlTime(source.from)
              + "' AND cell < '" + sqlTime(*source.to) + "' ORDER BY cell LIMIT " + std::to_string(rows)
              + ") TO STDOUT (FORMAT binary)";
    }
    // A page is a short walk along the index. Without statistics (right
    // after a large import) the planner would rather sort all the rest of
    // the series for every page: 0.5 s a page instead of 30 ms. Without a
    // snapshot to take, the page is one round trip.
    const std::string begin
        = std::string(m_snapshots ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN READ ONLY")
          + "; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; ";
    Database::Lease lease = m_db.acquire();
    std::optional<Snapshot> snapshot;
    if (m_snapshots) {
        pqxx::nontransaction txn(*lease);
        txn.exec0(begin);
        snapshot = Snapshot(txn.exec1("SELECT pg_current_snapshot()::text")[0].as<std::string>());
    }
    std::optional<timeutil::Micros> lastTime;
    std::uint64_t read = 0;
    try {
        CopyOutPoints copy(lease->raw(), (m_snapshots ? std::string() : begin) + sql + "; COMMIT",
                           source.width ? 4 : 1);
        timeutil::Micros time;
        double value;
        while (copy.read(time, value)) {
            emit(time, value);
            lastTime = time;
        }
        read = copy.rows();
    } catch (...) {
        lease.discard();
        throw;
    }
    // The next page starts after the last point read: for cells too, as the
    // next cell starts after every point of this one.
    const bool exhausted = read < rows;
    if (!exhausted)
        source.from = *lastTime + 1;
    if (snapshot)
        m_snapshots->add(exhausted ? (source.to ? std::optional(*source.to - 1) : std::nullopt) : lastTime,
                         std::move(*snapshot));
    if (exhausted)
        ++m_current;
    return true;
}

} // namespace meterscope::storage
