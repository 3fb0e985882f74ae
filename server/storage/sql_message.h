#pragma once

#include <string>

namespace meterscope::storage {

/// The first line of a message from PostgreSQL or libpq, without trailing
/// blanks and cut to 200 bytes (on a UTF-8 boundary, marked "…"): messages
/// may quote the input that failed, never in full.
std::string firstLine(const std::string &text);

/// PostgreSQL's message without its severity, with its DETAIL and HINT,
/// which often say what to do (#13): "...; DETAIL: ...; HINT: ...".
/// CONTEXT and the statement are for the server log only.
std::string sqlMessage(const std::string &text);

} // namespace meterscope::storage
