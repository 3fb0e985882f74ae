#pragma once

#include "storage/spill.h"
#include "time/micros.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

typedef struct pg_conn PGconn;

namespace pqxx {
class transaction_base;
}

namespace meterscope::storage {

class CopyIn;

/// Widths, in seconds, of the M4 summary cells kept beside the points
/// (table `rollups`). A cell starts at a multiple of its width since the
/// Unix epoch; every width divides the next, so cells nest.
inline constexpr std::array<std::int32_t, 3> kCellWidths = {16, 256, 4096};

/// A series keeps the cells of the widths at least its cell floor (seconds,
/// column `series.cell_floor`): eight of its typical intervals, decided by
/// the first import that stores two points of it and kept from then on.
/// Narrower cells would hold a point or two each and cost more to store and
/// write than the points they summarise (15-minute readings: no cells).
/// Until it is decided every width is kept, so the cells of every width a
/// query may read are complete.
std::int32_t cellFloor(timeutil::Micros typicalInterval);

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
    std::int32_t width;
    timeutil::Micros start;
    std::int32_t points;
    CellPoint first, min, max, last;

    static timeutil::Micros startOf(timeutil::Micros time, std::int32_t width);
};

/// Builds the cells of every width from one series' points fed in time order.
class CellBuilder {
public:
    /// Builds the widths at least `floor` seconds.
    CellBuilder(std::int32_t seriesId, std::int32_t floor)
        : m_seriesId(seriesId)
        , m_floor(floor)
    {
    }

    /// Feeds one point; each cell it completes is passed to `done`.
    template<typename Done>
    void add(timeutil::Micros time, double value, Done &&done)
    {
        for (std::size_t level = 0; level < kCellWidths.size(); ++level) {
            if (kCellWidths[level] < m_floor)
                continue;
            std::optional<Cell> &cell = m_open[level];
            const timeutil::Micros start = Cell::startOf(time, kCellWidths[level]);
            if (cell && cell->start != start) {
                done(*cell);
                cell.reset();
            }
            if (!cell) {
                cell = Cell{m_seriesId,    kCellWidths[level], start,         0,
                            {time, value}, {time, value},      {time, value}, {time, value}};
            }
            ++cell->points;
            if (value < cell->min.value)
                cell->min = {time, value};
            if (value > cell->max.value)
                cell->max = {time, value};
            cell->last = {time, value};
        }
    }

    /// Passes the cells still open (they may be partial) to `done`.
    template<typename Done>
    void finish(Done &&done)
    {
        for (std::optional<Cell> &cell : m_open) {
            if (cell)
                done(*cell);
            cell.reset();
        }
    }

private:
    std::int32_t m_seriesId;
    std::int32_t m_floor;
    std::array<std::optional<Cell>, kCellWidths.size()> m_open;
};

/// Cells waiting on disk to be written, one file per width so that each
/// width's cells end up side by side in the table (read as one range later).
class CellSpill {
public:
    void add(const Cell &cell);
    /// Calls `each` for every cell, width by width, each width in order.
    template<typename Each>
    void replay(Each &&each)
    {
        for (Spill<Cell> &spill : m_spills)
            spill.replay(each);
    }

private:
    std::array<Spill<Cell>, kCellWidths.size()> m_spills;
};

/// SQL of the COPY that writeCell() rows go to.
std::string cellCopySql();
/// Encodes a cell as a row of that COPY.
void writeCell(CopyIn &copy, const Cell &cell);
/// Merges a cell into an existing one (or inserts it): for the first cell
/// of an import, which may share its span with earlier points.
void mergeCell(pqxx::transaction_base &txn, const Cell &cell);

/// Recomputes, from the points, every cell of the widths at least `floor`
/// that covers a time in [first, last] (rounded out to the widest cells),
/// inside `txn`.
void rebuildCells(pqxx::transaction_base &txn, PGconn *conn, std::int32_t seriesId, std::int32_t floor,
                  timeutil::Micros first, timeutil::Micros last);

/// SQL of migration 2: the rollups table, filled for the points already stored.
extern const char *const kRollupsMigration;
/// SQL of migration 4: series.cell_floor (0, every width, for the series
/// already stored).
extern const char *const kCellFloorMigration;

} // namespace meterscope::storage
