#include "ingest/framing.h"

#include "ingest/cell_text.h"

namespace meterscope::ingest {

namespace {

bool isLineEnd(char c)
{
    return c == '\n' || c == '\r';
}

} // namespace

RecordScanner::RecordScanner(char delimiter, std::size_t maxLineLength, RecordHandler &handler)
    : m_delimiter(delimiter)
    , m_maxLineLength(maxLineLength)
    , m_handler(handler)
{
    for (const char c : {m_delimiter, '\n', '\r', '\0'})
        m_unquotedSpecial[std::uint8_t(c)] = true;
    for (const char c : {'"', '\n', '\r', '\0'})
        m_quotedSpecial[std::uint8_t(c)] = true;
    for (int c = 0; c < 256; ++c)
        m_blank[std::size_t(c)] = isBlank(char(c), m_delimiter);
}

void RecordScanner::finish()
{
    switch (m_state) {
    case State::Between:
    case State::Skip:
        break;
    case State::Quoted:
        m_handler.brokenRecord(m_recordLine,
                               "the quote opened on line " + std::to_string(m_quoteLine) + " is never closed");
        break;
    case State::FieldStart:
    case State::Unquoted:
    case State::QuoteInQuoted:
        if (m_recordLength > m_maxLineLength)
            skipTooLong();
        else
            endRecord(m_pending.data(), m_pending.data());
        break;
    }
    m_state = State::Between;
    if (!isLineEnd(m_lastByte))
        ++m_lines;
}

// The byte-level state machine that finds records. It keeps its whole state
// between calls, so a record, a quoted field or a CRLF may be cut anywhere by
// the chunking. The length limit is checked only at special characters,
// never at chunk ends, for the same reason; bytes past the limit are not
// kept, which bounds memory.
void RecordScanner::scan(std::string_view bytes)
{
    if (bytes.empty())
        return;
    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    m_lastByte = end[-1];
    const char *record = p;
    while (p < end) {
        switch (m_state) {
        case State::Between:
            if (*p == '\n' && m_prevCR) {
                m_prevCR = false;
                ++p;
                break;
            }
            m_prevCR = false;
            beginRecord();
            record = p;
            m_state = State::FieldStart;
            break;
        case State::FieldStart:
            if (m_blank[std::uint8_t(*p)]) {
                ++p;
            } else if (*p == '"') {
                if (tooLong(record, p)) {
                    skipTooLong();
                    break;
                }
                m_recordHasQuote = true;
                m_quoteLine = m_lines + 1;
                m_state = State::Quoted;
                ++p;
            } else {
                m_state = State::Unquoted;
            }
            break;
        case State::Unquoted: {
            while (p < end && !m_unquotedSpecial[std::uint8_t(*p)])
                ++p;
            if (p == end)
                break;
            if (tooLong(record, p)) {
                skipTooLong();
                break;
            }
            const char c = *p;
            if (c == m_delimiter) {
                m_state = State::FieldStart;
            } else if (c == '\0') {
                m_recordHasNul = true;
            } else {
                endRecord(record, p);
                lineEnded(c);
                m_state = State::Between;
            }
            ++p;
            break;
        }
        case State::Quoted: {
            const char *run = p;
            while (p < end && !m_quotedSpecial[std::uint8_t(*p)])
                ++p;
            if (p != run)
                m_prevCR = false;
            if (p == end)
                break;
            if (tooLong(record, p)) {
                skipTooLong();
                break;
            }
            const char c = *p++;
            if (c == '"') {
                m_prevCR = false;
                m_state = State::QuoteInQuoted;
            } else if (c == '\0') {
                m_prevCR = false;
                m_recordHasNul = true;
            } else if (c == '\r' || !m_prevCR) {
                lineEnded(c);
            } else {
                m_prevCR = false;
            }
            break;
        }
        case State::QuoteInQuoted:
            if (*p == '"') {
                m_state = State::Quoted;
                ++p;
            } else {
                m_state = State::Unquoted;
            }
            break;
        case State::Skip: {
            const char *run = p;
            while (p < end && !isLineEnd(*p))
                ++p;
            if (p != run)
                m_prevCR = false;
            if (p == end)
                break;
            if (*p == '\n' && m_prevCR) {
                m_prevCR = false;
            } else {
                lineEnded(*p);
                m_state = State::Between;
            }
            ++p;
            break;
        }
        }
    }
    if (m_state != State::Between && m_state != State::Skip)
        keepPartialRecord(record, end);
}

void RecordScanner::beginRecord()
{
    m_recordLine = m_lines + 1;
    m_recordHasQuote = false;
    m_recordHasNul = false;
    m_recordLength = 0;
    m_pending.clear();
}

bool RecordScanner::tooLong(const char *recordBegin, const char *p) const
{
    return m_recordLength + std::size_t(p - recordBegin) > m_maxLineLength;
}

void RecordScanner::skipTooLong()
{
    std::string reason = "record longer than " + std::to_string(m_maxLineLength) + " bytes";
    if (m_state == State::Quoted)
        reason += " (inside the quote opened on line " + std::to_string(m_quoteLine) + ")";
    m_state = State::Skip;
    m_pending.clear();
    m_recordLength = 0;
    m_handler.brokenRecord(m_recordLine, reason);
}

void RecordScanner::keepPartialRecord(const char *recordBegin, const char *end)
{
    const auto length = std::size_t(end - recordBegin);
    m_recordLength += length;
    if (m_recordLength <= m_maxLineLength)
        m_pending.append(recordBegin, length);
}

void RecordScanner::endRecord(const char *recordBegin, const char *end)
{
    std::string_view bytes(recordBegin, std::size_t(end - recordBegin));
    if (m_recordLength > 0) {
        m_pending.append(bytes);
        bytes = m_pending;
    }
    if (m_recordHasNul)
        m_handler.brokenRecord(m_recordLine, "record contains a NUL byte (binary data)");
    else
        m_handler.record(bytes, m_recordLine, m_recordHasQuote);
    m_pending.clear();
    m_recordLength = 0;
}

void RecordScanner::lineEnded(char c)
{
    ++m_lines;
    m_prevCR = c == '\r';
}

} // namespace meterscope::ingest
