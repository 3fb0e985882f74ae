#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace meterscope::storage {

/// An append-only sequence of plain records kept in an unnamed temporary
/// file, so an import of any size holds only a small buffer in memory.
template<typename Row>
class Spill {
    static_assert(std::is_trivially_copyable_v<Row>);

public:
    Spill()
        : m_file(std::tmpfile())
    {
        if (!m_file)
            throw std::runtime_error(std::string("cannot create a temporary file for the import: ")
                                     + std::strerror(errno));
        m_buffer.reserve(kRows);
    }
    ~Spill() { std::fclose(m_file); }
    Spill(const Spill &) = delete;
    Spill &operator=(const Spill &) = delete;

    void add(const Row &row)
    {
        m_buffer.push_back(row);
        ++m_size;
        if (m_buffer.size() == kRows)
            flush();
    }

    std::size_t size() const { return m_size; }

    /// Calls `each` for every row added so far, in order.
    template<typename Each>
    void replay(Each &&each)
    {
        flush();
        std::rewind(m_file);
        std::vector<Row> rows(kRows);
        while (const std::size_t n = std::fread(rows.data(), sizeof(Row), kRows, m_file)) {
            for (std::size_t i = 0; i < n; ++i)
                each(rows[i]);
        }
        std::fseek(m_file, 0, SEEK_END);
    }

private:
    static constexpr std::size_t kRows = 8192;

    void flush()
    {
        if (!m_buffer.empty() && std::fwrite(m_buffer.data(), sizeof(Row), m_buffer.size(), m_file) != m_buffer.size())
            throw std::runtime_error(std::string("cannot write the import's temporary file: ") + std::strerror(errno));
        m_buffer.clear();
    }

    std::FILE *m_file;
    std::vector<Row> m_buffer;
    std::size_t m_size = 0;
};

} // namespace meterscope::storage
