#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace meterscope::test {

/// The size of a generated export.
struct ExportShape {
    int meters = 3;
    int days = 2;
    int cadenceMinutes = 30;
};

/// Meter `meter`'s usage in interval `index` (counted from midnight of the
/// first day at the export's cadence): a daily profile (low at night, peaks
/// morning and evening), each meter its own scale, and deterministic noise;
/// three decimals. The exports below write exactly this value.
double meterReading(int meter, std::size_t index, int cadenceMinutes);

/// True for the readings an export writes as missing (its own token): about
/// one in 97, at places that differ per meter.
bool isGap(int meter, std::size_t index);

// Generated exports in the layouts people download, each held in memory
// (small enough for tests); the header names and cell styles are the real
// ones, the data is made up (meterReading()).

/// A smart-meter trial in long format: `LCLid,stdorToU,DateTime,KWH/hh (per
/// half hour) `, rows `MAC000002,Std,2012-10-12 00:30:00.0000000,0.081 `
/// grouped by meter (MAC000002, MAC000003, ...; meter m is
/// MAC%06d of m + 2), `Null` for a gap. Starts 2012-10-12 00:00 UTC.
std::string smartMeterTrial(const ExportShape &shape);

/// A utility's consumption download for one meter (meter 0): ` Consumption
/// (kwh), Start, End` with interval starts and ends in ISO 8601 with
/// offsets, from 2023-03-25T00:00:00+00:00; gaps are left out.
std::string utilityConsumption(const ExportShape &shape);

/// A utility "download my data" file for one meter (meter 0): an account
/// preamble (Name, Address, Account Number, Service, a blank line), then
/// `TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST,NOTES` with
/// `Electric usage,2024-01-01,00:00,00:14,0.12,kWh,$0.03,`; gaps are empty
/// USAGE cells. Starts 2024-01-01 00:00 local time.
std::string utilityDownload(const ExportShape &shape);

/// A home-automation history export: `entity_id,state,last_changed`, one
/// row per sensor (sensor.meter_<m>_power) per interval, sensors
/// interleaved, `unavailable` for a gap, times ISO 8601 with "Z" and
/// milliseconds. Starts 2023-06-01T00:00:00.000Z.
std::string homeAutomationHistory(const ExportShape &shape);

/// A household power data set: `Date;Time;Global_active_power;
/// Global_reactive_power;Voltage;Global_intensity` with day-first dates
/// (`16/12/2006;17:24:00`), `?` for a gap (in every value cell of the row),
/// meters 0..3 as the four value columns. Starts 16/12/2006 00:00, or
/// 01/02/2007 00:00 with `ambiguousStart` (no day over 12 for a while).
std::string householdPower(const ExportShape &shape, bool ambiguousStart = false);

/// The prototype's layout, wide: `time,meter_1,...` with
/// `2019-01-01 00:30:00` times from one cadence after midnight, empty
/// cells for gaps; meter m is column m + 1.
std::string wideExport(const ExportShape &shape);

} // namespace meterscope::test
