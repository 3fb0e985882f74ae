#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace meterscope::timeutil {

/// A positive duration as a user types it: a whole number of at most six
/// digits and a unit, w(eeks), d(ays), h(ours), m(inutes) or s(econds):
/// "30d", "2w", "15m". Surrounding blanks are ignored; nullopt otherwise.
std::optional<std::chrono::seconds> parseDuration(std::string_view text);

} // namespace meterscope::timeutil
