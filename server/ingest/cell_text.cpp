#include "ingest/cell_text.h"

#include <cstdint>

namespace meterscope::ingest {

namespace {

std::size_t wellFormedUtf8Length(std::string_view s)
{
    const auto byte = [&](std::size_t i) { return std::uint8_t(s[i]); };
    const std::uint8_t lead = byte(0);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    std::uint8_t low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        // Rules out overlong forms and UTF-16 surrogates.
        if (lead == 0xE0)
            low = 0xA0;
        else if (lead == 0xED)
            high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        // Rules out overlong forms and code points beyond U+10FFFF.
        if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F;
    } else {
        return 0;
    }
    if (s.size() < length)
        return 0;
    if (byte(1) < low || byte(1) > high)
        return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF)
            return 0;
    }
    return length;
}

void appendHexEscape(std::string &out, std::uint8_t byte)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
}

void appendCodePoint(std::string &out, char32_t c)
{
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

// Windows-1252 0x80-0x9F; the five unassigned bytes keep their Latin-1 meaning.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

} // namespace

std::string_view trimBlanks(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

void appendQuoted(std::string &out, std::string_view text)
{
    out += '\'';
    std::size_t characters = 0;
    while (!text.empty()) {
        if (characters == kQuotedChars) {
            out += "...";
            break;
        }
        ++characters;
        const auto lead = std::uint8_t(text.front());
        if (lead < 0x20 || lead == 0x7F) {
            switch (lead) {
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                appendHexEscape(out, lead);
            }
            text.remove_prefix(1);
            continue;
        }
        const std::size_t length = wellFormedUtf8Length(text);
        if (length == 0) {
            appendHexEscape(out, lead);
            text.remove_prefix(1);
            continue;
        }
        out.append(text.substr(0, length));
        text.remove_prefix(length);
    }
    out += '\'';
}

std::string fileLabel(std::string_view fileName)
{
    if (fileName.empty())
        return "the input";
    std::string label;
    appendQuoted(label, fileName);
    return label;
}

std::string toUtf8(std::string_view text)
{
    std::string_view rest = text;
    while (!rest.empty()) {
        const std::size_t length = wellFormedUtf8Length(rest);
        if (length == 0)
            break;
        rest.remove_prefix(length);
    }
    if (rest.empty())
        return std::string(text);

    std::string out;
    out.reserve(text.size() * 2);
    for (const char c : text) {
        const auto byte = std::uint8_t(c);
        if (byte >= 0x80 && byte <= 0x9F)
            appendCodePoint(out, kCp1252High[byte - 0x80]);
        else
            appendCodePoint(out, byte);
    }
    return out;
}

} // namespace meterscope::ingest
