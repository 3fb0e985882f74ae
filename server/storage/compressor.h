#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

typedef struct pg_conn PGconn;

namespace pqxx {
class transaction_base;
}

namespace meterscope::storage {

class Database;

/// Sets a hypertable `points` up for compression (segmented by series,
/// ordered by time) and makes `rollups` a hypertable (chunks of a year)
/// compressed by series, ordered by width and cell
/// (moving its cells), once; inside `txn`, idempotent.
void enableCompression(pqxx::transaction_base &txn);

/// Compresses the chunks of `points` and `rollups` whose data is all older than
/// `compressAfter` (--compress-after), at start and then every `interval`,
/// on its own thread. TimescaleDB's own policy runner logs failures on
/// PostgreSQL 15.20, so the server calls compress_chunk itself; an advisory
/// lock keeps several servers on one database from doing it at once. A chunk
/// an import wrote into after it was compressed is compressed again in the
/// next round. Needs a Database opened with Options::compressAfter set
/// (Database::compression()).
class Compressor {
public:
    Compressor(Database &db, std::chrono::seconds compressAfter, std::chrono::seconds interval = std::chrono::hours(1));
    /// Stops the thread, cancelling a compress_chunk in progress.
    ~Compressor();
    Compressor(const Compressor &) = delete;
    Compressor &operator=(const Compressor &) = delete;

    void start();

    /// One round now, on the calling thread: returns how many chunks it
    /// compressed (0 when another server holds the lock).
    int compressOldChunks();

private:
    void run();

    Database &m_db;
    std::chrono::seconds m_after;
    std::chrono::seconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    // The connection running compress_chunk, for cancelling it at stop.
    PGconn *m_working = nullptr;
    std::thread m_thread;
};

} // namespace meterscope::storage
