#pragma once

#include "time/micros.h"

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace meterscope::ingest {

/// How numeric time cells are read. Auto tells seconds, milliseconds and
/// microseconds since the epoch apart by magnitude.
enum class EpochUnit { Auto, Seconds, Milliseconds, Microseconds };

struct ReaderOptions {
    /// The file's name as the user knows it: used in messages and, for files
    /// without a header, to name the series (its base name without extension).
    std::string fileName;
    /// Overrides the series name of a file with one value column. A file with
    /// several value columns and this set is refused (ReaderError).
    std::string seriesName;
    /// IANA zone for times written without an offset; empty = UTC.
    std::string timeZone;
    /// strptime-style layout of the time cell (e.g. "%d/%m/%Y %H:%M"); empty = detect.
    /// Supported: %Y %y %m %d %e %j %b %B %h %a %A %H %I %M %S (with an optional
    /// fraction) %p %z (Z, ±HH, ±HHMM, ±HH:MM) %Z %F %T %R %D %n %t %%; names in
    /// English, any case. Blanks in the layout match any run of blanks.
    std::string timeFormat;
    /// ',' ';' or '\t'; 0 = detect from the first line.
    char delimiter = 0;
    EpochUnit epochUnit = EpochUnit::Auto;
    /// Longer records are rejected with their line number; the import goes on.
    std::size_t maxLineLength = 1 << 20;

    // Column roles. A column (COL) is a header name (any case, surrounding
    // blanks ignored) or a 1-based column number. Roles not given are
    // detected (see CsvReader); a COL that names no column refuses the file.

    /// The time: one column, or a date column and a time-of-day column.
    std::vector<std::string> timeColumns;
    /// The value columns; given, every other column is ignored.
    std::vector<std::string> valueColumns;
    /// Long format: one series per distinct value of this column.
    std::string seriesColumn;
    /// Physical lines to skip before the header (a preamble); unset = detect.
    std::optional<std::uint64_t> skipLines;
    /// More cells meaning "missing" (any case, surrounding blanks ignored).
    std::vector<std::string> missingTokens;
    /// The unit of every series, over one written in a header.
    std::string unit;

    /// The first this many records (blank ones left out) also go to
    /// ReaderSink::sampled(), as split (an import preview shows them).
    std::size_t sampleRecords = 0;
};

/// What a column was used for.
enum class ColumnRole { Time, Value, SeriesKey, Ignored };

/// The role of one column, as the report shows it.
struct ColumnLayout {
    /// The header cell as written, or "column <k>" without a header.
    std::string header;
    ColumnRole role = ColumnRole::Ignored;
    /// A value column's unit, from the header ("Consumption (kWh)") or the options.
    std::string unit;
};

/// The layout the reader used, for the report: decided from the first
/// records, before any reading.
struct LayoutReport {
    char delimiter = 0;
    /// Physical line of the header; 0 = none.
    std::uint64_t headerLine = 0;
    /// Physical lines before the header (or the first data record) that
    /// were skipped: a preamble, blank lines, --skip-lines.
    std::uint64_t skippedLines = 0;
    /// Every column of a data record, in file order.
    std::vector<ColumnLayout> columns;
    /// How dates are written: "year-month-day", "day-month-year",
    /// "month-day-year", or "format" (ReaderOptions::timeFormat) or "epoch".
    std::string dateOrder;
    /// The day/month order could not be told from the first records (no
    /// field over 12): read as dateOrder says, see the notes.
    bool dateOrderAmbiguous = false;
    /// The strptime-style format used for times, given or detected; empty = ISO 8601 / epoch.
    std::string timeFormat;
    /// The zone naive times are read in.
    std::string timeZone;
    /// Sentences for the user: a preamble skipped, an interval end ignored,
    /// the flag to give for a series key, an ambiguous date order.
    std::vector<std::string> notes;
};

/// A series the reader found: a value column (wide format) or a key value
/// and a value column (long format).
struct SeriesInfo {
    std::string name;
    std::string unit;
};

/// An error that stops the whole file (binary input, a bad option, a header
/// that cannot name the series, no readable record at all): nothing of the
/// file may be stored. `what()` is a sentence a user can act on. A reader
/// that threw must not be fed again.
class ReaderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Receives what the reader finds, in file order. Line numbers are physical
/// (1-based) lines where the record starts.
class ReaderSink {
public:
    virtual ~ReaderSink() = default;
    /// Called once, before anything else. Not called for a file without any record.
    virtual void layout(const LayoutReport &layout) = 0;
    /// New series, numbered on from the ones before (the first call starts
    /// at 0), each before its first reading; names are valid UTF-8 and
    /// unique. Wide format: one per value column, all right after layout().
    /// With a header, value column k is named by its header cell without a
    /// unit, or "column_<k>" when that is empty. Without one, the series is
    /// named after the file (seriesNameFromFile(), "series" if that is
    /// empty), and several value columns are "<base>_<k>". k counts value
    /// columns from 1. Long format: a series per key value, when the key
    /// first appears, named by the key, or "<key>:<column name>" with
    /// several value columns. ReaderOptions::seriesName replaces the name
    /// of a single series.
    virtual void columns(const std::vector<SeriesInfo> &added) = 0;
    /// One accepted reading, time as a UTC instant; `series` numbers the
    /// series announced by columns().
    virtual void reading(std::size_t series, timeutil::Micros time, double value, std::uint64_t line) = 0;
    /// A value cell meaning "missing" (see ValueParser): not stored.
    virtual void missing(std::size_t series, std::uint64_t line, std::string_view reason) = 0;
    /// A rejected record or cell. `readings` is how many readings it cost
    /// (every value column for a bad record, 1 for a bad cell).
    virtual void rejected(std::uint64_t line, std::uint64_t readings, std::string_view reason) = 0;
    /// One of the first ReaderOptions::sampleRecords records, preamble and
    /// header included, cut into trimmed, unquoted cells (as bytes of the
    /// file). Comes as the record is read, so before layout() for the first.
    virtual void sampled(std::uint64_t /*line*/, const std::vector<std::string_view> & /*cells*/) { }
};

/// Running totals. For a file with several value columns, every value cell
/// is one reading: readings == accepted + missing + rejected.
struct ReaderStats {
    std::uint64_t bytes = 0;    ///< bytes fed so far
    std::uint64_t lines = 0;    ///< physical lines completed so far
    std::uint64_t records = 0;  ///< data records (header excluded)
    std::uint64_t readings = 0; ///< value cells read
    std::uint64_t accepted = 0;
    std::uint64_t missing = 0;
    std::uint64_t rejected = 0;
    bool header = false; ///< the first record was a header
    char delimiter = 0;  ///< detected or given
};

/// Streaming RFC 4180 reader for meter readings: time column(s) followed by
/// one or more value columns. Push-based: feed the file in chunks of any
/// size, with the same results for any chunking; the reader never holds more
/// than one record (bounded by maxLineLength) besides the chunk it is given.
/// Plain C++, no Qt.
///
/// - Text: a UTF-8 BOM is skipped; LF, CRLF and lone CR end lines. A quoted
///   cell may hold delimiters, doubled quotes and line endings. Cells are
///   trimmed of spaces and tabs. Records whose cells are all empty are
///   skipped. NUL bytes or many control characters in the first 4 KiB make
///   the file "not a CSV text file"; a NUL later rejects its record.
/// - Delimiter: the most frequent of ',' ';' and tab outside quotes in the
///   first record (a tie goes to tab, then ';'). With ';' values may use a
///   decimal comma.
/// - Header: the first record is a header when its time cell does not look
///   like a time at all (a time with an impossible date is data).
/// - Time: ISO 8601 with 'T' or ' ', optional fraction and offset (Z, ±HH:MM,
///   ±HHMM, ±HH); a bare date; a date and a time of day in the first two
///   columns (decided by the first data record); epoch numbers, whose unit
///   Auto picks per cell (below 1e11 seconds, below 1e14 milliseconds, else
///   microseconds); or, when ReaderOptions::timeFormat is set, only that
///   format (applied to "date time" for two time columns). Times without an
///   offset are read in the zone; local times skipped or repeated by a
///   daylight-saving change are rejected, never shifted. Instants are kept
///   within the years 0000-9999.
/// - Values: decimal or scientific, optional sign. Missing markers go to
///   ReaderSink::missing(); inf, hex, out-of-range numbers and text reject
///   just that cell. A bad time or a wrong number of cells rejects the record.
/// - Records before the layout is known (a broken first data record) are
///   reported once the columns are, in order.
class CsvReader {
public:
    /// Throws ReaderError for options that cannot work (unknown zone, bad format).
    CsvReader(ReaderOptions options, ReaderSink &sink);
    ~CsvReader();
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;

    /// Processes the next bytes of the file. Throws ReaderError when the file
    /// cannot be a CSV text file ("not a CSV text file").
    void feed(std::string_view bytes);
    /// Ends the input: handles a last record without a line ending and an
    /// unterminated quoted field (rejected with the line it started on).
    /// Throws ReaderError when the file had records but none was readable.
    void finish();

    const ReaderStats &stats() const;

private:
    class Impl;
    std::unique_ptr<Impl> d;
};

/// Reads `in` to the end in chunks, calling `progress` after each chunk; if it
/// returns false the read stops and readStream returns false (cancelled).
bool readStream(std::istream &in, CsvReader &reader, const std::function<bool(const ReaderStats &)> &progress = {},
                std::size_t chunkSize = 1 << 20);

/// The series name used for a file without a header: its base name without
/// directory ('/' or '\\') and extension ("/data/meter 7.csv" -> "meter 7"),
/// as valid UTF-8.
std::string seriesNameFromFile(std::string_view fileName);

} // namespace meterscope::ingest
