#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace meterscope::storage {

class PgConnection;

/// The PostgreSQL database: a bounded pool of connections and the schema.
/// Thread-safe. Connections that broke are dropped, never handed out again.
class Database {
public:
    /// How points are kept (--storage).
    enum class Storage {
        /// A hypertable when TimescaleDB is usable here, else plain PostgreSQL.
        Auto,
        /// Plain PostgreSQL; the extension is never created.
        Postgres,
        /// A hypertable, or open() refuses.
        Timescaledb,
    };

    struct Options {
        /// libpq connection string or URI.
        std::string conninfo;
        /// Most connections open at once; callers beyond that wait.
        std::size_t maxConnections = 32;
        /// How long acquire() waits for a free connection.
        std::chrono::milliseconds acquireTimeout{30000};
        Storage storage = Storage::Auto;
        /// Compress chunks whose data is older than this (0 = never); only
        /// on a hypertable. See Compressor.
        std::chrono::seconds compressAfter{0};
    };

    explicit Database(Options options);
    ~Database();

    /// Connects and applies the schema migrations (idempotent, safe when
    /// several servers start at once). Decides the storage mode from facts
    /// (installed, preloaded, creatable) and logs it in one line. Throws
    /// Unavailable with a sentence on failure, also when Storage::Timescaledb
    /// was asked for and TimescaleDB is not usable.
    void open();

    /// True when `points` is a TimescaleDB hypertable.
    bool timescale() const { return m_timescale; }

    /// True when `points` is a hypertable set up for compression
    /// (segmented by series, ordered by time) because compressAfter was given.
    bool compression() const { return m_compression; }

    /// The schema version after open().
    int schemaVersion() const { return m_schemaVersion; }

    const std::string &conninfo() const { return m_options.conninfo; }

    /// A connection borrowed from the pool; returned when destroyed. Call
    /// discard() when it may be in a bad state (an aborted COPY, an error
    /// that broke it): it is closed instead of reused.
    class Lease {
    public:
        Lease(Lease &&other) noexcept;
        Lease &operator=(Lease &&) = delete;
        ~Lease();
        PgConnection &operator*() const { return *m_conn; }
        PgConnection *operator->() const { return m_conn.get(); }
        void discard() { m_discard = true; }

    private:
        friend class Database;
        Lease(Database *db, std::unique_ptr<PgConnection> conn);
        Database *m_db;
        std::unique_ptr<PgConnection> m_conn;
        bool m_discard = false;
    };

    /// Borrows a connection, opening one if the pool has room. Throws
    /// Unavailable when the database cannot be reached or none frees up
    /// within `timeout` (default: Options::acquireTimeout).
    Lease acquire(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

    /// Opens a connection outside the pool (for LISTEN).
    std::unique_ptr<PgConnection> connect() const;

    /// Drops every idle connection (after the server restarted, they are all dead).
    void dropIdle();

    /// The pool as it is now, and how often callers had to wait for it.
    struct PoolStats {
        std::size_t open = 0;  ///< connections open (idle or borrowed)
        std::size_t inUse = 0; ///< borrowed now
        std::size_t max = 0;
        std::uint64_t waits = 0; ///< times acquire() found none free and waited
        double waitSeconds = 0;  ///< time spent in those waits
    };
    PoolStats poolStats();

    /// Asks PostgreSQL to cancel whatever the borrowed connections are
    /// running (at shutdown, once running calls had their grace period).
    void cancelRunning();

private:
    void release(std::unique_ptr<PgConnection> conn, bool discard);
    static bool alive(PgConnection &conn);
    void migrate();
    void chooseStorage(PgConnection &conn);

    Options m_options;
    std::mutex m_mutex;
    std::condition_variable m_freed;
    std::vector<std::unique_ptr<PgConnection>> m_idle;
    std::set<PgConnection *> m_leased;
    std::size_t m_open = 0;
    std::uint64_t m_waits = 0;
    std::chrono::steady_clock::duration m_waitTime{};
    bool m_timescale = false;
    bool m_compression = false;
    int m_schemaVersion = 0;
};

} // namespace meterscope::storage
