#include "storage/sql_message.h"

#include <cstring>

namespace meterscope::storage {

namespace {
constexpr std::size_t kMaxLine = 200;
} // namespace

std::string firstLine(const std::string &text)
{
    std::string line = text.substr(0, text.find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
        line.pop_back();
    if (line.size() > kMaxLine) {
        line.resize(kMaxLine);
        // Not in the middle of a UTF-8 sequence.
        while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xc0) == 0x80)
            line.pop_back();
        if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xc0)
            line.pop_back();
        line += "…";
    }
    return line;
}

std::string sqlMessage(const std::string &text)
{
    std::string out = firstLine(text);
    // The severity says nothing the caller does not know.
    for (const char *severity : {"ERROR:", "FATAL:"}) {
        if (out.rfind(severity, 0) == 0)
            out.erase(0, out.find_first_not_of(' ', std::strlen(severity)));
    }
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at)) {
        const std::string line = firstLine(text.substr(++at));
        for (const char *field : {"DETAIL:", "HINT:"}) {
            if (line.rfind(field, 0) == 0) {
                const std::size_t body = line.find_first_not_of(' ', std::strlen(field));
                if (body != std::string::npos)
                    out += std::string("; ") + field + " " + line.substr(body);
            }
        }
    }
    return out;
}

} // namespace meterscope::storage
