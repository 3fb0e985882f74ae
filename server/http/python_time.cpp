#include "http/python_time.h"

#include <date/date.h>

namespace meterscope::http {

void appendPythonStr(std::string &out, timeutil::Micros utc)
{
    using namespace std::chrono;
    const sys_time<microseconds> time{microseconds(utc)};
    const auto seconds = floor<std::chrono::seconds>(time);
    out += date::format("%F %T", seconds);
    if (const auto fraction = (time - seconds).count(); fraction != 0) {
        char digits[8];
        std::snprintf(digits, sizeof digits, ".%06lld", static_cast<long long>(fraction));
        out += digits;
    }
}

} // namespace meterscope::http
