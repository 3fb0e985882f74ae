#pragma once

#include <QString>

namespace meterscope::client {

/// Where the desktop app's own server listens, so that `meterscope-cli
/// --local` finds it: `meterscope-local.sock` in the user's private runtime
/// folder ($XDG_RUNTIME_DIR, else Qt's /tmp/runtime-USER). The app whose
/// local server starts first takes it; another one running beside it
/// uses a socket of its own and shows that in Help ▸ About.
QString appServerSocket();

/// Whether a server accepts connections on the Unix socket at `path` now;
/// a stale file left by a crash does not.
bool unixSocketAnswers(const QString &path);

} // namespace meterscope::client
