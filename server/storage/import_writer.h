#pragma once

#include "storage/database.h"
#include "storage/rollups.h"
#include "storage/series.h"
#include "storage/spill.h"
#include "time/micros.h"

#include <pqxx/transaction>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace meterscope::storage {

class CopyIn;

/// Two lines of one import with the same series and time; the later wins.
struct Duplicate {
    std::size_t column = 0;
    timeutil::Micros time = 0;
    std::uint64_t earlierLine = 0;
    std::uint64_t laterLine = 0;
};

struct MergeResult {
    std::uint64_t rowsNew = 0;
    std::uint64_t rowsUpdated = 0;
    std::uint64_t rowsUnchanged = 0;
    /// Earlier lines replaced by a later line (complete count).
    std::uint64_t rowsDuplicate = 0;
    /// The first `maxListed` duplicates, in line order.
    std::vector<Duplicate> duplicates;
};

/// One import as one transaction. Rows stream by binary COPY straight into
/// `points` while they arrive in time order after each series' last point
/// (the usual case: new readings appended). The first row that breaks this
/// (out of order, a duplicate, an existing time) switches the import to a
/// staging table, refilled from a local spill of every row so far; at the
/// end the staging table is merged (new rows inserted, changed values
/// updated, equal ones left alone, duplicates: the later line wins).
/// Nothing is visible to anyone until commit(); destroying the writer
/// without commit() rolls everything back, also when the connection is gone.
class ImportWriter {
public:
    /// Begins the transaction on a pooled connection. Throws Unavailable.
    explicit ImportWriter(Database &db);
    ~ImportWriter();
    ImportWriter(const ImportWriter &) = delete;
    ImportWriter &operator=(const ImportWriter &) = delete;

    /// Reserves a client-chosen import id. If an import with this id was
    /// committed before, returns its saved report and the writer must not
    /// be used further. A concurrent import with the same id is waited for.
    std::optional<std::string> claim(const std::string &importId, const std::string &fileName);

    /// Names the series of the value columns (created if missing, inside
    /// this transaction). Call once, before add().
    void setColumns(const std::vector<std::string> &seriesNames);

    /// Stages one reading. `column` indexes the names given to setColumns().
    void add(std::size_t column, timeutil::Micros time, double value, std::uint64_t line);

    /// Ends staging and merges into points; reports the first `maxListed`
    /// duplicates. Call once.
    MergeResult merge(std::size_t maxListed);

    /// The import's series as they stand inside this transaction.
    std::vector<SeriesSummary> summaries();

    /// Saves `report` under the claimed id (if any), tells subscribers on
    /// every server which ranges changed, and commits.
    void commit(const std::string &importId, const std::string &report);

private:
    struct Column {
        std::string name;
        std::int32_t seriesId = 0;
        /// The series' last stored time when the import began.
        std::optional<timeutil::Micros> stored;
        bool monotonic = true;
        std::uint64_t rows = 0;
        timeutil::Micros first = 0; // smallest time
        timeutil::Micros last = 0;  // largest time
        timeutil::Micros previous = 0;
        // Filled by merge(): what changed, for the notification.
        std::uint64_t inserted = 0;
        std::uint64_t updated = 0;
        timeutil::Micros changedFirst = 0;
        timeutil::Micros changedLast = 0;
        timeutil::Micros insertedFirst = 0;
        timeutil::Micros insertedLast = 0;
    };

    struct SpilledRow {
        std::uint32_t column;
        timeutil::Micros time;
        double value;
        std::uint64_t line;
    };

    void encode(std::size_t column, timeutil::Micros time, double value, std::uint64_t line);
    void switchToStaging();
    void writeDirectCells();
    // Counts what changed and keeps each series' count and range current.
    void updateSeries(MergeResult &result);
    void mergeAppend();
    void mergeUpsert(bool deduplicate);
    std::vector<Duplicate> findDuplicates(std::size_t maxListed, std::uint64_t &total);

    Database::Lease m_lease;
    std::unique_ptr<pqxx::work> m_txn;
    std::unique_ptr<CopyIn> m_copy;
    std::unique_ptr<Spill<SpilledRow>> m_spill;
    // Summary cells built while rows go straight into points.
    std::vector<CellBuilder> m_builders;
    std::unique_ptr<CellSpill> m_cells;
    std::vector<Column> m_columns;
    /// Rows go straight into points (else into the staging table).
    bool m_direct = false;
};

} // namespace meterscope::storage
