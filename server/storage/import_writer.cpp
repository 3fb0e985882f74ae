#include "storage/import_writer.h"

#include "logging/log.h"
#include "storage/change_feed.h"
#include "storage/errors.h"
#include "storage/pg_connection.h"
#include "storage/pg_copy.h"
#include "storage/rollups.h"
#include "storage/series_store.h"
#include "storage/spill.h"
#include "storage/sql_arrays.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_map>

namespace meterscope::storage {

namespace {

// Rows sorted by series at a time before they are written (8 MiB).
constexpr std::size_t kSortedRows = 256 * 1024;

std::optional<StoredImport> readImport(pqxx::transaction_base &txn, const std::string &importId)
{
    const pqxx::result saved
        = txn.exec_params("SELECT file_name, content_sha256, report FROM imports WHERE import_id = $1", importId);
    if (saved.empty())
        return std::nullopt;
    StoredImport out;
    out.fileName = saved[0][0].as<std::string>();
    if (!saved[0][1].is_null())
        out.contentHash = pqxx::binarystring(saved[0][1]).str();
    if (!saved[0][2].is_null())
        out.report = pqxx::binarystring(saved[0][2]).str();
    return out;
}

} // namespace

std::optional<StoredImport> findImport(Database &db, const std::string &importId, std::chrono::milliseconds wait)
{
    Database::Lease lease = db.acquire();
    pqxx::work txn(*lease, "find-import");
    txn.exec0("SET LOCAL lock_timeout = " + std::to_string(wait.count()));
    // Inserting the id waits for an import holding it uncommitted; rolled
    // back, it leaves nothing behind.
    try {
        const pqxx::result inserted = txn.exec_params(
            "INSERT INTO imports (import_id, file_name) VALUES ($1, '') ON CONFLICT (import_id) DO NOTHING", importId);
        if (inserted.affected_rows() == 1)
            return std::nullopt;
    } catch (const pqxx::sql_error &e) {
        if (e.sqlstate() == "55P03")
            throw Unavailable("an import with this id is still being committed; ask again shortly");
        throw;
    }
    return readImport(txn, importId);
}

ImportWriter::ImportWriter(Database &db)
    : m_db(db)
{
}

ImportWriter::~ImportWriter()
{
    m_txn.reset();
}

void ImportWriter::begin()
{
    if (m_txn)
        return;
    m_lease.emplace(m_db.acquire());
    m_txn = std::make_unique<pqxx::work>(**m_lease, "import");
    // Rows merged into compressed chunks decompress their batches first;
    // TimescaleDB's default cap on that fails large imports (#13).
    if (m_db.timescale())
        m_txn->exec0("SET LOCAL timescaledb.max_tuples_decompressed_per_dml_transaction = 0");
}

std::optional<StoredImport> ImportWriter::claim(const std::string &importId, const std::string &fileName,
                                                const std::string &contentHash)
{
    begin();
    const pqxx::result inserted
        = m_txn->exec_params("INSERT INTO imports (import_id, file_name, content_sha256) VALUES ($1, $2, $3) "
                             "ON CONFLICT (import_id) DO NOTHING",
                             importId, fileName, pqxx::binarystring(contentHash.data(), contentHash.size()));
    if (inserted.affected_rows() == 1)
        return std::nullopt;
    return readImport(*m_txn, importId);
}

void ImportWriter::setColumns(const std::vector<std::string> &seriesNames, const std::vector<std::string> &units)
{
    for (std::size_t i = 0; i < seriesNames.size(); ++i) {
        Column column;
        column.name = seriesNames[i];
        if (i < units.size())
            column.unit = units[i];
        m_columns.push_back(std::move(column));
    }
    if (!m_spill)
        m_spill = std::make_unique<Spill<SpilledRow>>();
}

void ImportWriter::add(std::size_t index, timeutil::Micros time, double value, std::uint64_t line)
{
    Column &column = m_columns[index];
    if (column.rows == 0) {
        column.first = column.last = time;
    } else {
        if (time <= column.previous)
            column.monotonic = false;
        column.gaps.add(time - column.previous);
        column.first = std::min(column.first, time);
        column.last = std::max(column.last, time);
    }
    column.previous = time;
    column.kind.add(value);
    ++column.rows;
    m_spill->add({std::uint32_t(index), time, value, line});
}

void ImportWriter::resolveSeries()
{
    // Three statements for any number of series. Created in name order and
    // locked in id order, so that imports of the same series never wait on
    // each other in a circle.
    std::vector<std::string> names;
    for (const Column &column : m_columns)
        names.push_back(column.name);
    const std::string nameArray = textArray(names);
    m_txn->exec_params0("INSERT INTO series (name) SELECT n FROM unnest($1::text[]) AS n ORDER BY n "
                        "ON CONFLICT (name) DO NOTHING",
                        nameArray);
    std::map<std::string, Column *> byName;
    for (Column &column : m_columns)
        byName[column.name] = &column;
    for (const pqxx::row &row :
         m_txn->exec_params("SELECT name, id FROM series WHERE name = ANY($1::text[])", nameArray))
        byName.at(row[0].as<std::string>())->seriesId = row[1].as<std::int32_t>();
    std::vector<std::int32_t> ids;
    for (const Column &column : m_columns)
        ids.push_back(column.seriesId);
    std::sort(ids.begin(), ids.end());
    m_txn->exec_params("SELECT pg_advisory_xact_lock(1, id) FROM unnest($1::integer[]) WITH ORDINALITY AS u (id, n) "
                       "ORDER BY n",
                       idArray(ids));
    // Read after the lock: what an import of the same series committed
    // while we waited counts.
    const pqxx::result stored = m_txn->exec_params(
        "SELECT id, " + epochUs("last_time") + ", cell_width, kind IS NULL FROM series WHERE id = ANY($1::integer[])",
        idArray(ids));
    std::map<std::int32_t, Column *> byId;
    for (Column &column : m_columns)
        byId[column.seriesId] = &column;
    std::vector<std::int32_t> decidedIds, decidedWidths, newIds;
    std::vector<std::string> newKinds, newUnits;
    for (const pqxx::row &row : stored) {
        Column &column = *byId.at(row[0].as<std::int32_t>());
        column.stored = optionalUs(row[1]);
        if (row[3].as<bool>()) {
            // Created by this import: its kind from its readings (in time
            // order only), its unit from the file.
            newIds.push_back(column.seriesId);
            newKinds.emplace_back(kindName(classifyKind(column.monotonic ? column.kind : KindSketch{}, column.unit)));
            newUnits.push_back(column.unit);
        }
        if (!row[2].is_null()) {
            column.cellWidth = row[2].as<std::int32_t>();
            continue;
        }
        // Undecided, the series holds at most one distinct time: its gap to
        // this import counts too.
        if (column.stored && column.rows > 0)
            column.gaps.add(column.first > *column.stored ? column.first - *column.stored
                                                          : *column.stored - column.last);
        column.cellWidth = baseCellWidth(column.gaps.typical());
        if (column.cellWidth > 0) {
            column.cellsFromPoints = column.stored.has_value();
            decidedIds.push_back(column.seriesId);
            decidedWidths.push_back(column.cellWidth);
        }
    }
    if (!newIds.empty()) {
        m_txn->exec_params0("UPDATE series SET kind = n.kind, unit = n.unit FROM unnest($1::integer[], $2::text[], "
                            "$3::text[]) AS n (id, kind, unit) WHERE series.id = n.id",
                            idArray(newIds), textArray(newKinds), textArray(newUnits));
    }
    if (!decidedIds.empty()) {
        m_txn->exec_params0("UPDATE series SET cell_width = d.width FROM unnest($1::integer[], $2::integer[]) AS d "
                            "(id, width) WHERE series.id = d.id",
                            idArray(decidedIds), idArray(decidedWidths));
    }
}

bool ImportWriter::appendsOnly() const
{
    return std::all_of(m_columns.begin(), m_columns.end(), [](const Column &c) {
        return c.rows == 0 || (c.monotonic && (!c.stored || c.first > *c.stored));
    });
}

MergeResult ImportWriter::merge(std::size_t maxListed)
{
    MergeResult result;
    if (!m_spill)
        return result;
    const auto started = std::chrono::steady_clock::now();
    const auto elapsedMs = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    };
    begin();
    resolveSeries();
    const bool direct = appendsOnly();
    if (direct) {
        copyDirect();
        for (Column &column : m_columns) {
            column.inserted = column.rows;
            column.changedFirst = column.insertedFirst = column.first;
            column.changedLast = column.insertedLast = column.last;
        }
        rebuildChangedCells(false);
        MS_LOG(Debug) << "import: copied straight into points with summaries in " << elapsedMs() << " ms";
    } else {
        copyStaging();
        MS_LOG(Debug) << "import: staging complete after " << elapsedMs() << " ms";
        const bool monotonic
            = std::all_of(m_columns.begin(), m_columns.end(), [](const Column &c) { return c.monotonic; });
        if (!monotonic)
            result.duplicates = findDuplicates(maxListed, result.rowsDuplicate);

        // Time-ordered rows that land where the series has no points (a
        // gap, or before the first) need no conflict handling either.
        bool append = monotonic;
        for (const Column &column : m_columns) {
            if (!append || column.rows == 0)
                continue;
            const pqxx::row overlap = m_txn->exec_params1(
                R"(SELECT EXISTS (SELECT 1 FROM points
                                  WHERE series_id = $1 AND time BETWEEN $2::timestamptz AND $3::timestamptz))",
                column.seriesId, sqlTime(column.first), sqlTime(column.last));
            append = !overlap[0].as<bool>();
        }
        if (append)
            mergeAppend();
        else
            mergeUpsert(result.rowsDuplicate > 0);
        rebuildChangedCells(true);
        MS_LOG(Debug) << "import: merged with summaries after " << elapsedMs() << " ms";
    }
    updateSeries(result);
    return result;
}

void ImportWriter::copyRows(bool direct, const std::function<void(const SpilledRow &)> &each)
{
    CopyIn copy((*m_lease)->raw(),
                direct ? "COPY points (series_id, time, value) FROM STDIN (FORMAT binary)"
                       : "COPY import_staging (series_id, time, value, line) FROM STDIN (FORMAT binary)");
    const auto write = [&](const SpilledRow &row) {
        copy.beginRow(direct ? 3 : 4);
        copy.addInt4(m_columns[row.column].seriesId);
        copy.addTimestamp(row.time);
        copy.addFloat8(row.value);
        if (!direct)
            copy.addInt8(std::int64_t(row.line));
        copy.flushIfFull();
        if (each)
            each(row);
    };
    if (!direct || m_columns.size() == 1) {
        m_spill->replay(write);
    } else {
        // The rows of a file of many series come a time at a time, each to
        // its own place in the primary key's index: written series by series
        // within chunks, the index takes them in runs, as \copy of rows
        // grouped by series does. Each
        // series' rows stay in time order: the direct path is only taken for
        // rows in time order.
        std::vector<SpilledRow> chunk;
        chunk.reserve(kSortedRows);
        const auto drain = [&] {
            std::stable_sort(chunk.begin(), chunk.end(),
                             [](const SpilledRow &a, const SpilledRow &b) { return a.column < b.column; });
            for (const SpilledRow &row : chunk)
                write(row);
            chunk.clear();
        };
        m_spill->replay([&](const SpilledRow &row) {
            chunk.push_back(row);
            if (chunk.size() == kSortedRows)
                drain();
        });
        drain();
    }
    copy.finish();
}

void ImportWriter::copyDirect()
{
    std::vector<CellBuilder> builders;
    for (const Column &column : m_columns)
        builders.emplace_back(column.seriesId, column.cellsFromPoints ? 0 : column.cellWidth);
    CellSpill cells;
    copyRows(true, [&](const SpilledRow &row) {
        builders[row.column].add(row.time, row.value, [&](const Cell &cell) { cells.add(cell); });
    });
    writeCells(cells, builders);
}

void ImportWriter::copyStaging()
{
    m_txn->exec0(R"(CREATE TEMP TABLE import_staging (
                        series_id integer NOT NULL,
                        time timestamptz NOT NULL,
                        value double precision NOT NULL,
                        line bigint NOT NULL
                    ) ON COMMIT DROP)");
    copyRows(false, {});
}

void ImportWriter::writeCells(CellSpill &cells, std::vector<CellBuilder> &builders)
{
    const auto keep = [&](const Cell &cell) { cells.add(cell); };
    for (CellBuilder &builder : builders)
        builder.finish(keep);
    // Rows are appended after what each series stored, so only a cell that
    // starts by its last stored time (the first of its level) can share its
    // span with stored points: those are merged, every other one is new.
    std::unordered_map<std::int32_t, timeutil::Micros> storedLast;
    for (const Column &column : m_columns) {
        if (column.stored)
            storedLast.emplace(column.seriesId, *column.stored);
    }
    std::vector<Cell> shared;
    CopyIn copy((*m_lease)->raw(), cellCopySql());
    cells.replay([&](const Cell &cell) {
        const auto found = storedLast.find(cell.seriesId);
        if (found != storedLast.end() && cell.start <= found->second)
            shared.push_back(cell);
        else
            writeCell(copy, cell);
    });
    copy.finish();
    mergeCells(*m_txn, (*m_lease)->raw(), shared);
}

void ImportWriter::rebuildChangedCells(bool all)
{
    std::vector<ChangedSpan> spans;
    for (const Column &column : m_columns) {
        if (column.inserted + column.updated == 0 || !(all || column.cellsFromPoints))
            continue;
        ChangedSpan span{column.seriesId, column.cellWidth, column.changedFirst, column.changedLast};
        if (column.cellsFromPoints) {
            span.first = std::min(span.first, *column.stored);
            span.last = std::max(span.last, *column.stored);
        }
        spans.push_back(span);
    }
    rebuildCells(*m_txn, (*m_lease)->raw(), spans);
}

void ImportWriter::updateSeries(MergeResult &result)
{
    std::uint64_t staged = 0;
    for (const Column &column : m_columns) {
        staged += column.rows;
        result.rowsNew += column.inserted;
        result.rowsUpdated += column.updated;
        if (column.inserted == 0)
            continue;
        m_txn->exec_params0(R"(UPDATE series SET point_count = point_count + $2,
                                   first_time = least(first_time, $3::timestamptz),
                                   last_time = greatest(last_time, $4::timestamptz)
                               WHERE id = $1)",
                            column.seriesId, column.inserted, sqlTime(column.insertedFirst),
                            sqlTime(column.insertedLast));
    }
    result.rowsUnchanged = staged - result.rowsDuplicate - result.rowsNew - result.rowsUpdated;
}

void ImportWriter::mergeAppend()
{
    // Several columns arrive interleaved; storing each series contiguously
    // keeps later range reads sequential.
    const char *order = m_columns.size() > 1 ? " ORDER BY series_id, time" : "";
    m_txn->exec0(std::string("INSERT INTO points (series_id, time, value) "
                             "SELECT series_id, time, value FROM import_staging")
                 + order);
    for (Column &column : m_columns) {
        column.inserted = column.rows;
        column.changedFirst = column.insertedFirst = column.first;
        column.changedLast = column.insertedLast = column.last;
    }
}

void ImportWriter::mergeUpsert(bool deduplicate)
{
    // The later line wins among duplicates: keep the highest line number.
    const std::string source = deduplicate
                                   ? "SELECT DISTINCT ON (series_id, time) series_id, time, value FROM import_staging "
                                     "ORDER BY series_id, time, line DESC"
                                   : "SELECT series_id, time, value FROM import_staging";
    const pqxx::result changed = m_txn->exec(
        "WITH src AS (" + source + R"(),
         changed AS (
             INSERT INTO points AS p (series_id, time, value)
             SELECT series_id, time, value FROM src
             ON CONFLICT (series_id, time) DO UPDATE SET value = EXCLUDED.value
                 WHERE p.value IS DISTINCT FROM EXCLUDED.value
             RETURNING p.series_id, p.time, (p.xmax = 0) AS inserted)
         SELECT series_id,
                count(*) FILTER (WHERE inserted),
                count(*) FILTER (WHERE NOT inserted), )"
        + epochUs("min(time)") + ", " + epochUs("max(time)") + ", " + epochUs("min(time) FILTER (WHERE inserted)")
        + ", " + epochUs("max(time) FILTER (WHERE inserted)") + " FROM changed GROUP BY series_id");
    for (const pqxx::row &row : changed) {
        const auto id = row[0].as<std::int32_t>();
        for (Column &column : m_columns) {
            if (column.seriesId != id)
                continue;
            column.inserted = row[1].as<std::uint64_t>();
            column.updated = row[2].as<std::uint64_t>();
            column.changedFirst = row[3].as<timeutil::Micros>();
            column.changedLast = row[4].as<timeutil::Micros>();
            column.insertedFirst = optionalUs(row[5]).value_or(0);
            column.insertedLast = optionalUs(row[6]).value_or(0);
        }
    }
}

std::vector<Duplicate> ImportWriter::findDuplicates(std::size_t maxListed, std::uint64_t &total)
{
    std::vector<std::int32_t> ids;
    for (const Column &column : m_columns) {
        if (!column.monotonic)
            ids.push_back(column.seriesId);
    }
    const pqxx::result groups = m_txn->exec_params(
        R"(WITH d AS (
               SELECT series_id, time, array_agg(line ORDER BY line) AS lines
               FROM import_staging WHERE series_id = ANY($1::integer[])
               GROUP BY series_id, time HAVING count(*) > 1)
           SELECT series_id, )"
            + epochUs("time") + R"(, array_to_string(lines, ','),
                  sum(cardinality(lines) - 1) OVER ()
           FROM d ORDER BY lines[1] LIMIT $2)",
        idArray(ids), maxListed);
    total = groups.empty() ? 0 : groups[0][3].as<std::uint64_t>();
    std::vector<Duplicate> out;
    for (const pqxx::row &row : groups) {
        const auto id = row[0].as<std::int32_t>();
        const auto column = std::size_t(
            std::find_if(m_columns.begin(), m_columns.end(), [&](const Column &c) { return c.seriesId == id; })
            - m_columns.begin());
        const std::string lines = row[2].as<std::string>();
        std::vector<std::uint64_t> numbers;
        for (const char *p = lines.data(), *end = p + lines.size(); p < end;) {
            std::uint64_t n = 0;
            p = std::from_chars(p, end, n).ptr + 1;
            numbers.push_back(n);
        }
        for (std::size_t i = 1; i < numbers.size() && out.size() < maxListed; ++i)
            out.push_back({column, row[1].as<timeutil::Micros>(), numbers[i - 1], numbers[i]});
    }
    std::sort(out.begin(), out.end(), [](const Duplicate &a, const Duplicate &b) { return a.laterLine < b.laterLine; });
    return out;
}

std::vector<SeriesSummary> ImportWriter::summaries()
{
    if (m_columns.empty())
        return {};
    std::vector<std::int32_t> ids;
    for (const Column &column : m_columns)
        ids.push_back(column.seriesId);
    const pqxx::result rows = m_txn->exec_params(
        "SELECT " + summaryColumns() + " FROM series WHERE id = ANY($1::integer[]) ORDER BY name", idArray(ids));
    std::vector<SeriesSummary> out;
    for (const pqxx::row &row : rows)
        out.push_back(summaryFrom(row));
    return out;
}

void ImportWriter::commit(const std::string &importId, const std::string &report)
{
    begin();
    if (!importId.empty())
        m_txn->exec_params0("UPDATE imports SET report = $2 WHERE import_id = $1", importId,
                            pqxx::binarystring(report.data(), report.size()));
    for (const Column &column : m_columns) {
        if (column.inserted + column.updated == 0)
            continue;
        notifyChange(*m_txn, column.seriesId, column.changedFirst, column.changedLast);
    }
    m_txn->commit();
}

} // namespace meterscope::storage
