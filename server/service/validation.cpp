#include "service/validation.h"

#include "service/status.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <optional>

namespace meterscope::service {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::internal::WireFormatLite;

constexpr std::size_t kQuotedChars = 40;
constexpr int kMaxDepth = 16;

// Length of the UTF-8 sequence at `at` and its code point; 0 when it is
// not well-formed.
std::size_t sequence(std::string_view text, std::size_t at, char32_t &point)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) {
        point = lead;
        return 1;
    }
    std::size_t length = 0;
    char32_t min = 0;
    if ((lead & 0xe0) == 0xc0) {
        length = 2, point = lead & 0x1f, min = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
        length = 3, point = lead & 0x0f, min = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
        length = 4, point = lead & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (at + length > text.size())
        return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xc0) != 0x80)
            return 0;
        point = (point << 6) | (byte(at + i) & 0x3f);
    }
    if (point < min || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff))
        return 0;
    return length;
}

bool control(char32_t point)
{
    return point < 0x20 || (point >= 0x7f && point <= 0x9f);
}

// The first string field (by path) whose bytes are not UTF-8; protobuf's
// own parse only says that some field was not.
std::optional<std::string> invalidUtf8Field(const Descriptor &type, google::protobuf::io::CodedInputStream &in,
                                            const std::string &prefix, int depth)
{
    while (const std::uint32_t tag = in.ReadTag()) {
        const FieldDescriptor *field = type.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
        const bool delimited = WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
        if (!field || !delimited
            || (field->type() != FieldDescriptor::TYPE_STRING && field->type() != FieldDescriptor::TYPE_MESSAGE)) {
            if (!WireFormatLite::SkipField(&in, tag))
                return std::nullopt;
            continue;
        }
        std::uint32_t length = 0;
        if (!in.ReadVarint32(&length))
            return std::nullopt;
        if (field->type() == FieldDescriptor::TYPE_STRING) {
            std::string text;
            if (!in.ReadString(&text, int(length)))
                return std::nullopt;
            if (!validUtf8(text))
                return prefix + field->name();
            continue;
        }
        if (depth >= kMaxDepth)
            return std::nullopt;
        const auto limit = in.PushLimit(int(length));
        if (auto found = invalidUtf8Field(*field->message_type(), in, prefix + field->name() + ".", depth + 1))
            return found;
        in.PopLimit(limit);
    }
    return std::nullopt;
}

void checkString(const std::string &text, const std::string &path)
{
    if (text.find('\0') != std::string::npos)
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "field '" + path + "' contains a NUL character");
    if (text.size() > kMaxStringBytes)
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                          "field '" + path + "' is longer than " + std::to_string(kMaxStringBytes) + " bytes");
}

void checkStrings(const Message &message, const std::string &prefix, int depth)
{
    const google::protobuf::Reflection *reflection = message.GetReflection();
    std::vector<const FieldDescriptor *> fields;
    reflection->ListFields(message, &fields);
    for (const FieldDescriptor *field : fields) {
        const std::string path = prefix + field->name();
        if (field->type() == FieldDescriptor::TYPE_STRING) {
            if (field->is_repeated()) {
                for (int i = 0; i < reflection->FieldSize(message, field); ++i)
                    checkString(reflection->GetRepeatedString(message, field, i), path);
            } else {
                checkString(reflection->GetString(message, field), path);
            }
        } else if (field->type() == FieldDescriptor::TYPE_MESSAGE && depth < kMaxDepth) {
            if (field->is_repeated()) {
                for (int i = 0; i < reflection->FieldSize(message, field); ++i)
                    checkStrings(reflection->GetRepeatedMessage(message, field, i), path + ".", depth + 1);
            } else {
                checkStrings(reflection->GetMessage(message, field), path + ".", depth + 1);
            }
        }
    }
}

} // namespace

bool validUtf8(std::string_view text)
{
    char32_t point = 0;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = sequence(text, at, point);
        if (length == 0)
            return false;
        at += length;
    }
    return true;
}

std::string quoted(std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "'";
    std::size_t chars = 0;
    std::size_t at = 0;
    for (; at < text.size() && chars < kQuotedChars; ++chars) {
        char32_t point = 0;
        const std::size_t length = sequence(text, at, point);
        if (length == 0 || control(point)) {
            for (std::size_t i = 0; i < std::max<std::size_t>(length, 1); ++i) {
                const auto byte = static_cast<unsigned char>(text[at + i]);
                out += "\\x";
                out += kHex[byte >> 4];
                out += kHex[byte & 15];
            }
            at += std::max<std::size_t>(length, 1);
            continue;
        }
        out.append(text.substr(at, length));
        at += length;
    }
    out += at < text.size() ? "…'" : "'";
    return out;
}

void parseRequest(const grpc::ByteBuffer &buffer, Message &message)
{
    auto &bytes = const_cast<grpc::ByteBuffer &>(buffer);
    {
        grpc::ProtoBufferReader reader(&bytes);
        google::protobuf::io::CodedInputStream in(&reader);
        if (const auto field = invalidUtf8Field(*message.GetDescriptor(), in, "", 0))
            throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "field '" + *field + "' is not valid UTF-8");
    }
    grpc::ProtoBufferReader reader(&bytes);
    if (!message.ParseFromZeroCopyStream(&reader))
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                          "the request is not a valid " + message.GetTypeName() + " message");
    checkStrings(message, "", 0);
}

void checkSeriesName(std::string_view name, const std::string &what)
{
    const auto refuse = [&](const std::string &why) {
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                          what + ": " + quoted(name) + " is not a valid series name (" + why + ")");
    };
    if (name.empty())
        refuse("it is empty");
    std::size_t chars = 0;
    char32_t point = 0;
    for (std::size_t at = 0; at < name.size(); ++chars) {
        const std::size_t length = sequence(name, at, point);
        if (length == 0)
            refuse("it is not valid UTF-8");
        if (control(point))
            refuse("it contains a control character (character " + std::to_string(chars + 1) + ")");
        at += length;
    }
    if (chars > kMaxSeriesNameChars)
        refuse("it is longer than " + std::to_string(kMaxSeriesNameChars) + " characters");
}

} // namespace meterscope::service
