#include "ingest/layout.h"

#include "ingest/cell_text.h"
#include "ingest/time_cell.h"

#include <unordered_map>

namespace meterscope::ingest {

namespace {

constexpr std::string_view kFallbackSeriesName = "series";

std::vector<std::string> seriesNames(std::size_t timeColumns, std::size_t cellCount,
                                     const std::vector<std::string> *header, const ReaderOptions &options)
{
    const std::size_t valueColumns = cellCount - timeColumns;
    std::vector<std::string> names;
    names.reserve(valueColumns);
    if (!options.seriesName.empty()) {
        if (valueColumns > 1) {
            std::string message = "a series name (";
            appendQuoted(message, options.seriesName);
            throw ReaderError(message + ") names a single series, but " + fileLabel(options.fileName) + " has "
                              + std::to_string(valueColumns) + " value columns; leave it empty to name each series"
                              + " after its column");
        }
        names.push_back(toUtf8(options.seriesName));
        return names;
    }
    if (header) {
        for (std::size_t k = 1; k <= valueColumns; ++k) {
            std::string name = toUtf8((*header)[timeColumns + k - 1]);
            names.push_back(name.empty() ? "column_" + std::to_string(k) : std::move(name));
        }
    } else {
        std::string base = seriesNameFromFile(options.fileName);
        if (base.empty())
            base = kFallbackSeriesName;
        if (valueColumns == 1)
            names.push_back(base);
        for (std::size_t k = 1; valueColumns > 1 && k <= valueColumns; ++k)
            names.push_back(base + "_" + std::to_string(k));
    }
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t k = 0; k < names.size(); ++k) {
        const auto [it, inserted] = seen.emplace(names[k], k);
        if (inserted)
            continue;
        std::string message = "duplicate column name ";
        appendQuoted(message, names[k]);
        throw ReaderError(message + " in the header of " + fileLabel(options.fileName) + " (value columns "
                          + std::to_string(it->second + 1) + " and " + std::to_string(k + 1)
                          + "); each series needs its own name");
    }
    return names;
}

Layout timeThenValues(std::size_t timeColumns, std::size_t cellCount, const std::vector<std::string> *header,
                      const ReaderOptions &options)
{
    Layout layout;
    layout.seriesNames = seriesNames(timeColumns, cellCount, header, options);
    layout.cellCount = cellCount;
    for (std::size_t column = 0; column < cellCount; ++column)
        (column < timeColumns ? layout.timeColumns : layout.valueColumns).push_back(column);
    return layout;
}

} // namespace

Layout layoutFromRecord(const std::vector<std::string_view> &cells, std::size_t cellCount,
                        const std::vector<std::string> *header, TimeCellParser &times, const ReaderOptions &options)
{
    if (cellCount > kMaxColumns)
        throw ReaderError("the first record of " + fileLabel(options.fileName) + " has more than "
                          + std::to_string(kMaxColumns) + " cells");
    if (cellCount < 2) {
        std::string message = "the first record of " + fileLabel(options.fileName) + " has only one cell (";
        appendQuoted(message, cells.front());
        throw ReaderError(message + "); separate the time and the values with ',' ';' or a tab");
    }
    const bool split = cellCount >= 3 && times.isSplitTime(cells[0], cells[1]);
    return timeThenValues(split ? 2 : 1, cellCount, header, options);
}

Layout layoutFromHeader(const std::vector<std::string> &header, const ReaderOptions &options)
{
    const bool split
        = header.size() >= 3 && equalsIgnoringCase(header[0], "date") && equalsIgnoringCase(header[1], "time");
    return timeThenValues(split ? 2 : 1, header.size(), &header, options);
}

std::string seriesNameFromFile(std::string_view fileName)
{
    if (const std::size_t slash = fileName.find_last_of("/\\"); slash != std::string_view::npos)
        fileName.remove_prefix(slash + 1);
    if (const std::size_t dot = fileName.rfind('.'); dot != std::string_view::npos && dot > 0)
        fileName = fileName.substr(0, dot);
    return toUtf8(fileName);
}

} // namespace meterscope::ingest
