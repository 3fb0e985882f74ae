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

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// ASCII letters in lower case, everything else as it is.
inline char toLowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

/// True when `text` equals `lowercase` but for the case of ASCII letters.
inline bool equalsIgnoringCase(std::string_view text, std::string_view lowercase)
{
    if (text.size() != lowercase.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (toLowerAscii(text[i]) != lowercase[i])
            return false;
    }
    return true;
}

/// `text` without leading and trailing spaces and tabs.
std::string_view trimBlanks(std::string_view text);

/// Appends `text` in single quotes for a message: at most kQuotedChars
/// characters (then "..."), control characters and bytes that are not UTF-8
/// written as escapes, so the message is always valid UTF-8 on one line.
void appendQuoted(std::string &out, std::string_view text);

/// How messages name the file: `fileName` quoted, or "the input" without one.
std::string fileLabel(std::string_view fileName);

/// `text` as valid UTF-8: unchanged when it already is, otherwise read as
/// Windows-1252/Latin-1 (what spreadsheets write on Western Windows).
std::string toUtf8(std::string_view text);

} // namespace meterscope::ingest
