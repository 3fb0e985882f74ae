#pragma once

#include <string>
#include <string_view>

namespace meterscope::ingest {

/// How many characters of a cell a message quotes before cutting it short.
inline constexpr std::size_t kQuotedChars = 40;

/// True for the blanks trimmed around cells: space, and tab unless tab
/// separates the cells.
inline bool isBlank(char c, char delimiter)
{
    return c == ' ' || (c == '\t' && delimiter != '\t');
}

/// `text` without leading and trailing spaces and tabs.
std::string_view trimBlanks(std::string_view text);

/// Appends `text` in single quotes for a message: at most kQuotedChars
/// characters (then "..."), control characters and bytes that are not UTF-8
/// written as escapes, so the message is always valid UTF-8 on one line.
void appendQuoted(std::string &out, std::string_view text);

/// `text` as valid UTF-8: unchanged when it already is, otherwise read as
/// Windows-1252/Latin-1 (what spreadsheets write on Western Windows).
std::string toUtf8(std::string_view text);

} // namespace meterscope::ingest
