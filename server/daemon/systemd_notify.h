#pragma once

#include <string_view>

namespace meterscope::daemon {

/// Tells systemd about the service's state (sd_notify protocol, for
/// Type=notify units): "READY=1", "STOPPING=1", "STATUS=...". Does nothing
/// when not started by systemd ($NOTIFY_SOCKET unset).
void notifySystemd(std::string_view state);

} // namespace meterscope::daemon
