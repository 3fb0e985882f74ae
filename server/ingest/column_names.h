#pragma once

#include "ingest/csv_reader.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meterscope::ingest {

/// A header cell split into a name and a unit: "Consumption (kwh)" and
/// "Energy [kWh]" give the unit and the name without it; a cell that is a
/// unit alone ("kWh", not one letter) keeps it as its name too. Only known
/// units count ("(per half hour)" stays in the name).
SeriesInfo splitUnit(std::string_view header);

/// The 0-based column a user's COL means: a 1-based number, or a header
/// name (any case, surrounding blanks ignored, with or without its unit).
/// Throws ReaderError naming `what` (e.g. "the time column"), the file and
/// the header's columns when it names none.
std::size_t findColumn(std::string_view reference, const std::vector<std::string> *header, std::size_t cellCount,
                       std::string_view what, const ReaderOptions &options);

/// The series names and units of the value columns (see ReaderSink::columns()):
/// from the header (unit split off) or the file name, then
/// ReaderOptions::seriesName and ReaderOptions::unit. Throws ReaderError for
/// duplicate names and a seriesName with several value columns.
std::vector<SeriesInfo> valueColumnNames(const std::vector<std::size_t> &valueColumns,
                                         const std::vector<std::string> *header, const ReaderOptions &options);

} // namespace meterscope::ingest
