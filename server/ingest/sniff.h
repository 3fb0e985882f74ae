#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace meterscope::ingest {

/// How much of the file start is judged for binary content.
inline constexpr std::size_t kSniffBytes = 4096;

/// The start of a file, held until it can be judged: whether it is text at
/// all and which delimiter its first record uses. It takes bytes until the
/// first non-blank record and kSniffBytes are in (or the record outgrows
/// the line limit), so the verdict does not depend on how the file is cut
/// into chunks.
class FileStart {
public:
    explicit FileStart(std::size_t maxLineLength);

    /// Keeps bytes until complete(); returns how many of `bytes` it took.
    std::size_t take(std::string_view bytes);
    /// Enough is held to judge the file (finish() judges what there is).
    bool complete() const { return m_complete; }

    /// Every byte held, a BOM included.
    std::string_view held() const { return m_held; }
    /// The first non-blank record as far as it is held, without its line ending.
    std::string_view firstRecord() const;

private:
    std::size_t m_limit;
    std::string m_held;
    std::size_t m_lineBegin = 0;
    std::size_t m_lineEnd = std::string::npos;
    bool m_quoted = false;
    bool m_lineBlank = true;
    bool m_complete = false;
};

/// Refuses what is not a CSV text file, judged by its first bytes (UTF-16,
/// ZIP, gzip, NUL bytes, many control characters): throws ReaderError with a
/// sentence naming the file (`fileLabel`).
void checkText(std::string_view head, const std::string &fileLabel);

/// The most frequent of ',' ';' and tab outside quotes in the first record.
char detectDelimiter(std::string_view firstRecord);

} // namespace meterscope::ingest
