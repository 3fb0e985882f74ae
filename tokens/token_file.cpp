#include "tokens/token_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace meterscope::tokens {

namespace {

constexpr std::string_view kBlank = " \t\r";
// Longer than any token anyone writes, short enough to never matter.
constexpr std::size_t kMaxToken = 4096;

std::string_view trim(std::string_view text)
{
    const auto begin = text.find_first_not_of(kBlank);
    if (begin == std::string_view::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(kBlank) - begin + 1);
}

bool tokenCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
           || c == '_' || c == '~' || c == '+' || c == '/';
}

} // namespace

void checkToken(std::string_view token, const std::string &origin)
{
    if (token.empty())
        throw TokenError(origin + " holds an empty token");
    if (token.size() > kMaxToken)
        throw TokenError(origin + " holds a token longer than " + std::to_string(kMaxToken) + " characters");
    std::size_t end = token.size();
    while (end > 1 && token[end - 1] == '=')
        --end;
    for (std::size_t i = 0; i < end; ++i) {
        if (!tokenCharacter(token[i]))
            throw TokenError(origin + " holds a token with a character a bearer token cannot have (character "
                             + std::to_string(i + 1) + "); tokens are letters, digits and -._~+/ with trailing =");
    }
}

std::vector<std::string> parseTokens(std::string_view text, const std::string &origin)
{
    std::vector<std::string> tokens;
    std::size_t lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        const std::size_t newline = text.find('\n');
        const std::string_view line = trim(text.substr(0, newline));
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (line.empty() || line.front() == '#')
            continue;
        checkToken(line, origin + " line " + std::to_string(lineNumber));
        tokens.emplace_back(line);
    }
    if (tokens.empty())
        throw TokenError(origin + " holds no token");
    return tokens;
}

std::vector<std::string> readTokenFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw TokenError("cannot read the token file " + path + " (" + std::strerror(errno) + ")");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw TokenError("cannot read the token file " + path);
    return parseTokens(text.str(), "the token file " + path);
}

std::optional<std::string_view> bearerToken(std::string_view header)
{
    constexpr std::string_view kScheme = "bearer";
    if (header.size() <= kScheme.size() || (header[kScheme.size()] != ' ' && header[kScheme.size()] != '\t'))
        return std::nullopt;
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        const char c = header[i] >= 'A' && header[i] <= 'Z' ? char(header[i] - 'A' + 'a') : header[i];
        if (c != kScheme[i])
            return std::nullopt;
    }
    const std::string_view token = trim(header.substr(kScheme.size()));
    if (token.empty())
        return std::nullopt;
    return token;
}

} // namespace meterscope::tokens
