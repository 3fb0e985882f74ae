#include "client/export_format.h"

#include "time/instant.h"
#include "json/json.h"

#include <cmath>

namespace meterscope::client {

namespace {

constexpr std::size_t kFlushBytes = 1 << 16;

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",;\t\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace

PointWriter::PointWriter(std::ostream &out, ExportFormat format, const std::string &series, timeutil::Zone zone)
    : m_out(out)
    , m_format(format)
    , m_zone(std::move(zone))
{
    m_buffer = m_format == ExportFormat::Csv ? "time," + csvField(series) + "\n" : "{";
}

void PointWriter::write(timeutil::Micros time, double value)
{
    if (m_format == ExportFormat::Csv) {
        timeutil::appendIso(m_buffer, time, m_zone);
        m_buffer += ',';
        if (std::isfinite(value))
            json::appendJsonNumber(m_buffer, value);
        m_buffer += '\n';
    } else {
        m_buffer += m_count ? ",\n  " : "\n  ";
        json::appendJsonPoint(m_buffer, time, value, m_zone);
    }
    ++m_count;
    if (m_buffer.size() >= kFlushBytes)
        flush();
}

void PointWriter::write(const v1::PointBatch &batch)
{
    for (int i = 0; i < batch.time_us_size(); ++i)
        write(batch.time_us(i), batch.value(i));
}

void PointWriter::finish()
{
    if (m_format == ExportFormat::Json)
        m_buffer += m_count ? "\n}\n" : "}\n";
    flush();
    m_out.flush();
}

void PointWriter::flush()
{
    m_out.write(m_buffer.data(), std::streamsize(m_buffer.size()));
    m_buffer.clear();
}

} // namespace meterscope::client
