#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace meterscope::tokens {

/// A token file or token that cannot be used; the message is one sentence
/// naming the file and line.
class TokenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The tokens of a token file, in file order. The format, for the server's
/// --token-file and the clients' alike: one token per line; blank lines and
/// lines whose first non-blank character is `#` are ignored; spaces, tabs
/// and a CR around a token are dropped. A token is made of the characters
/// RFC 6750 allows (letters, digits, `-._~+/`, trailing `=`). Throws
/// TokenError for an unreadable file, a line that is not a token, or a
/// file without any token.
std::vector<std::string> readTokenFile(const std::string &path);

/// The tokens of a token file's text; `origin` names it in messages.
std::vector<std::string> parseTokens(std::string_view text, const std::string &origin);

/// Throws TokenError (naming `origin`) unless `token` is a valid bearer token.
void checkToken(std::string_view token, const std::string &origin);

/// The token of an `authorization` header value `Bearer <token>`; the scheme
/// in any case (RFC 6750 and 7235). None for another scheme or no token.
std::optional<std::string_view> bearerToken(std::string_view header);

} // namespace meterscope::tokens
