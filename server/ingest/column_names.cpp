#include "ingest/column_names.h"

#include "ingest/cell_text.h"

#include <unordered_map>

namespace meterscope::ingest {

namespace {

constexpr std::string_view kFallbackSeriesName = "series";

// Lower case. What meters, utilities and home automation write.
constexpr std::string_view kUnits[]
    = {"wh",    "kwh", "mwh", "gwh", "w",   "kw",  "mw",    "va",     "kva",  "var",  "kvar", "varh",
       "kvarh", "v",   "kv",  "a",   "ma",  "hz",  "°c",    "°f",     "degc", "degf", "%",    "m3",
       "m³",    "l",   "gal", "ft3", "ccf", "mcf", "therm", "therms", "kg",   "mj",   "gj",   "btu",
       "ppm",   "lux", "pa",  "hpa", "kpa", "bar", "psi",   "m/s",    "kw/h", "l/h",  "m3/h"};

bool isUnit(std::string_view text)
{
    for (const std::string_view unit : kUnits) {
        if (equalsIgnoringCase(text, unit))
            return true;
    }
    return false;
}

std::string lowerTrimmed(std::string_view text)
{
    std::string out(trimBlanks(text));
    for (char &c : out)
        c = toLowerAscii(c);
    return out;
}

bool allDigits(std::string_view text)
{
    if (text.empty())
        return false;
    for (const char c : text) {
        if (!isDigit(c))
            return false;
    }
    return true;
}

} // namespace

SeriesInfo splitUnit(std::string_view header)
{
    const std::string_view cell = trimBlanks(header);
    // One letter alone ("v", "a") is more often a name than a unit.
    if (cell.size() > 1 && isUnit(cell))
        return {toUtf8(cell), toUtf8(cell)};
    if (cell.size() > 2 && (cell.back() == ')' || cell.back() == ']')) {
        const char open = cell.back() == ')' ? '(' : '[';
        if (const std::size_t at = cell.rfind(open); at != std::string_view::npos && at > 0) {
            const std::string_view unit = trimBlanks(cell.substr(at + 1, cell.size() - at - 2));
            const std::string_view name = trimBlanks(cell.substr(0, at));
            if (isUnit(unit) && !name.empty())
                return {toUtf8(name), toUtf8(unit)};
        }
    }
    return {toUtf8(cell), {}};
}

std::size_t findColumn(std::string_view reference, const std::vector<std::string> *header, std::size_t cellCount,
                       std::string_view what, const ReaderOptions &options)
{
    const std::string_view ref = trimBlanks(reference);
    std::string message(what);
    message += ' ';
    appendQuoted(message, ref);
    if (allDigits(ref)) {
        const std::size_t number = ref.size() > 6 ? 0 : std::stoul(std::string(ref));
        if (number >= 1 && number <= cellCount)
            return number - 1;
        throw ReaderError(message + " is not a column of " + fileLabel(options.fileName) + ", which has "
                          + std::to_string(cellCount) + " columns (numbered from 1)");
    }
    const std::string wanted = lowerTrimmed(ref);
    const std::string wantedName = lowerTrimmed(splitUnit(ref).name);
    if (header) {
        for (std::size_t column = 0; column < header->size(); ++column) {
            const std::string name = lowerTrimmed(splitUnit((*header)[column]).name);
            if (lowerTrimmed((*header)[column]) == wanted || name == wanted || name == wantedName)
                return column;
        }
        message += " names no column in the header of " + fileLabel(options.fileName) + " (";
        for (std::size_t column = 0; column < header->size() && column < 20; ++column) {
            if (column > 0)
                message += ", ";
            appendQuoted(message, (*header)[column]);
        }
        throw ReaderError(message + (header->size() > 20 ? ", ...)" : ")") + "; give a header name or a column number");
    }
    throw ReaderError(message + " is a name, but " + fileLabel(options.fileName)
                      + " has no header; give a column number (from 1)");
}

std::vector<SeriesInfo> valueColumnNames(const std::vector<std::size_t> &valueColumns,
                                         const std::vector<std::string> *header, const ReaderOptions &options)
{
    std::vector<SeriesInfo> names;
    names.reserve(valueColumns.size());
    if (header) {
        for (std::size_t k = 1; k <= valueColumns.size(); ++k) {
            SeriesInfo info = splitUnit((*header)[valueColumns[k - 1]]);
            if (info.name.empty())
                info.name = "column_" + std::to_string(k);
            names.push_back(std::move(info));
        }
    } else {
        std::string base = seriesNameFromFile(options.fileName);
        if (base.empty())
            base = kFallbackSeriesName;
        for (std::size_t k = 1; k <= valueColumns.size(); ++k)
            names.push_back({valueColumns.size() == 1 ? base : base + "_" + std::to_string(k), {}});
    }
    if (!options.unit.empty()) {
        for (SeriesInfo &info : names)
            info.unit = toUtf8(options.unit);
    }
    if (!options.seriesName.empty()) {
        if (valueColumns.size() > 1) {
            std::string message = "a series name (";
            appendQuoted(message, options.seriesName);
            throw ReaderError(message + ") names a single series, but " + fileLabel(options.fileName) + " has "
                              + std::to_string(valueColumns.size())
                              + " value columns; leave it empty to name each series after its column");
        }
        names.front().name = toUtf8(options.seriesName);
        return names;
    }
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t k = 0; k < names.size(); ++k) {
        const auto [it, inserted] = seen.emplace(names[k].name, k);
        if (inserted)
            continue;
        std::string message = "duplicate column name ";
        appendQuoted(message, names[k].name);
        throw ReaderError(message + " in the header of " + fileLabel(options.fileName) + " (value columns "
                          + std::to_string(it->second + 1) + " and " + std::to_string(k + 1)
                          + "); each series needs its own name");
    }
    return names;
}

} // namespace meterscope::ingest
