#pragma once

#include "storage/change_feed.h"
#include "storage/database.h"
#include "storage/m4.h"
#include "storage/pg_copy.h"
#include "storage/series.h"

#include <pqxx/pqxx>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace meterscope::storage {

/// The columns of a SeriesSummary for a SELECT on `series`, and the summary
/// read back from a row of them (starting at column `at`).
std::string summaryColumns();
SeriesSummary summaryFrom(const pqxx::row &row, pqxx::row::size_type at = 0);

/// Every series with its point count and time range, by name.
std::vector<SeriesSummary> listSeries(Database &db);

/// One series by name with its id; throws NotFound.
std::pair<std::int32_t, SeriesSummary> findSeries(Database &db, const std::string &name);

/// The database's current snapshot: which transactions a read now would see.
Snapshot currentSnapshot(Database &db);

/// The points of one series in [start, end), in time order, read from the
/// database in a stream (never all at once). With maxPoints > 0 the range
/// is cut into maxPoints buckets and reduced with M4, so at most
/// 4 * maxPoints points come out.
class PointStream {
public:
    struct Request {
        std::string series;
        std::optional<timeutil::Micros> start; ///< inclusive
        std::optional<timeutil::Micros> end;   ///< exclusive
        std::uint32_t maxPoints = 0;
        /// When set, the read runs in one REPEATABLE READ transaction and
        /// its snapshot is stored here before the first point comes.
        Snapshot *snapshot = nullptr;
    };

    /// Starts the read. Throws NotFound for an unknown series and
    /// InvalidRequest for an empty or inverted range.
    PointStream(Database &db, Request request);
    /// Abandoning a stream before its end closes its connection.
    ~PointStream();

    /// Appends up to about `max` points to the columns (anything with
    /// Add()). Returns false once nothing is left after these points.
    template<typename Times, typename Values>
    bool next(Times &times, Values &values, std::size_t max);

    /// Width of one bucket in microseconds; 0 for raw points.
    timeutil::Micros bucketWidth() const { return m_bucketWidth; }

private:
    struct Source {
        std::string sql;
        int pairsPerRow;
    };
    bool startNextSource();
    void end();

    std::vector<Source> m_sources;
    std::size_t m_nextSource = 0;
    std::optional<Database::Lease> m_lease;
    bool m_inTransaction = false;
    std::unique_ptr<CopyOutPoints> m_copy;
    std::optional<M4Reducer> m_m4;
    timeutil::Micros m_bucketWidth = 0;
    bool m_done = false;
};

template<typename Times, typename Values>
bool PointStream::next(Times &times, Values &values, std::size_t max)
{
    if (m_done)
        return false;
    timeutil::Micros time;
    double value;
    if (!m_m4) {
        std::size_t taken = 0;
        while (taken < max && m_copy->read(time, value)) {
            times.Add(time);
            values.Add(value);
            ++taken;
        }
        m_done = taken < max;
    } else {
        while (m_m4->ready() < max) {
            if (m_copy->read(time, value)) {
                m_m4->add(time, value);
            } else if (!startNextSource()) {
                m_m4->finish();
                m_done = true;
                break;
            }
        }
        m_m4->take(times, values);
    }
    if (m_done)
        end();
    return !m_done;
}

} // namespace meterscope::storage
