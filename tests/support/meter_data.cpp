#include "support/meter_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

namespace meterscope::test {

namespace {

constexpr std::int64_t kDay = 86'400;

// "YYYY-MM-DD HH:MM:SS" of a UTC time in seconds (Howard Hinnant's
// days-to-civil), without the C library's time zone machinery.
void formatTime(std::int64_t seconds, char *out)
{
    std::int64_t days = seconds / kDay, rest = seconds % kDay;
    if (rest < 0) {
        rest += kDay;
        --days;
    }
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2);
    std::snprintf(out, 20, "%04d-%02d-%02d %02d:%02d:%02d", int(year), int(month), int(day), int(rest / 3600),
                  int(rest / 60 % 60), int(rest % 60));
}

std::string twoDecimals(double value)
{
    char text[32];
    const auto done = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 2);
    return std::string(text, done.ptr);
}

std::string meterName(int meter)
{
    char name[24];
    std::snprintf(name, sizeof name, "meter_%04d", meter + 1);
    return name;
}

} // namespace

double meterValue(int meter, timeutil::Micros time, std::int64_t cadenceSeconds)
{
    const std::int64_t seconds = time / timeutil::kMicrosPerSecond + cadenceSeconds / 2;
    const std::int64_t days = seconds >= 0 ? seconds / kDay : (seconds - kDay + 1) / kDay;
    const double hour = double(seconds - days * kDay) / 3600.0;
    const std::int64_t weekday = ((days + 4) % 7 + 7) % 7; // 0 Sunday; 1970-01-01 was a Thursday
    const bool weekend = weekday == 0 || weekday == 6;
    const double size = 1.0 + 0.37 * double(meter % 11);
    double load = 0.25;
    if (meter % 3 == 0) {
        // Open 8:00-18:00 on weekdays, ramping up and down over an hour.
        const double open = std::clamp(hour - 7.5, 0.0, 1.0) * std::clamp(18.5 - hour, 0.0, 1.0);
        load += weekend ? 0.05 : 1.6 * open;
    } else {
        const double morning = weekend ? 9.0 : 7.25, evening = weekend ? 18.5 : 19.0;
        load += 0.7 * std::exp(-std::pow(hour - morning, 2) / 1.5) + 1.1 * std::exp(-std::pow(hour - evening, 2) / 4)
                + (weekend ? 0.3 * std::exp(-std::pow(hour - 13, 2) / 3) : 0.0);
    }
    // A hash of meter and time for noise, the same everywhere.
    std::uint64_t h = std::uint64_t(seconds) * 0x9E3779B97F4A7C15ull ^ std::uint64_t(meter) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 31;
    const double noise = (double(h % 10'000) / 10'000.0 - 0.5) * 0.12;
    return std::round(std::max(0.01, size * load + noise) * 100.0) / 100.0;
}

std::uint64_t writeMeterFile(const QString &path, const MeterSeries &series, MeterLayout layout)
{
    std::FILE *out = std::fopen(path.toLocal8Bit().constData(), "w");
    if (!out)
        return 0;
    std::string buffer;
    const auto flush = [&] {
        std::fwrite(buffer.data(), 1, buffer.size(), out);
        buffer.clear();
    };
    const int meters = layout == MeterLayout::OneSeries ? 1 : series.meters;
    const std::int64_t first = series.start / timeutil::kMicrosPerSecond;
    char time[24];
    const auto timeOf = [&](std::uint64_t i) {
        const std::int64_t seconds = first + std::int64_t(i) * series.cadenceSeconds;
        formatTime(seconds, time);
        return timeutil::Micros(seconds) * timeutil::kMicrosPerSecond;
    };
    if (layout == MeterLayout::Wide || layout == MeterLayout::OneSeries) {
        buffer += "time";
        for (int m = 0; m < meters; ++m)
            buffer += "," + meterName(m);
        buffer += '\n';
        for (std::uint64_t i = 0; i < series.readings; ++i) {
            const timeutil::Micros t = timeOf(i);
            buffer += time;
            for (int m = 0; m < meters; ++m)
                buffer += "," + twoDecimals(meterValue(m, t, series.cadenceSeconds));
            buffer += '\n';
            if (buffer.size() > (1 << 20))
                flush();
        }
    } else {
        if (layout == MeterLayout::Long)
            buffer += "meter,time,kWh\n";
        for (int m = 0; m < meters; ++m) {
            const std::string id = layout == MeterLayout::Long ? meterName(m) : std::to_string(m + 1);
            for (std::uint64_t i = 0; i < series.readings; ++i) {
                const timeutil::Micros t = timeOf(i);
                buffer += id;
                buffer += ',';
                buffer += time;
                buffer += layout == MeterLayout::Copy ? "+00," : ",";
                buffer += twoDecimals(meterValue(m, t, series.cadenceSeconds));
                buffer += '\n';
                if (buffer.size() > (1 << 20))
                    flush();
            }
        }
    }
    flush();
    return std::fclose(out) == 0 ? series.readings * std::uint64_t(meters) : 0;
}

} // namespace meterscope::test
