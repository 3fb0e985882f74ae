#pragma once

#include "ingest/csv_reader.h"
#include "meterscope/v1/meterscope.pb.h"
#include "storage/import_writer.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace meterscope::service {

/// Server-wide import settings (from the command line).
struct ImportSettings {
    /// Zone for naive times when the import names none.
    std::string defaultTimeZone = "UTC";
    /// Largest accepted upload in bytes; 0 = unlimited.
    std::uint64_t maxImportBytes = 0;
    std::size_t maxLineLength = 1 << 20;
    /// Imports running at once; more are refused with RESOURCE_EXHAUSTED.
    int maxConcurrentImports = 8;
};

/// One import from bytes to committed rows: the CSV reader feeds the import
/// writer, issues are collected for the report. Used by the Import RPC and
/// by `--import` at start-up alike. Not thread-safe.
class ImportJob : private ingest::ReaderSink {
public:
    /// How many entries each issue list of the report carries in full.
    static constexpr std::size_t kMaxListed = 1000;

    /// Begins the import's transaction. Throws ReaderError for options that
    /// cannot work (unknown zone, bad delimiter) and storage errors.
    ImportJob(storage::Database &db, const v1::ImportOptions &options, const ImportSettings &settings);
    ~ImportJob() override;

    /// When the options' import id was imported before: that report (with
    /// `replayed` set). Then nothing else may be called.
    std::optional<v1::ImportReport> replay();

    /// Parses and stages the next bytes of the file. Throws ReaderError (not
    /// a CSV text file) or StatusError (over the size limit).
    void feed(std::string_view bytes);

    v1::ImportProgress progress() const;

    /// Ends the input, merges and commits (a dry run rolls back instead) and
    /// returns the report. Any exception before the commit leaves nothing stored.
    v1::ImportReport finish();

private:
    void columns(const std::vector<std::string> &seriesNames) override;
    void reading(std::size_t column, timeutil::Micros time, double value, std::uint64_t line) override;
    void missing(std::size_t column, std::uint64_t line, std::string_view reason) override;
    void rejected(std::uint64_t line, std::uint64_t readings, std::string_view reason) override;

    v1::ImportOptions m_options;
    ImportSettings m_settings;
    std::chrono::steady_clock::time_point m_started;
    storage::ImportWriter m_writer;
    std::optional<ingest::CsvReader> m_reader;
    std::vector<std::string> m_series;
    v1::ImportReport m_report;
};

} // namespace meterscope::service
