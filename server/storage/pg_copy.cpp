#include "storage/pg_copy.h"

#include <libpq-fe.h>
#include <pqxx/except>

#include <algorithm>

namespace meterscope::storage {

namespace {

// PostgreSQL counts timestamps from 2000-01-01, the wire from 1970-01-01.
constexpr timeutil::Micros kPgEpochOffset = 946'684'800LL * timeutil::kMicrosPerSecond;
constexpr char kSignature[] = "PGCOPY\n\377\r\n";
constexpr int kHeaderBytes = 11 + 4 + 4;

std::uint16_t get16(const char *p)
{
    std::uint16_t v;
    std::memcpy(&v, p, 2);
    return __builtin_bswap16(v);
}

std::uint32_t get32(const char *p)
{
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return __builtin_bswap32(v);
}

std::uint64_t get64(const char *p)
{
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

} // namespace

void throwPgError(PGconn *conn, PGresult *result, std::string_view query)
{
    std::string message = result ? PQresultErrorMessage(result) : "";
    if (message.empty())
        message = PQerrorMessage(conn);
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    if (result)
        PQclear(result);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    if (PQstatus(conn) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0)
        throw pqxx::broken_connection(message.empty() ? std::string("connection to the database lost") : message);
    throw pqxx::sql_error(message, std::string(query), sqlstate.empty() ? nullptr : sqlstate.c_str());
}

CopyIn::CopyIn(PGconn *conn, const std::string &sql)
    : m_conn(conn)
    , m_sql(sql)
{
    PGresult *result = PQexec(m_conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COPY_IN)
        throwPgError(m_conn, result, sql);
    PQclear(result);
    m_open = true;
    m_buffer.reserve(kFlushBytes + 4096);
    m_buffer.append(kSignature, 11);
    put32(0); // flags
    put32(0); // header extension length
}

CopyIn::~CopyIn()
{
    // Abandoned mid-way (an error or a cancel): the caller rolls back.
    abort();
}

void CopyIn::abort()
{
    if (!m_open)
        return;
    m_open = false;
    PQputCopyEnd(m_conn, "import abandoned");
    while (PGresult *result = PQgetResult(m_conn))
        PQclear(result);
}

void CopyIn::addTimestamp(timeutil::Micros utc)
{
    put32(8);
    put64(std::uint64_t(utc - kPgEpochOffset));
}

void CopyIn::flush()
{
    if (m_buffer.empty())
        return;
    if (PQputCopyData(m_conn, m_buffer.data(), int(m_buffer.size())) != 1)
        throwPgError(m_conn, nullptr, m_sql);
    m_buffer.clear();
}

std::uint64_t CopyIn::finish()
{
    put16(0xffff);
    flush();
    m_open = false;
    if (PQputCopyEnd(m_conn, nullptr) != 1)
        throwPgError(m_conn, nullptr, m_sql);
    PGresult *result = PQgetResult(m_conn);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
        while (PGresult *more = PQgetResult(m_conn))
            PQclear(more);
        throwPgError(m_conn, result, m_sql);
    }
    const std::uint64_t rows = std::strtoull(PQcmdTuples(result), nullptr, 10);
    PQclear(result);
    while (PGresult *more = PQgetResult(m_conn))
        PQclear(more);
    return rows;
}

CopyOutPoints::CopyOutPoints(PGconn *conn, const std::string &sql, int pairsPerRow)
    : m_conn(conn)
    , m_sql(sql)
    , m_pairs(pairsPerRow)
{
    PGresult *result = PQexec(m_conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COPY_OUT)
        throwPgError(m_conn, result, sql);
    PQclear(result);
}

CopyOutPoints::~CopyOutPoints()
{
    if (m_message)
        PQfreemem(m_message);
    if (m_done)
        return;
    // Abandoned (the client went away): stop the server's work at once
    // rather than when it next fails to write.
    if (PGcancel *cancel = PQgetCancel(m_conn)) {
        char error[256];
        PQcancel(cancel, error, sizeof error);
        PQfreeCancel(cancel);
    }
}

bool CopyOutPoints::nextMessage()
{
    if (m_message) {
        PQfreemem(m_message);
        m_message = nullptr;
    }
    m_pos = 0;
    const int rc = PQgetCopyData(m_conn, &m_message, 0);
    if (rc > 0) {
        m_length = rc;
        return true;
    }
    m_length = 0;
    if (rc == -2 || PQstatus(m_conn) != CONNECTION_OK)
        throwPgError(m_conn, nullptr, m_sql);
    // -1: the COPY is over; its final result says whether it succeeded.
    PGresult *result = PQgetResult(m_conn);
    if (PQresultStatus(result) != PGRES_COMMAND_OK)
        throwPgError(m_conn, result, m_sql);
    PQclear(result);
    while (PGresult *more = PQgetResult(m_conn))
        PQclear(more);
    m_done = true;
    return false;
}

bool CopyOutPoints::read(timeutil::Micros &time, double &value)
{
    for (;;) {
        if (m_rowNext < m_rowSize) {
            time = m_row[m_rowNext].time;
            value = m_row[m_rowNext].value;
            ++m_rowNext;
            return true;
        }
        if (m_done)
            return false;
        if (m_pos >= m_length && !nextMessage())
            return false;
        if (!m_headerSeen) {
            if (m_length - m_pos < kHeaderBytes || std::memcmp(m_message + m_pos, kSignature, 11) != 0)
                throw pqxx::internal_error("unexpected binary COPY header");
            const std::uint32_t extension = get32(m_message + m_pos + 15);
            m_pos += kHeaderBytes + int(extension);
            m_headerSeen = true;
            continue;
        }
        const auto fields = std::int16_t(get16(m_message + m_pos));
        m_pos += 2;
        if (fields == -1)
            continue; // trailer; the next read ends the COPY
        if (fields != 2 * m_pairs || m_length - m_pos < 24 * m_pairs)
            throw pqxx::internal_error("unexpected row in binary COPY of points");
        m_rowSize = 0;
        m_rowNext = 0;
        ++m_rows;
        for (int i = 0; i < m_pairs; ++i, m_pos += 24) {
            if (get32(m_message + m_pos) != 8 || get32(m_message + m_pos + 12) != 8)
                throw pqxx::internal_error("unexpected field in binary COPY of points");
            Point p;
            p.time = timeutil::Micros(get64(m_message + m_pos + 4)) + kPgEpochOffset;
            const std::uint64_t bits = get64(m_message + m_pos + 16);
            std::memcpy(&p.value, &bits, sizeof p.value);
            // The points of a summary cell: in time order, each once.
            int at = m_rowSize;
            while (at > 0 && m_row[at - 1].time > p.time)
                --at;
            if (at > 0 && m_row[at - 1].time == p.time)
                continue;
            std::copy_backward(m_row + at, m_row + m_rowSize, m_row + m_rowSize + 1);
            m_row[at] = p;
            ++m_rowSize;
        }
    }
}

} // namespace meterscope::storage
