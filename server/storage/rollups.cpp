#include "storage/rollups.h"

#include "storage/pg_copy.h"
#include "storage/spill.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <bit>

namespace meterscope::storage {

namespace {
constexpr timeutil::Micros kWidest = timeutil::Micros(kCellWidths.back()) * timeutil::kMicrosPerSecond;
} // namespace

const char *const kRollupsMigration = R"(
    -- M4 summaries of the points in cells of 16, 256 and 4096 seconds, so a
    -- chart of millions of points reads thousands of rows.
    CREATE TABLE rollups (
        series_id integer NOT NULL,
        width integer NOT NULL,
        cell timestamptz NOT NULL,
        points integer NOT NULL,
        first_time timestamptz NOT NULL,
        first_value double precision NOT NULL,
        min_time timestamptz NOT NULL,
        min_value double precision NOT NULL,
        max_time timestamptz NOT NULL,
        max_value double precision NOT NULL,
        last_time timestamptz NOT NULL,
        last_value double precision NOT NULL,
        PRIMARY KEY (series_id, width, cell)
    );
    INSERT INTO rollups
    SELECT series_id, width, cell, count(*),
           (array_agg(time ORDER BY time))[1], (array_agg(value ORDER BY time))[1],
           (array_agg(time ORDER BY value, time))[1], (array_agg(value ORDER BY value, time))[1],
           (array_agg(time ORDER BY value DESC, time))[1], (array_agg(value ORDER BY value DESC, time))[1],
           (array_agg(time ORDER BY time DESC))[1], (array_agg(value ORDER BY time DESC))[1]
    FROM (SELECT p.series_id, w.width, p.time, p.value,
                 to_timestamp(floor(extract(epoch FROM p.time) / w.width) * w.width) AS cell
          FROM points p CROSS JOIN (VALUES (16), (256), (4096)) AS w (width)) AS p
    GROUP BY series_id, width, cell;
)";

const char *const kCellFloorMigration = R"(
    -- The narrowest summary cells each series keeps; NULL until its first
    -- import decides. The series stored before keep every width.
    ALTER TABLE series ADD COLUMN cell_floor integer;
    UPDATE series SET cell_floor = 0;
)";

std::int32_t cellFloor(timeutil::Micros typicalInterval)
{
    const timeutil::Micros floor = 8 * typicalInterval;
    return std::int32_t(std::min<timeutil::Micros>(
        (floor + timeutil::kMicrosPerSecond - 1) / timeutil::kMicrosPerSecond, kCellWidths.back() + 1));
}

void IntervalSketch::add(timeutil::Micros gap)
{
    if (gap <= 0)
        return;
    ++m_bins[std::size_t(std::bit_width(std::uint64_t(gap)) - 1)];
    ++m_count;
}

timeutil::Micros IntervalSketch::typical() const
{
    std::uint64_t seen = 0;
    for (std::size_t bin = 0; bin < m_bins.size(); ++bin) {
        seen += m_bins[bin];
        if (m_count && 2 * seen >= m_count)
            return timeutil::Micros(1) << bin;
    }
    return 0;
}

timeutil::Micros Cell::startOf(timeutil::Micros time, std::int32_t width)
{
    const timeutil::Micros span = timeutil::Micros(width) * timeutil::kMicrosPerSecond;
    const timeutil::Micros rest = time % span;
    return time - (rest < 0 ? rest + span : rest);
}

void CellSpill::add(const Cell &cell)
{
    const auto level = std::size_t(std::find(kCellWidths.begin(), kCellWidths.end(), cell.width) - kCellWidths.begin());
    m_spills[level].add(cell);
}

std::string cellCopySql()
{
    return "COPY rollups (series_id, width, cell, points, first_time, first_value, min_time, min_value, max_time, "
           "max_value, last_time, last_value) FROM STDIN (FORMAT binary)";
}

void writeCell(CopyIn &copy, const Cell &cell)
{
    copy.beginRow(12);
    copy.addInt4(cell.seriesId);
    copy.addInt4(cell.width);
    copy.addTimestamp(cell.start);
    copy.addInt4(cell.points);
    for (const CellPoint &p : {cell.first, cell.min, cell.max, cell.last}) {
        copy.addTimestamp(p.time);
        copy.addFloat8(p.value);
    }
    copy.flushIfFull();
}

void mergeCell(pqxx::transaction_base &txn, const Cell &c)
{
    // Every expression on the right sees the row as it was.
    txn.exec_params0(R"(
        INSERT INTO rollups AS r VALUES ($1, $2, $3::timestamptz, $4, $5::timestamptz, $6, $7::timestamptz, $8,
                                         $9::timestamptz, $10, $11::timestamptz, $12)
        ON CONFLICT (series_id, width, cell) DO UPDATE SET
            points = r.points + EXCLUDED.points,
            first_time = least(r.first_time, EXCLUDED.first_time),
            first_value = CASE WHEN EXCLUDED.first_time < r.first_time THEN EXCLUDED.first_value ELSE r.first_value END,
            min_time = CASE WHEN EXCLUDED.min_value < r.min_value THEN EXCLUDED.min_time ELSE r.min_time END,
            min_value = least(r.min_value, EXCLUDED.min_value),
            max_time = CASE WHEN EXCLUDED.max_value > r.max_value THEN EXCLUDED.max_time ELSE r.max_time END,
            max_value = greatest(r.max_value, EXCLUDED.max_value),
            last_time = greatest(r.last_time, EXCLUDED.last_time),
            last_value = CASE WHEN EXCLUDED.last_time > r.last_time THEN EXCLUDED.last_value ELSE r.last_value END)",
                     c.seriesId, c.width, sqlTime(c.start), c.points, sqlTime(c.first.time), c.first.value,
                     sqlTime(c.min.time), c.min.value, sqlTime(c.max.time), c.max.value, sqlTime(c.last.time),
                     c.last.value);
}

void rebuildCells(pqxx::transaction_base &txn, PGconn *conn, std::int32_t seriesId, std::int32_t floor,
                  timeutil::Micros first, timeutil::Micros last)
{
    const timeutil::Micros from = Cell::startOf(first, kCellWidths.back());
    const timeutil::Micros to = Cell::startOf(last, kCellWidths.back()) + kWidest;
    txn.exec_params0("DELETE FROM rollups WHERE series_id = $1 AND cell >= $2::timestamptz AND cell < $3::timestamptz",
                     seriesId, sqlTime(from), sqlTime(to));
    // Reading and writing cannot overlap on one connection: the cells wait
    // on disk in between.
    CellSpill cells;
    CellBuilder builder(seriesId, floor);
    {
        CopyOutPoints points(conn, "COPY (SELECT time, value FROM points WHERE series_id = " + std::to_string(seriesId)
                                       + " AND time >= '" + sqlTime(from) + "' AND time < '" + sqlTime(to)
                                       + "' ORDER BY time) TO STDOUT (FORMAT binary)");
        timeutil::Micros time;
        double value;
        const auto keep = [&](const Cell &cell) { cells.add(cell); };
        while (points.read(time, value))
            builder.add(time, value, keep);
        builder.finish(keep);
    }
    CopyIn copy(conn, cellCopySql());
    cells.replay([&](const Cell &cell) { writeCell(copy, cell); });
    copy.finish();
}

} // namespace meterscope::storage
