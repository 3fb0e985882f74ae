#include "support/generated_csv.h"

#include "time/instant.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <vector>

namespace meterscope::test {

namespace {
constexpr std::uint64_t kRowsPerFill = 4096;
// 2020-01-01T00:00:00Z
constexpr timeutil::Micros kStart = 1'577'836'800LL * timeutil::kMicrosPerSecond;
} // namespace

GeneratedCsv::GeneratedCsv(std::string series, std::uint64_t rows, int valueDigits)
    : m_header("time," + series + "\n")
    , m_rows(rows)
    , m_valueDigits(valueDigits)
{
}

timeutil::Micros GeneratedCsv::timeAt(std::uint64_t index) const
{
    return kStart + timeutil::Micros(index) * timeutil::kMicrosPerSecond;
}

std::string GeneratedCsv::valueText(std::uint64_t index) const
{
    std::string text = std::to_string(index % 100) + '.';
    for (int i = 0; i < m_valueDigits; ++i)
        text += char('0' + (index + i) % 10);
    return text;
}

double GeneratedCsv::valueAt(std::uint64_t index) const
{
    return std::strtod(valueText(index).c_str(), nullptr);
}

std::string GeneratedCsv::row(std::uint64_t index) const
{
    // "2020-01-01 00:00:00,<int>.<digits>": the sample's layout.
    std::string line = timeutil::formatIso(timeAt(index));
    line[10] = ' ';
    line.pop_back(); // the Z: naive, as in the sample
    line += ',' + valueText(index) + '\n';
    return line;
}

std::uint64_t GeneratedCsv::size() const
{
    // A row is "YYYY-MM-DD HH:MM:SS," + one or two digits + "." + digits + "\n";
    // the integer part has one digit when index % 100 < 10.
    const std::uint64_t oneDigit = m_rows / 100 * 10 + std::min<std::uint64_t>(m_rows % 100, 10);
    const std::uint64_t fixed = 20 + 1 + std::uint64_t(m_valueDigits) + 1;
    return m_header.size() + m_rows * (fixed + 2) - oneDigit;
}

GeneratedCsv::int_type GeneratedCsv::underflow()
{
    m_buffer.clear();
    if (!m_headerDone) {
        m_buffer = m_header;
        m_headerDone = true;
    }
    for (std::uint64_t i = 0; i < kRowsPerFill && m_next < m_rows; ++i, ++m_next)
        m_buffer += row(m_next);
    if (m_buffer.empty())
        return traits_type::eof();
    setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + m_buffer.size());
    return traits_type::to_int_type(m_buffer[0]);
}

} // namespace meterscope::test
