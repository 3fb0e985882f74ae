#pragma once

#include "time/micros.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace meterscope::storage {

/// Throws the libpqxx exception matching a failed libpq call:
/// pqxx::broken_connection when the connection is gone, else
/// pqxx::sql_error carrying the SQLSTATE. Clears `result`.
[[noreturn]] void throwPgError(PGconn *conn, PGresult *result, std::string_view query);

/// Binary COPY ... FROM STDIN: rows are encoded into a buffer and sent in
/// large pieces. Cheaper for the server than text (no timestamp parsing).
class CopyIn {
public:
    /// Starts the COPY (`sql` must say FORMAT binary). Throws like throwPgError.
    CopyIn(PGconn *conn, const std::string &sql);
    /// Aborts the COPY if finish() was not reached; the transaction fails.
    ~CopyIn();

    void beginRow(std::int16_t fields) { put16(fields); }
    void addInt4(std::int32_t v)
    {
        put32(4);
        put32(std::uint32_t(v));
    }
    void addInt8(std::int64_t v)
    {
        put32(8);
        put64(std::uint64_t(v));
    }
    void addTimestamp(timeutil::Micros utc);
    void addFloat8(double v)
    {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        put32(8);
        put64(bits);
    }
    /// Sends what is buffered once it is large enough.
    void flushIfFull()
    {
        if (m_buffer.size() >= kFlushBytes)
            flush();
    }
    /// Ends the COPY; returns the number of rows the server took.
    std::uint64_t finish();
    /// Abandons the COPY: it fails, and so does the transaction (or the
    /// savepoint) it runs in.
    void abort();

private:
    static constexpr std::size_t kFlushBytes = 1 << 20;
    void flush();
    void put16(std::uint16_t v)
    {
        v = __builtin_bswap16(v);
        m_buffer.append(reinterpret_cast<const char *>(&v), 2);
    }
    void put32(std::uint32_t v)
    {
        v = __builtin_bswap32(v);
        m_buffer.append(reinterpret_cast<const char *>(&v), 4);
    }
    void put64(std::uint64_t v)
    {
        v = __builtin_bswap64(v);
        m_buffer.append(reinterpret_cast<const char *>(&v), 8);
    }

    PGconn *m_conn;
    std::string m_sql;
    std::string m_buffer;
    bool m_open = false;
};

/// Binary COPY (SELECT time, value ...) TO STDOUT, decoded into points.
class CopyOutPoints {
public:
    /// Starts the COPY (`sql` must select `pairsPerRow` (timestamptz, double
    /// precision) pairs per row, FORMAT binary; up to 4). The points of one
    /// row come out in time order. `sql` may put statements before and after
    /// the COPY (a transaction around it); one that fails before it throws,
    /// one after it is only seen by the connection's state. Throws like
    /// throwPgError.
    CopyOutPoints(PGconn *conn, const std::string &sql, int pairsPerRow = 1);
    /// A COPY still running when destroyed is cancelled, and leaves its
    /// connection busy: the caller must then discard the connection.
    ~CopyOutPoints();

    /// Appends up to `max` points to two columns (anything with Add(), such
    /// as protobuf repeated fields); false once the COPY is complete and
    /// every point was delivered. Throws like throwPgError.
    template<typename Times, typename Values>
    bool nextInto(Times &times, Values &values, std::size_t max);

    /// Reads one point; false once the COPY is complete.
    bool read(timeutil::Micros &time, double &value);

    /// Rows decoded so far (a row of summary cells gives up to 4 points).
    std::uint64_t rows() const { return m_rows; }

private:
    bool nextMessage();

    struct Point {
        timeutil::Micros time;
        double value;
    };

    PGconn *m_conn;
    std::string m_sql;
    int m_pairs;
    Point m_row[4];
    int m_rowSize = 0;
    int m_rowNext = 0;
    char *m_message = nullptr;
    int m_length = 0;
    std::uint64_t m_rows = 0;
    int m_pos = 0;
    bool m_headerSeen = false;
    bool m_done = false;
};

template<typename Times, typename Values>
bool CopyOutPoints::nextInto(Times &times, Values &values, std::size_t max)
{
    timeutil::Micros time;
    double value;
    for (std::size_t i = 0; i < max; ++i) {
        if (!read(time, value))
            return false;
        times.Add(time);
        values.Add(value);
    }
    return true;
}

} // namespace meterscope::storage
