#pragma once

#include "time/micros.h"

#include <string>

namespace meterscope::http {

/// Appends a UTC instant as Python's str(datetime) writes a naive one, the
/// keys of the prototype's JSON page: "2019-01-01 00:15:00", with
/// ".ffffff" (always six digits) only when there are microseconds.
void appendPythonStr(std::string &out, timeutil::Micros utc);

} // namespace meterscope::http
