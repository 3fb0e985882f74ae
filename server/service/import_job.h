#pragma once

#include "ingest/csv_reader.h"
#include "meterscope/v1/meterscope.pb.h"
#include "storage/import_writer.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace meterscope::service {

class ContentHash;

/// Server-wide limits and defaults of imports (from the command line).
struct ImportLimits {
    /// Zone for naive times when the import names none.
    std::string defaultTimeZone = "UTC";
    /// Largest accepted upload in bytes; 0 = unlimited.
    std::uint64_t maxImportBytes = 0;
    std::size_t maxLineLength = 1 << 20;
    /// Imports running at once; more are refused with RESOURCE_EXHAUSTED.
    int maxConcurrentImports = 8;
};

/// Refuses import options that cannot work, before anything is read:
/// every string field (parseRequest() checked UTF-8 and NUL), the series
/// name, the zone, the delimiter, the epoch unit, the import id. Throws
/// StatusError INVALID_ARGUMENT naming the field, quoting little of it.
void checkImportOptions(const v1::ImportOptions &options);

/// One import from bytes to committed rows: the CSV reader feeds the import
/// writer, issues are collected for the report, a SHA-256 of the bytes
/// tells a replay from a reused id. The database is only used once the
/// whole file was read (finish()). Used by the Import RPC and by `--import`
/// at start-up alike. Not thread-safe.
class ImportJob : private ingest::ReaderSink {
public:
    /// How many entries each issue list of the report carries in full.
    static constexpr std::size_t kMaxListed = 1000;

    /// Throws ReaderError for options that cannot work (unknown zone, bad
    /// delimiter) and storage errors (looking up an earlier import of the id).
    ImportJob(storage::Database &db, const v1::ImportOptions &options, const ImportLimits &settings);
    ~ImportJob() override;

    /// Parses and keeps the next bytes of the file. Throws ReaderError (not
    /// a CSV text file), StatusError (over the size limit, a bad series name).
    void feed(std::string_view bytes);

    v1::ImportProgress progress() const;

    /// Ends the input, merges and, when `stillWanted` (if given) says so
    /// right before, commits (a dry run rolls back instead); returns the
    /// report. An import id committed before gives that import's report
    /// (`replayed`) when the content is the same, StatusError ALREADY_EXISTS
    /// naming the earlier file when not. Any exception before the commit
    /// leaves nothing stored.
    v1::ImportReport finish(const std::function<bool()> &stillWanted = {});

private:
    v1::ImportReport replay(const storage::StoredImport &earlier, const std::string &hash) const;
    void layout(const ingest::LayoutReport &layout) override;
    void columns(const std::vector<ingest::SeriesInfo> &added) override;
    void reading(std::size_t column, timeutil::Micros time, double value, std::uint64_t line) override;
    void missing(std::size_t column, std::uint64_t line, std::string_view reason) override;
    void rejected(std::uint64_t line, std::uint64_t readings, std::string_view reason) override;
    void sampled(std::uint64_t line, const std::vector<std::string_view> &cells) override;

    v1::ImportOptions m_options;
    ImportLimits m_settings;
    std::chrono::steady_clock::time_point m_started;
    storage::ImportWriter m_writer;
    std::optional<ingest::CsvReader> m_reader;
    std::unique_ptr<ContentHash> m_hash;
    std::uint64_t m_bytes = 0;
    /// The import committed before under this id: the bytes are only hashed.
    std::optional<storage::StoredImport> m_earlier;
    static constexpr std::size_t kNotStored = std::size_t(-1);
    /// Every series the reader announced, and its column in the writer.
    std::vector<std::string> m_series;
    std::vector<std::string> m_units;
    std::vector<std::size_t> m_writerColumn;
    /// The writer's columns: the series with a reading.
    std::vector<std::string> m_stored;
    /// A dry run's sample: readings of lines up to this one join it.
    std::uint64_t m_lastSampledLine = 0;
    v1::ImportReport m_report;
};

} // namespace meterscope::service
