#pragma once

#include <stdexcept>
#include <string>

namespace meterscope::net {

/// A socket path that cannot be used; the message is one sentence naming it.
class SocketError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Throws SocketError when another server answers on the Unix socket at
/// `path` (a listener would silently take its place) or the path is too
/// long; a stale socket file left by a crash is fine.
void checkUnixSocketFree(const std::string &path);

/// A listening Unix stream socket at `path` (a stale file there is replaced),
/// close-on-exec; throws SocketError naming the path and the reason.
int listenUnix(const std::string &path);

} // namespace meterscope::net
