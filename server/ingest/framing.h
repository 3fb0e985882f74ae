#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace meterscope::ingest {

/// Receives the records a RecordScanner finds, in file order.
class RecordHandler {
public:
    virtual ~RecordHandler() = default;
    /// A whole record without its line ending, quotes still as written;
    /// `line` is the physical (1-based) line it starts on. `bytes` is valid
    /// during the call only.
    virtual void record(std::string_view bytes, std::uint64_t line, bool hasQuote) = 0;
    /// A record that cannot be read: longer than the limit, holding a NUL
    /// byte, or with a quote that never closes.
    virtual void brokenRecord(std::uint64_t line, std::string_view reason) = 0;
};

/// Finds RFC 4180 records in a byte stream: LF, CRLF or lone CR end a line,
/// a quoted field may hold delimiters, doubled quotes and line endings. It
/// keeps its whole state between calls, so a record, a quoted field or a
/// CRLF may be cut anywhere by the chunking, and it never keeps more than
/// one record (bounded by the line limit) besides the chunk it is given.
class RecordScanner {
public:
    RecordScanner(char delimiter, std::size_t maxLineLength, RecordHandler &handler);

    void scan(std::string_view bytes);
    /// Ends the input: a last record without a line ending, or a quote that
    /// is never closed.
    void finish();

    /// Physical lines completed so far.
    std::uint64_t lines() const { return m_lines; }

private:
    // Between: before the first byte of a record. Skip: a record that grew
    // beyond the limit, dropped up to the next line ending.
    enum class State : std::uint8_t { Between, FieldStart, Unquoted, Quoted, QuoteInQuoted, Skip };

    void beginRecord();
    bool tooLong(const char *recordBegin, const char *p) const;
    void skipTooLong();
    void keepPartialRecord(const char *recordBegin, const char *end);
    void endRecord(const char *recordBegin, const char *end);
    void lineEnded(char c);

    const char m_delimiter;
    const std::size_t m_maxLineLength;
    RecordHandler &m_handler;
    std::array<bool, 256> m_unquotedSpecial{};
    std::array<bool, 256> m_quotedSpecial{};
    std::array<bool, 256> m_blank{};

    State m_state = State::Between;
    std::uint64_t m_lines = 0;
    bool m_prevCR = false;
    char m_lastByte = '\n';
    std::uint64_t m_recordLine = 0;
    std::uint64_t m_quoteLine = 0;
    bool m_recordHasQuote = false;
    bool m_recordHasNul = false;
    // Bytes of the current record in earlier chunks; m_pending holds them
    // while they fit in the limit.
    std::size_t m_recordLength = 0;
    std::string m_pending;
};

} // namespace meterscope::ingest
