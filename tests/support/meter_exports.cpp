#include "support/meter_exports.h"

#include <date/date.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace meterscope::test {

namespace {

using Minutes = date::sys_time<std::chrono::minutes>;

Minutes at(date::year_month_day day, std::size_t index, int cadenceMinutes)
{
    return date::sys_days(day) + std::chrono::minutes(std::int64_t(index) * cadenceMinutes);
}

std::size_t intervals(const ExportShape &shape)
{
    return std::size_t(shape.days) * std::size_t(24 * 60 / shape.cadenceMinutes);
}

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    return text;
}

} // namespace

double meterReading(int meter, std::size_t index, int cadenceMinutes)
{
    const double hour = std::fmod(double(index) * cadenceMinutes / 60.0, 24.0);
    const double profile
        = 0.15 + 0.45 * std::exp(-std::pow(hour - 7.5, 2) / 3) + 0.9 * std::exp(-std::pow(hour - 19, 2) / 5);
    // A hash for noise: the same value for the same meter and interval everywhere.
    const std::uint64_t h = (std::uint64_t(index) * 2654435761u + std::uint64_t(meter) * 40503u) % 1000u;
    const double noise = (double(h) / 1000.0 - 0.5) * 0.1;
    return std::round(std::max(0.001, profile * (1 + 0.25 * meter) + noise) * 1000.0) / 1000.0;
}

bool isGap(int meter, std::size_t index)
{
    return (index * 7 + std::size_t(meter) * 13) % 97 == 5;
}

std::string smartMeterTrial(const ExportShape &shape)
{
    using namespace date::literals;
    std::string out = "LCLid,stdorToU,DateTime,KWH/hh (per half hour) \n";
    char id[16];
    for (int m = 0; m < shape.meters; ++m) {
        std::snprintf(id, sizeof id, "MAC%06d", m + 2);
        for (std::size_t i = 0; i < intervals(shape); ++i) {
            out += id;
            out += ",Std,";
            out += date::format("%Y-%m-%d %H:%M:%S.0000000,", at(2012_y / 10 / 12, i, shape.cadenceMinutes));
            out += isGap(m, i) ? std::string(" Null") : number(meterReading(m, i, shape.cadenceMinutes)) + " ";
            out += '\n';
        }
    }
    return out;
}

std::string utilityConsumption(const ExportShape &shape)
{
    using namespace date::literals;
    std::string out = " Consumption (kwh), Start, End\n";
    for (std::size_t i = 0; i < intervals(shape); ++i) {
        if (isGap(0, i))
            continue;
        out += number(meterReading(0, i, shape.cadenceMinutes));
        out += date::format(", %Y-%m-%dT%H:%M:%S+00:00", at(2023_y / 3 / 25, i, shape.cadenceMinutes));
        out += date::format(", %Y-%m-%dT%H:%M:%S+00:00\n", at(2023_y / 3 / 25, i + 1, shape.cadenceMinutes));
    }
    return out;
}

std::string utilityDownload(const ExportShape &shape)
{
    using namespace date::literals;
    std::string out = "Name,JANE DOE\n"
                      "Address,\"12 MAIN ST, SPRINGFIELD\"\n"
                      "Account Number,3100012345\n"
                      "Service,Service 1\n"
                      "\n"
                      "TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST,NOTES\n";
    for (std::size_t i = 0; i < intervals(shape); ++i) {
        const Minutes start = at(2024_y / 1 / 1, i, shape.cadenceMinutes);
        const double usage = meterReading(0, i, shape.cadenceMinutes);
        out += date::format("Electric usage,%Y-%m-%d,%H:%M,", start);
        out += date::format("%H:%M,", start + std::chrono::minutes(shape.cadenceMinutes - 1));
        out += isGap(0, i) ? std::string() : number(usage);
        char cost[16];
        std::snprintf(cost, sizeof cost, "$%.2f", usage * 0.21);
        out += ",kWh," + std::string(cost) + ",\n";
    }
    return out;
}

std::string homeAutomationHistory(const ExportShape &shape)
{
    using namespace date::literals;
    std::string out = "entity_id,state,last_changed\n";
    for (std::size_t i = 0; i < intervals(shape); ++i) {
        const std::string time = date::format("%Y-%m-%dT%H:%M:%S.000Z", at(2023_y / 6 / 1, i, shape.cadenceMinutes));
        for (int m = 0; m < shape.meters; ++m) {
            out += "sensor.meter_" + std::to_string(m) + "_power,";
            out += isGap(m, i) ? std::string("unavailable") : number(meterReading(m, i, shape.cadenceMinutes));
            out += ',' + time + '\n';
        }
    }
    return out;
}

std::string householdPower(const ExportShape &shape, bool ambiguousStart)
{
    using namespace date::literals;
    std::string out = "Date;Time;Global_active_power;Global_reactive_power;Voltage;Global_intensity\n";
    const date::year_month_day first = ambiguousStart ? 2007_y / 2 / 1 : 2006_y / 12 / 16;
    for (std::size_t i = 0; i < intervals(shape); ++i) {
        out += date::format("%d/%m/%Y;%H:%M:%S", at(first, i, shape.cadenceMinutes));
        for (int m = 0; m < 4; ++m)
            out += ';' + (isGap(0, i) ? std::string("?") : number(meterReading(m, i, shape.cadenceMinutes)));
        out += '\n';
    }
    return out;
}

std::string wideExport(const ExportShape &shape)
{
    using namespace date::literals;
    std::string out = "time";
    for (int m = 0; m < shape.meters; ++m)
        out += ",meter_" + std::to_string(m + 1);
    out += '\n';
    for (std::size_t i = 0; i < intervals(shape); ++i) {
        out += date::format("%Y-%m-%d %H:%M:%S", at(2019_y / 1 / 1, i + 1, shape.cadenceMinutes));
        for (int m = 0; m < shape.meters; ++m)
            out += ',' + (isGap(m, i) ? std::string() : number(meterReading(m, i, shape.cadenceMinutes)));
        out += '\n';
    }
    return out;
}

} // namespace meterscope::test
