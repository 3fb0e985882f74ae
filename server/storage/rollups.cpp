#include "storage/rollups.h"

#include "storage/pg_copy.h"
#include "storage/spill.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <bit>
#include <iterator>

namespace meterscope::storage {

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

std::int32_t baseCellWidth(timeutil::Micros typicalInterval)
{
    if (typicalInterval <= 0)
        return 0;
    const timeutil::Micros least = 32 * typicalInterval;
    const auto seconds = std::uint64_t((least + timeutil::kMicrosPerSecond - 1) / timeutil::kMicrosPerSecond);
    return std::int32_t(std::min<std::uint64_t>(std::bit_ceil(seconds), kWidestCell));
}

std::array<std::int32_t, kCellLevels> cellWidths(std::int32_t base)
{
    std::array<std::int32_t, kCellLevels> widths{};
    std::int64_t width = base;
    for (std::int32_t &w : widths) {
        w = width <= kWidestCell ? std::int32_t(width) : 0;
        width *= kLevelFactor;
    }
    return widths;
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

void Cell::append(const Cell &later)
{
    points += later.points;
    if (later.min.value < min.value)
        min = later.min;
    if (later.max.value > max.value)
        max = later.max;
    last = later.last;
}

CellBuilder::CellBuilder(std::int32_t seriesId, std::int32_t base, std::size_t levels)
    : m_seriesId(seriesId)
    , m_levels(std::min(levels, kCellLevels))
    , m_widths(cellWidths(base))
{
}

std::string cellCopySql(const std::string &table)
{
    return "COPY " + table
           + " (series_id, width, cell, points, first_time, first_value, min_time, min_value, max_time, max_value, "
             "last_time, last_value) FROM STDIN (FORMAT binary)";
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

void mergeCells(pqxx::transaction_base &txn, PGconn *conn, const std::vector<Cell> &cells)
{
    if (cells.empty())
        return;
    txn.exec0("CREATE TEMP TABLE cell_merge (LIKE rollups) ON COMMIT DROP");
    {
        CopyIn copy(conn, cellCopySql("cell_merge"));
        for (const Cell &cell : cells)
            writeCell(copy, cell);
        copy.finish();
    }
    // Every expression on the right sees the row as it was.
    txn.exec0(R"(
        INSERT INTO rollups AS r SELECT * FROM cell_merge
        ON CONFLICT (series_id, width, cell) DO UPDATE SET
            points = r.points + EXCLUDED.points,
            first_time = least(r.first_time, EXCLUDED.first_time),
            first_value = CASE WHEN EXCLUDED.first_time < r.first_time THEN EXCLUDED.first_value ELSE r.first_value END,
            min_time = CASE WHEN EXCLUDED.min_value < r.min_value THEN EXCLUDED.min_time ELSE r.min_time END,
            min_value = least(r.min_value, EXCLUDED.min_value),
            max_time = CASE WHEN EXCLUDED.max_value > r.max_value THEN EXCLUDED.max_time ELSE r.max_time END,
            max_value = greatest(r.max_value, EXCLUDED.max_value),
            last_time = greatest(r.last_time, EXCLUDED.last_time),
            last_value = CASE WHEN EXCLUDED.last_time > r.last_time THEN EXCLUDED.last_value ELSE r.last_value END;
        DROP TABLE cell_merge)");
}

namespace {

// SQL: the start of the cell of `width` seconds that holds time `time`.
std::string cellOf(const std::string &time, const std::string &width)
{
    return "to_timestamp(floor(extract(epoch FROM " + time + ") / " + width + ") * " + width + ")";
}

// SQL: the spans as a table s (id, base, first, last); every value is a
// number or a time formatted here.
std::string spanTable(const std::vector<ChangedSpan> &spans)
{
    std::string sql = "(VALUES ";
    for (const ChangedSpan &span : spans) {
        sql += (&span == &spans.front() ? "(" : ", (") + std::to_string(span.seriesId) + ", "
               + std::to_string(span.base) + "::bigint, '" + sqlTime(span.first) + "'::timestamptz, '"
               + sqlTime(span.last) + "'::timestamptz)";
    }
    return sql + ") AS s (id, base, first, last)";
}

// Level 0 of every span, from the points: one read of each span's points,
// one write of all the cells.
void rebuildLevelZero(pqxx::transaction_base &txn, PGconn *conn, const std::vector<ChangedSpan> &spans,
                      const std::string &spanSql)
{
    txn.exec0("DELETE FROM rollups c USING " + spanSql + " WHERE c.series_id = s.id AND c.width = s.base AND c.cell >= "
              + cellOf("s.first", "s.base") + " AND c.cell <= " + cellOf("s.last", "s.base"));
    // Reading and writing cannot overlap on one connection: the cells wait
    // on disk in between.
    CellSpill cells;
    const auto keep = [&](const Cell &cell) { cells.add(cell); };
    for (const ChangedSpan &span : spans) {
        const timeutil::Micros from = Cell::startOf(span.first, span.base);
        const timeutil::Micros to
            = Cell::startOf(span.last, span.base) + timeutil::Micros(span.base) * timeutil::kMicrosPerSecond;
        CellBuilder builder(span.seriesId, span.base, 1);
        CopyOutPoints points(conn, "COPY (SELECT time, value FROM points WHERE series_id = "
                                       + std::to_string(span.seriesId) + " AND time >= '" + sqlTime(from)
                                       + "' AND time < '" + sqlTime(to) + "' ORDER BY time) TO STDOUT (FORMAT binary)");
        timeutil::Micros time;
        double value;
        while (points.read(time, value))
            builder.add(time, value, keep);
        builder.finish(keep);
    }
    CopyIn copy(conn, cellCopySql());
    cells.replay([&](const Cell &cell) { writeCell(copy, cell); });
    copy.finish();
}

// Level `level` (1 and up) of every span, from the level below, in SQL.
void rebuildLevel(pqxx::transaction_base &txn, std::size_t level, const std::string &spanSql)
{
    std::int64_t factor = 1;
    for (std::size_t i = 0; i < level; ++i)
        factor *= kLevelFactor;
    const std::string width = "(s.base * " + std::to_string(factor) + ")";
    const std::string below = "(s.base * " + std::to_string(factor / kLevelFactor) + ")";
    const std::string kept = width + " <= " + std::to_string(kWidestCell);
    txn.exec0("DELETE FROM rollups c USING " + spanSql + " WHERE c.series_id = s.id AND " + kept + " AND c.width = "
              + width + " AND c.cell >= " + cellOf("s.first", width) + " AND c.cell <= " + cellOf("s.last", width));
    txn.exec0(R"(
        INSERT INTO rollups
        SELECT series_id, w, wcell, sum(points),
               (array_agg(first_time ORDER BY cell))[1], (array_agg(first_value ORDER BY cell))[1],
               (array_agg(min_time ORDER BY min_value, min_time))[1], min(min_value),
               (array_agg(max_time ORDER BY max_value DESC, max_time))[1], max(max_value),
               (array_agg(last_time ORDER BY cell DESC))[1], (array_agg(last_value ORDER BY cell DESC))[1]
        FROM (SELECT c.*, )"
              + width + " AS w, " + cellOf("c.cell", width) + " AS wcell FROM rollups c JOIN " + spanSql
              + " ON c.series_id = s.id AND c.width = " + below + " WHERE " + kept
              + " AND c.cell >= " + cellOf("s.first", width) + " AND c.cell < " + cellOf("s.last", width)
              + " + make_interval(secs => " + width + ")) AS c GROUP BY series_id, w, wcell");
}

} // namespace

void rebuildCells(pqxx::transaction_base &txn, PGconn *conn, const std::vector<ChangedSpan> &spans)
{
    std::vector<ChangedSpan> kept;
    std::copy_if(spans.begin(), spans.end(), std::back_inserter(kept),
                 [](const ChangedSpan &span) { return span.base > 0; });
    if (kept.empty())
        return;
    const std::string spanSql = spanTable(kept);
    rebuildLevelZero(txn, conn, kept, spanSql);
    for (std::size_t level = 1; level < kCellLevels; ++level)
        rebuildLevel(txn, level, spanSql);
}

void migrateToCadenceCells(pqxx::transaction_base &txn, PGconn *conn)
{
    txn.exec0("ALTER TABLE series ADD COLUMN cell_width integer; ALTER TABLE series DROP COLUMN cell_floor; "
              "TRUNCATE rollups");
    // The median gap of each series, binned as IntervalSketch does.
    const pqxx::result medians = txn.exec(R"(
        SELECT g.series_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY g.gap), )"
                                          + epochUs("min(s.first_time)") + ", " + epochUs("min(s.last_time)") + R"(
        FROM (SELECT series_id, (extract(epoch FROM time - lag(time) OVER (PARTITION BY series_id ORDER BY time))
                                 * 1000000)::bigint AS gap
              FROM points) AS g JOIN series s ON s.id = g.series_id
        WHERE g.gap > 0 GROUP BY g.series_id)");
    std::vector<ChangedSpan> spans;
    for (const pqxx::row &row : medians) {
        const auto gap = row[1].as<std::int64_t>();
        spans.push_back({row[0].as<std::int32_t>(), baseCellWidth(timeutil::Micros(std::bit_floor(std::uint64_t(gap)))),
                         row[2].as<timeutil::Micros>(), row[3].as<timeutil::Micros>()});
    }
    if (spans.empty())
        return;
    txn.exec0("UPDATE series SET cell_width = s.base FROM " + spanTable(spans) + " WHERE series.id = s.id");
    rebuildCells(txn, conn, spans);
}

} // namespace meterscope::storage
