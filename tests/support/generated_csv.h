#pragma once

#include "time/micros.h"

#include <QString>

#include <cstdint>
#include <streambuf>
#include <string>

namespace meterscope::test {

/// A CSV file of readings made up on the fly, never held in memory: a
/// `time,<series>` header, then one reading a second from 2020-01-01 in the
/// sample's format. `valueDigits` pads each value with decimals to make
/// rows longer (a 1 GB file need not mean 40 million rows).
class GeneratedCsv : public std::streambuf {
public:
    GeneratedCsv(std::string series, std::uint64_t rows, int valueDigits = 2);

    /// Exact size in bytes of the whole file.
    std::uint64_t size() const;
    std::uint64_t rows() const { return m_rows; }
    /// Time and value of row `index` (0-based), as stored from the file.
    timeutil::Micros timeAt(std::uint64_t index) const;
    double valueAt(std::uint64_t index) const;

protected:
    int_type underflow() override;

private:
    std::string row(std::uint64_t index) const;
    std::string valueText(std::uint64_t index) const;

    std::string m_header;
    std::uint64_t m_rows;
    int m_valueDigits;
    std::uint64_t m_next = 0;
    bool m_headerDone = false;
    std::string m_buffer;
};

/// Meter readings for benchmarks: `meters` meters every `cadenceSeconds`
/// for `days` days from 2024-01-01 UTC, each a daily load profile (low at
/// night, peaks in the morning and evening) times a per-meter scale plus
/// seeded noise, to 0.001. Written to `wide` as `time,meter_0001,...` (what
/// users import) and, when `narrow` is not empty, the same readings to it
/// as headerless `series_id,time,value` lines (what COPY takes). Returns
/// the number of readings.
std::uint64_t writeMeterCsv(const QString &wide, const QString &narrow, int meters, int days, int cadenceSeconds);

} // namespace meterscope::test
