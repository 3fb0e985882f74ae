#pragma once

#include "ingest/csv_reader.h"
#include "time/instant.h"

#include <memory>
#include <string>
#include <string_view>

namespace meterscope::ingest {

/// What reading a time cell gave.
enum class TimeStatus {
    Ok,
    NotATime,    ///< does not look like a time at all (a header, text)
    InvalidDate, ///< Feb 30, month 13
    InvalidTime, ///< hour 25, offset +25:00
    OutOfRange,  ///< an epoch number outside the years 0000-9999
    Nonexistent, ///< a naive local time skipped by a daylight-saving change
    Ambiguous,   ///< a naive local time that occurs twice
};

class TimeFormat;

/// Reads the time cell(s) of a record as a UTC instant, as the reader's
/// options say: ISO 8601 with or without an offset, a bare date, epoch
/// numbers, or a strptime-style format. Naive times are read in the zone.
class TimeCellParser {
public:
    /// Throws ReaderError for an unknown zone or an unusable format.
    explicit TimeCellParser(const ReaderOptions &options);
    ~TimeCellParser();
    TimeCellParser(const TimeCellParser &) = delete;
    TimeCellParser &operator=(const TimeCellParser &) = delete;

    /// Reads time cells in this strptime-style format from now on (a
    /// day/month order found from the data). Throws ReaderError as the constructor.
    void setFormat(const std::string &format);
    /// "UTC" or the IANA name of the zone for naive times.
    std::string zoneName() const { return m_zone.name(); }

    /// Reads one trimmed time cell.
    TimeStatus parse(std::string_view cell, timeutil::Micros &utc);

    /// True when a date cell and a time-of-day cell together make one time
    /// (files with `date,time,value`): `date` alone is a bare date (or does
    /// not match the format) and "date time" reads as a time.
    bool isSplitTime(std::string_view date, std::string_view time);

    /// Joins a date cell and a time cell as "date time" into `buffer`; the
    /// result is empty when it does not fit (it is then not a time).
    static std::string_view join(char (&buffer)[64], std::string_view date, std::string_view time);

    /// Appends why `text` was refused, quoting it.
    void appendReason(std::string &out, TimeStatus status, std::string_view text) const;

private:
    TimeStatus parseEpoch(std::string_view cell, timeutil::Micros &utc) const;
    TimeStatus toUtc(const timeutil::ParsedTime &parsed, timeutil::Micros &utc) const;

    timeutil::Zone m_zone;
    EpochUnit m_epochUnit;
    std::unique_ptr<TimeFormat> m_format;
};

} // namespace meterscope::ingest
