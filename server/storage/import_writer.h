#pragma once

#include "storage/database.h"
#include "storage/rollups.h"
#include "storage/series.h"
#include "storage/series_kind.h"
#include "storage/spill.h"
#include "time/micros.h"

#include <pqxx/transaction>

#include <chrono>
#include <cstdint>
#include <functional>
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

/// An import committed under a client-chosen id.
struct StoredImport {
    std::string fileName;
    /// SHA-256 of the uploaded bytes; empty for imports from before it was kept.
    std::string contentHash;
    /// The serialized report; empty while it is not known.
    std::string report;
};

/// The import committed under `importId`, if any. Waits for an import of
/// this id that is committing right now (up to `wait`; then throws
/// Unavailable), so the answer is final.
std::optional<StoredImport> findImport(Database &db, const std::string &importId,
                                       std::chrono::milliseconds wait = std::chrono::seconds(20));

/// One import as one transaction, opened only once the whole file was read:
/// rows are kept in a local spill while they arrive, so no transaction and
/// no pooled connection wait on a client that uploads slowly or stalls.
/// merge() then writes them by binary COPY, straight into `points` when
/// every series' rows come in time order after its last stored point (the
/// usual case: new readings appended), else through a staging table that
/// is merged (new rows inserted, changed values updated, equal ones left
/// alone, duplicates: the later line wins). Nothing is visible to anyone
/// until commit(); destroying the writer without commit() rolls everything
/// back, also when the connection is gone.
class ImportWriter {
public:
    /// Touches no database yet.
    explicit ImportWriter(Database &db);
    ~ImportWriter();
    ImportWriter(const ImportWriter &) = delete;
    ImportWriter &operator=(const ImportWriter &) = delete;

    /// Begins the transaction and reserves a client-chosen import id. If an
    /// import with this id was committed before, returns it and the writer
    /// must not be used further. A concurrent import with the same id is
    /// waited for.
    std::optional<StoredImport> claim(const std::string &importId, const std::string &fileName,
                                      const std::string &contentHash = {});

    /// Adds columns named for their series, numbered on from the ones
    /// before; a column's first add() comes after. A series this import
    /// creates takes its column's unit (if any is given).
    void setColumns(const std::vector<std::string> &seriesNames, const std::vector<std::string> &units = {});

    /// Keeps one reading. `column` indexes the names given to setColumns().
    void add(std::size_t column, timeutil::Micros time, double value, std::uint64_t line);

    /// Begins the transaction (unless claim() did), creates missing series,
    /// writes every reading and merges them into points; reports the first
    /// `maxListed` duplicates. Call once.
    MergeResult merge(std::size_t maxListed);

    /// The import's series as they stand inside this transaction.
    std::vector<SeriesSummary> summaries();

    /// Saves `report` under the claimed id (if any), tells subscribers on
    /// every server which ranges changed, and commits.
    void commit(const std::string &importId, const std::string &report);

private:
    struct Column {
        std::string name;
        std::string unit;
        std::int32_t seriesId = 0;
        /// The series' last stored time when the merge began.
        std::optional<timeutil::Micros> stored;
        /// Every row later than the one before.
        bool monotonic = true;
        std::uint64_t rows = 0;
        timeutil::Micros first = 0; // smallest time
        timeutil::Micros last = 0;  // largest time
        timeutil::Micros previous = 0;
        IntervalSketch gaps;
        /// How the values move, in file order (see `monotonic`).
        KindSketch kind;
        /// The series' base cell width (rollups.h), read or decided by merge().
        std::int32_t cellWidth = 0;
        /// Decided by this import for a series with a point stored before,
        /// which has no cells yet: its cells are built from the points.
        bool cellsFromPoints = false;
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

    void begin();
    // Creates missing series and takes each one's turn (imports of the same
    // series take turns; different series run in parallel).
    void resolveSeries();
    bool appendsOnly() const;
    // Writes every kept row by binary COPY into points (`direct`) or the
    // staging table, calling `each` for each one.
    void copyRows(bool direct, const std::function<void(const SpilledRow &)> &each);
    void copyDirect();
    void copyStaging();
    void writeCells(CellSpill &cells, std::vector<CellBuilder> &builders);
    // Rebuilds the cells over what changed in each series (all of them, or
    // only those decided by this import).
    void rebuildChangedCells(bool all);
    // Counts what changed and keeps each series' count and range current.
    void updateSeries(MergeResult &result);
    void mergeAppend();
    void mergeUpsert(bool deduplicate);
    std::vector<Duplicate> findDuplicates(std::size_t maxListed, std::uint64_t &total);

    Database &m_db;
    std::optional<Database::Lease> m_lease;
    std::unique_ptr<pqxx::work> m_txn;
    std::unique_ptr<Spill<SpilledRow>> m_spill;
    std::vector<Column> m_columns;
};

} // namespace meterscope::storage
