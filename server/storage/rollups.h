#pragma once

#include "storage/spill.h"
#include "time/micros.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

typedef struct pg_conn PGconn;

namespace pqxx {
class transaction_base;
}

namespace meterscope::storage {

class CopyIn;

/// Summary cells come in levels. A series' base width (seconds, a power of
/// two, column `series.cell_width`) is the width of its level 0; each level
/// is kLevelFactor times as wide as the one below, up to kCellLevels levels
/// and no wider than kWidestCell. A cell starts at a multiple of its width
/// since the Unix epoch; every width divides the next, so cells nest.
inline constexpr std::size_t kCellLevels = 7;
inline constexpr std::int32_t kLevelFactor = 4;
inline constexpr std::int32_t kWidestCell = std::int32_t(1) << 30; // 34 years

/// The base width for a series whose typical interval (IntervalSketch) is
/// `typicalInterval`: the smallest power of two of seconds at least 32 times
/// it, so a cell of level 0 holds 16 to 64 readings whatever the cadence
/// (a second, a quarter of an hour, a day; 32 to 54 for the usual ones), and
/// all levels together make at most one cell row for 12 readings. 0 (no
/// cells yet) for 0.
std::int32_t baseCellWidth(timeutil::Micros typicalInterval);

/// The width of each level for base width `base`, 0 for the levels wider
/// than kWidestCell (and for every level while `base` is 0: a series of one
/// reading keeps no cells).
std::array<std::int32_t, kCellLevels> cellWidths(std::int32_t base);

/// The typical interval of a series from the gaps between its points, fed
/// one at a time: the lower edge of the power-of-two bin that holds the
/// median gap (within a factor of two, and never above it).
class IntervalSketch {
public:
    void add(timeutil::Micros gap);
    /// Zero before any gap.
    timeutil::Micros typical() const;

private:
    std::array<std::uint64_t, 64> m_bins{};
    std::uint64_t m_count = 0;
};

struct CellPoint {
    timeutil::Micros time;
    double value;
};

/// One summary cell: how many points it holds and the first, minimum,
/// maximum and last of them. Merging cells gives the cell of their union.
struct Cell {
    std::int32_t seriesId;
    std::int32_t level;
    std::int32_t width;
    timeutil::Micros start;
    std::int32_t points;
    CellPoint first, min, max, last;

    static timeutil::Micros startOf(timeutil::Micros time, std::int32_t width);
    /// Adds the points of `later`, a cell of this one's span or inside it
    /// whose points all come after this one's.
    void append(const Cell &later);
};

/// Builds the cells of every level from one series' points fed in time
/// order: level 0 from the points, each level above from the cells of the
/// one below as they complete.
class CellBuilder {
public:
    /// Builds the levels below `levels` for base width `base` (none for 0).
    CellBuilder(std::int32_t seriesId, std::int32_t base, std::size_t levels = kCellLevels);

    /// Feeds one point; each cell it completes is passed to `done`.
    template<typename Done>
    void add(timeutil::Micros time, double value, Done &&done)
    {
        if (m_widths[0] == 0)
            return;
        const Cell point{m_seriesId,
                         0,
                         m_widths[0],
                         Cell::startOf(time, m_widths[0]),
                         1,
                         {time, value},
                         {time, value},
                         {time, value},
                         {time, value}};
        feed(0, point, done);
    }

    /// Passes the cells still open (they may be partial) to `done`.
    template<typename Done>
    void finish(Done &&done)
    {
        for (std::size_t level = 0; level < m_open.size(); ++level) {
            if (m_open[level])
                close(level, done);
        }
    }

private:
    // Adds `cell` (of this level's span or inside it) to the level's open cell.
    template<typename Done>
    void feed(std::size_t level, const Cell &cell, Done &done)
    {
        std::optional<Cell> &open = m_open[level];
        if (open && open->start != cell.start)
            close(level, done);
        if (open)
            open->append(cell);
        else
            open = cell;
    }

    template<typename Done>
    void close(std::size_t level, Done &done)
    {
        const Cell cell = *m_open[level];
        m_open[level].reset();
        done(cell);
        const std::size_t up = level + 1;
        if (up < m_levels && m_widths[up] != 0) {
            Cell wider = cell;
            wider.level = std::int32_t(up);
            wider.width = m_widths[up];
            wider.start = Cell::startOf(cell.start, m_widths[up]);
            feed(up, wider, done);
        }
    }

    std::int32_t m_seriesId;
    std::size_t m_levels;
    std::array<std::int32_t, kCellLevels> m_widths;
    std::array<std::optional<Cell>, kCellLevels> m_open;
};

/// Cells waiting on disk to be written, one file per level so that each
/// width's cells end up side by side in the table (read as one range later).
class CellSpill {
public:
    void add(const Cell &cell) { m_spills[std::size_t(cell.level)].add(cell); }
    /// Calls `each` for every cell, level by level, each level in order.
    template<typename Each>
    void replay(Each &&each)
    {
        for (Spill<Cell> &spill : m_spills)
            spill.replay(each);
    }

private:
    std::array<Spill<Cell>, kCellLevels> m_spills;
};

/// SQL of the COPY that writeCell() rows go to, into `table` (rollups or a
/// table like it).
std::string cellCopySql(const std::string &table = "rollups");
/// Encodes a cell as a row of that COPY.
void writeCell(CopyIn &copy, const Cell &cell);
/// Merges cells into the stored ones of their spans (or inserts them): for
/// the first cells of an import, which may share their spans with points
/// stored before. One COPY and one statement for all of them.
void mergeCells(pqxx::transaction_base &txn, PGconn *conn, const std::vector<Cell> &cells);

/// A span of one series' points that changed, first to last (both
/// included), and the series' base width.
struct ChangedSpan {
    std::int32_t seriesId;
    std::int32_t base;
    timeutil::Micros first;
    timeutil::Micros last;
};

/// Recomputes every cell that covers a time of a changed span, inside
/// `txn`: level 0 from the points, each level above from the one below, in
/// a few statements a level for all spans together.
void rebuildCells(pqxx::transaction_base &txn, PGconn *conn, const std::vector<ChangedSpan> &spans);

/// SQL of migration 2: the rollups table, filled for the points already stored.
extern const char *const kRollupsMigration;
/// SQL of migration 4: series.cell_floor (0, every width, for the series
/// already stored).
extern const char *const kCellFloorMigration;
/// Migration 5: series.cell_width in place of cell_floor, and every series'
/// cells rebuilt at the widths of its cadence.
void migrateToCadenceCells(pqxx::transaction_base &txn, PGconn *conn);

} // namespace meterscope::storage
