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

} // namespace meterscope::test
