#include "net/unix_socket.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace meterscope::net {

namespace {

sockaddr_un addressOf(const std::string &path)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(address.sun_path))
        throw SocketError("the socket path '" + path + "' is empty or too long (at most "
                          + std::to_string(sizeof(address.sun_path) - 1) + " bytes)");
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return address;
}

} // namespace

void checkUnixSocketFree(const std::string &path)
{
    sockaddr_un address = addressOf(path);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool answered = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    if (answered)
        throw SocketError("cannot listen on unix:" + path + ": another server is already listening there");
}

int listenUnix(const std::string &path)
{
    checkUnixSocketFree(path);
    sockaddr_un address = addressOf(path);
    ::unlink(path.c_str());
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(fd, 128) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd >= 0)
            ::close(fd);
        throw SocketError("cannot listen on unix:" + path + ": " + reason);
    }
    return fd;
}

} // namespace meterscope::net
