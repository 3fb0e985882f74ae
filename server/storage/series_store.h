#pragma once

#include "storage/change_feed.h"
#include "storage/database.h"
#include "storage/m4.h"
#include "storage/pg_copy.h"
#include "storage/series.h"

#include <pqxx/pqxx>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace meterscope::storage {

/// The columns of a SeriesSummary for a SELECT on `series`, and the summary
/// read back from a row of them (starting at column `at`).
std::string summaryColumns();
SeriesSummary summaryFrom(const pqxx::row &row, pqxx::row::size_type at = 0);

/// The series named after `after` (byte order), at most `limit` of them
/// (0 = all), with their point counts and time ranges, in byte order of name.
std::vector<SeriesSummary> listSeries(Database &db, const std::string &after = {}, std::size_t limit = 0);

/// One series by name with its id; throws NotFound.
std::pair<std::int32_t, SeriesSummary> findSeries(Database &db, const std::string &name);

/// The database's current snapshot: which transactions a read now would see.
Snapshot currentSnapshot(Database &db);

/// A column PointStream::next() can fill: a vector with Add().
template<typename T>
struct Column {
    std::vector<T> items;
    void Add(T value) { items.push_back(value); }
};

/// Rows of one page of a PointStream read: large enough that a page costs
/// little more than its rows, small enough to hold in memory for a client.
inline constexpr std::size_t kPageRows = 32768;

/// The points of one series in [start, end), in time order, read from the
/// database page by page: each page is one short statement on a pooled
/// connection that is back in the pool before next() returns, so a caller
/// that blocks between pages (on a client that does not read) holds no
/// connection, no transaction and no snapshot. With maxPoints > 0 a range
/// of at most 4 * maxPoints points comes whole (bucketWidth() 0); a larger
/// one is cut into at most maxPoints buckets of bucketWidth() and reduced
/// with M4, so at most 4 * maxPoints points come out. Bounds beyond kEarliestTime and
/// kLatestTime (int64 min and max, say) count as no bound.
class PointStream {
public:
    struct Request {
        std::string series;
        std::optional<timeutil::Micros> start; ///< inclusive
        std::optional<timeutil::Micros> end;   ///< exclusive
        std::uint32_t maxPoints = 0;
        /// When set, each page runs in a REPEATABLE READ transaction of its
        /// own, whose snapshot is recorded here with the times it covered.
        ReadSnapshots *snapshots = nullptr;
    };

    /// Looks the series up. Throws NotFound for an unknown series and
    /// InvalidRequest for an empty or inverted range.
    PointStream(Database &db, Request request);

    /// Appends up to about `max` points to the columns (anything with
    /// Add()). Returns false once nothing is left after these points.
    template<typename Times, typename Values>
    bool next(Times &times, Values &values, std::size_t max);

    /// Width of one bucket in microseconds; 0 for raw points.
    timeutil::Micros bucketWidth() const { return m_bucketWidth; }

private:
    /// Points (or, with `width`, the summary cells of that width) in
    /// [from, to); no upper bound when `to` is absent.
    struct Source {
        std::int32_t width = 0;
        timeutil::Micros from = 0;
        std::optional<timeutil::Micros> to;
    };

    /// Reads the next page (at most `rows` rows) of the current source,
    /// passing each point to `emit`; moves on to the next source when this
    /// one is exhausted. False when no source is left.
    bool readPage(std::size_t rows, const std::function<void(timeutil::Micros, double)> &emit);
    /// True when [start, stop) holds at most `limit` of the series' points
    /// (`pointCount` in all): an index walk of at most `limit` + 1 rows.
    bool rawFits(std::int64_t pointCount, timeutil::Micros start, timeutil::Micros stop, std::int64_t limit) const;
    /// Reads the stored points just before and just after each bucket edge
    /// that falls inside a cell of `width` in [from, to).
    void readEdgePoints(std::int32_t width, timeutil::Micros from, timeutil::Micros to);
    /// Adds a point to the M4 buckets after the edge points before it.
    void reduce(timeutil::Micros time, double value);

    Database &m_db;
    std::int32_t m_seriesId = 0;
    ReadSnapshots *m_snapshots = nullptr;
    std::vector<Source> m_sources;
    std::size_t m_current = 0;
    std::optional<M4Reducer> m_m4;
    timeutil::Micros m_bucketWidth = 0;
    // The points on both sides of the bucket edges inside cells, in time
    // order, and the next one to add.
    std::vector<std::pair<timeutil::Micros, double>> m_edgePoints;
    std::size_t m_edgeNext = 0;
    bool m_done = false;
};

template<typename Times, typename Values>
bool PointStream::next(Times &times, Values &values, std::size_t max)
{
    if (m_done)
        return false;
    if (!m_m4) {
        std::size_t taken = 0;
        const bool more = readPage(max, [&](timeutil::Micros time, double value) {
            times.Add(time);
            values.Add(value);
            ++taken;
        });
        m_done = !more || m_current >= m_sources.size();
        return !m_done;
    }
    while (m_m4->ready() < max) {
        if (!readPage(kPageRows, [&](timeutil::Micros time, double value) { reduce(time, value); })) {
            for (; m_edgeNext < m_edgePoints.size(); ++m_edgeNext)
                m_m4->add(m_edgePoints[m_edgeNext].first, m_edgePoints[m_edgeNext].second);
            m_m4->finish();
            m_done = true;
            break;
        }
    }
    m_m4->take(times, values);
    return !m_done;
}

} // namespace meterscope::storage
