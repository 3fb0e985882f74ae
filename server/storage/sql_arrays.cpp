#include "storage/sql_arrays.h"

#include "storage/sql_time.h"

namespace meterscope::storage {

std::string idArray(const std::vector<std::int32_t> &ids)
{
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i)
        out += (i ? "," : "") + std::to_string(ids[i]);
    return out + "}";
}

std::string textArray(const std::vector<std::string> &items)
{
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i ? ",\"" : "\"";
        for (const char c : items[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string timeArray(const std::vector<timeutil::Micros> &times)
{
    std::string out = "{";
    for (std::size_t i = 0; i < times.size(); ++i)
        out += (i ? "," : "") + sqlTime(times[i]);
    return out + "}";
}

} // namespace meterscope::storage
