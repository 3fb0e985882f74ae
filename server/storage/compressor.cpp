#include "storage/compressor.h"

#include "logging/log.h"
#include "storage/pg_connection.h"
#include "storage/database.h"

#include <libpq-fe.h>
#include <pqxx/pqxx>

namespace meterscope::storage {

namespace {
constexpr std::int64_t kCompressionLock = 0x636f6d7072; // "compr"
} // namespace

void enableCompression(pqxx::transaction_base &txn)
{
    const pqxx::row state = txn.exec1(R"(
        SELECT (SELECT compression_enabled FROM timescaledb_information.hypertables
                WHERE hypertable_name = 'points'),
               (SELECT compression_enabled FROM timescaledb_information.hypertables
                WHERE hypertable_name = 'rollups'))");
    // Each series' points together, in time order: a read of one series
    // decompresses only its own batches.
    if (!state[0].as<bool>())
        txn.exec0("ALTER TABLE points SET (timescaledb.compress, timescaledb.compress_segmentby = 'series_id', "
                  "timescaledb.compress_orderby = 'time')");
    // Compressed points take a few bytes each, so the uncompressed summary
    // cells would outweigh them (meterscope-bench-storage): they are
    // compressed too, in chunks of a year, which at meter cadences is what
    // holds enough cells of a series to compress (30 days held a few dozen).
    if (state[1].is_null()) {
        MS_LOG(Info) << "compression: moving the summary cells into a TimescaleDB hypertable (once)";
        txn.exec("SELECT create_hypertable('rollups', 'cell', chunk_time_interval => INTERVAL '365 days', "
                 "migrate_data => TRUE, create_default_indexes => FALSE)");
    }
    // All widths of a series in one segment, for the same reason.
    if (!state[1].as<bool>(false))
        txn.exec0("ALTER TABLE rollups SET (timescaledb.compress, timescaledb.compress_segmentby = 'series_id', "
                  "timescaledb.compress_orderby = 'width, cell')");
}

Compressor::Compressor(Database &db, std::chrono::seconds compressAfter, std::chrono::seconds interval)
    : m_db(db)
    , m_after(compressAfter)
    , m_interval(interval)
{
}

Compressor::~Compressor()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        // Compressing one large chunk can take minutes; a stopping server
        // does not wait for it (the chunk stays as it was).
        if (PGcancel *cancel = m_working ? PQgetCancel(m_working) : nullptr) {
            char error[256];
            PQcancel(cancel, error, sizeof error);
            PQfreeCancel(cancel);
        }
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void Compressor::start()
{
    m_thread = std::thread([this] { run(); });
}

void Compressor::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        try {
            compressOldChunks();
        } catch (const std::exception &e) {
            lock.lock();
            if (m_stopping)
                break;
            lock.unlock();
            MS_LOG(Warning) << "compression: " << e.what() << "; trying again in " << m_interval.count() << " s";
        }
        lock.lock();
        m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
    }
}

int Compressor::compressOldChunks()
{
    const auto started = std::chrono::steady_clock::now();
    Database::Lease lease = m_db.acquire();
    // Chunks that are not compressed, or were written into since
    // (partially compressed); compress_chunk() recompresses those.
    const pqxx::result chunks = pqxx::nontransaction(*lease).exec_params(
        R"(SELECT format('%I.%I', i.chunk_schema, i.chunk_name)
           FROM timescaledb_information.chunks i
           JOIN _timescaledb_catalog.chunk c ON c.schema_name = i.chunk_schema AND c.table_name = i.chunk_name
           WHERE i.hypertable_name IN ('points', 'rollups') AND i.range_end <= now() - make_interval(secs => $1)
             AND (NOT i.is_compressed OR c.status & 8 = 8)
           ORDER BY i.range_start)",
        m_after.count());
    int compressed = 0;
    for (const pqxx::row &chunk : chunks) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                break;
            m_working = lease->raw();
        }
        struct Working {
            Compressor &compressor;
            ~Working()
            {
                std::lock_guard lock(compressor.m_mutex);
                compressor.m_working = nullptr;
            }
        } working{*this};
        pqxx::work txn(*lease, "compress");
        if (!txn.exec_params1("SELECT pg_try_advisory_xact_lock($1)", kCompressionLock)[0].as<bool>())
            return compressed; // another server is at it
        txn.exec_params("SELECT compress_chunk($1::regclass, if_not_compressed => TRUE)", chunk[0].as<std::string>());
        txn.commit();
        ++compressed;
    }
    if (compressed > 0)
        MS_LOG(Info)
            << "compression: compressed " << compressed << " chunk(s) of points and summary cells older than "
            << m_after.count() / 86400.0 << " days in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
            << " ms";
    return compressed;
}

} // namespace meterscope::storage
