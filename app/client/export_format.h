#pragma once

#include "meterscope/v1/meterscope.pb.h"
#include "time/zone.h"

#include <ostream>
#include <string>

namespace meterscope::client {

enum class ExportFormat { Csv, Json };

/// Writes points to a stream as they arrive, in the formats of
/// `meterscope-cli export` and the app's Save: CSV with a `time,<series>`
/// header and ISO 8601 times carrying their offset (it imports back as the
/// same series), or JSON in the prototype's shape, one object keyed by time:
/// `{"2019-01-01T00:15:00Z": 55.09, ...}` with missing values as null.
class PointWriter {
public:
    PointWriter(std::ostream &out, ExportFormat format, const std::string &series, timeutil::Zone zone);

    void write(const v1::PointBatch &batch);
    void write(timeutil::Micros time, double value);
    /// Closes the document (the JSON object); call once at the end.
    void finish();

    std::uint64_t count() const { return m_count; }

private:
    void flush();

    std::ostream &m_out;
    ExportFormat m_format;
    timeutil::Zone m_zone;
    std::string m_buffer;
    std::uint64_t m_count = 0;
};

} // namespace meterscope::client
