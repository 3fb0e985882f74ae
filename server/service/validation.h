#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/byte_buffer.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace meterscope::service {

/// Longest string field a request may carry, in bytes (a file path fits).
inline constexpr std::size_t kMaxStringBytes = 4096;
/// Longest series name, in characters (Unicode code points).
inline constexpr std::size_t kMaxSeriesNameChars = 200;

/// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool validUtf8(std::string_view text);

/// `text` for a message: in single quotes, at most 40 characters, control
/// characters and bytes that are not UTF-8 written as \xNN, "…" when cut.
/// Bad input is never echoed in full.
std::string quoted(std::string_view text);

/// Parses a request and checks every string field in it (nested ones too):
/// valid UTF-8, no NUL, at most kMaxStringBytes. Throws StatusError
/// INVALID_ARGUMENT naming the field (`options.file_name`) or, for bytes
/// that are no such message at all, the message type.
void parseRequest(const grpc::ByteBuffer &buffer, google::protobuf::Message &message);

/// Throws StatusError INVALID_ARGUMENT unless `name` is a usable series
/// name: 1 to kMaxSeriesNameChars characters of UTF-8 without control
/// characters. `what` says where the name came from ("field 'series'", the
/// quoted file name).
void checkSeriesName(std::string_view name, const std::string &what);

} // namespace meterscope::service
