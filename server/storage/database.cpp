#include "storage/database.h"

#include "logging/log.h"
#include "storage/compressor.h"
#include "storage/errors.h"
#include "storage/pg_connection.h"
#include "storage/rollups.h"
#include "storage/series_kind.h"
#include "storage/sql_message.h"

#include <libpq-fe.h>
#include <pqxx/pqxx>

#include <poll.h>

namespace meterscope::storage {

namespace {

struct Migration {
    int version;
    const char *description;
    const char *sql;
    // For a migration that is more than one SQL text (instead of sql).
    void (*run)(pqxx::transaction_base &txn, PGconn *conn) = nullptr;
};

// #16: each series' kind, from how its first readings move and its unit
// (a sample, so that the migration reads little of a large database), and
// a gap threshold of its own (none: twice its cadence).
void migrateToSeriesKinds(pqxx::transaction_base &txn, PGconn *)
{
    txn.exec0("ALTER TABLE series ADD COLUMN kind text CHECK (kind IN ('interval', 'cumulative', 'instant')), "
              "ADD COLUMN gap_threshold_us bigint CHECK (gap_threshold_us > 0)");
    const pqxx::result sketches = txn.exec(R"(
        SELECT s.id, s.unit, k.* FROM series AS s CROSS JOIN LATERAL (
            SELECT count(d), count(*) FILTER (WHERE d > 0), count(*) FILTER (WHERE d < 0),
                   count(*) FILTER (WHERE d < 0 AND value <= previous * 0.01), coalesce(bool_or(value < 0), false)
            FROM (SELECT value, lag(value) OVER (ORDER BY time) AS previous,
                         value - lag(value) OVER (ORDER BY time) AS d
                  FROM (SELECT time, value FROM points WHERE series_id = s.id ORDER BY time LIMIT 10000) AS t) AS w
        ) AS k)");
    for (const pqxx::row &row : sketches) {
        KindSketch sketch;
        sketch.steps = row[2].as<std::uint64_t>();
        sketch.rises = row[3].as<std::uint64_t>();
        sketch.drops = row[4].as<std::uint64_t>();
        sketch.resets = row[5].as<std::uint64_t>();
        sketch.negative = row[6].as<bool>();
        txn.exec_params0("UPDATE series SET kind = $2 WHERE id = $1", row[0].as<std::int32_t>(),
                         std::string(kindName(classifyKind(sketch, row[1].as<std::string>()))));
    }
}

// Append-only: a released migration is never edited, only followed by a new one.
const Migration kMigrations[] = {
    {1, "series, points, imports", R"(
        CREATE TABLE series (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE CHECK (name <> ''),
            unit text NOT NULL DEFAULT '',
            -- Maintained by every import, so listing series never scans points.
            point_count bigint NOT NULL DEFAULT 0,
            first_time timestamptz,
            last_time timestamptz,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        -- No foreign key to series: its per-row check would cost a large
        -- share of ingest time, and imports resolve their series first.
        CREATE TABLE points (
            series_id integer NOT NULL,
            time timestamptz NOT NULL,
            value double precision NOT NULL,
            PRIMARY KEY (series_id, time)
        );
        -- Client-chosen import ids, so a retried upload is not imported twice.
        CREATE TABLE imports (
            import_id text PRIMARY KEY,
            file_name text NOT NULL,
            report bytea,
            created_at timestamptz NOT NULL DEFAULT now()
        );
    )"},
    {2, "rollups: M4 summary cells", kRollupsMigration},
    // #20: an import id reused for other content is refused, not replayed.
    {3, "imports remember a hash of their content", R"(
        ALTER TABLE imports ADD COLUMN content_sha256 bytea;
    )"},
    // #13: 15-minute readings made two summary cells a point.
    {4, "series keep summary cells no narrower than their cadence", kCellFloorMigration},
    // #15: fixed widths of 16, 256 and 4096 s gave 15-minute readings no cells at all.
    {5, "summary cells at widths that follow each series' cadence", nullptr, migrateToCadenceCells},
    {6, "series have a kind (interval, cumulative or instant) and a gap threshold", nullptr, migrateToSeriesKinds},
};

constexpr std::int64_t kMigrationLock = 0x6d65746572; // "meter"

} // namespace

Database::Database(Options options)
    : m_options(std::move(options))
{
}

Database::~Database() = default;

std::unique_ptr<PgConnection> Database::connect() const
{
    try {
        auto conn = std::make_unique<PgConnection>(m_options.conninfo);
        // Room for an import's staging table; only taken when used, and only
        // settable before the session's first temporary table.
        pqxx::nontransaction(*conn).exec0("SET temp_buffers = '128MB'");
        return conn;
    } catch (const std::exception &e) {
        throw Unavailable("cannot connect to the database (" + firstLine(e.what()) + ")");
    }
}

void Database::open()
{
    try {
        migrate();
    } catch (const pqxx::broken_connection &e) {
        throw Unavailable("lost the database connection while preparing the schema (" + firstLine(e.what()) + ")");
    }
}

void Database::migrate()
{
    Lease lease = acquire();
    {
        pqxx::work txn(*lease);
        // With the extension created in this database but not loaded, the
        // first DDL statement (its event triggers) ends the connection.
        const pqxx::row loaded = txn.exec1(R"(
            SELECT (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),
                   EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),
                   EXISTS (SELECT 1 FROM pg_settings WHERE name LIKE 'timescaledb.%'))");
        if (!loaded[0].is_null() && !loaded[2].as<bool>()) {
            const std::string version = loaded[0].as<std::string>();
            throw Unavailable("TimescaleDB " + version
                              + " is created in this database (its points may be in a hypertable) but "
                              + (loaded[1].as<bool>() ? "not preloaded; add timescaledb to shared_preload_libraries"
                                                      : "not installed here; install TimescaleDB " + version)
                              + " to use it");
        }
        // Several servers may start at once against one database.
        txn.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
        txn.exec0(R"(CREATE TABLE IF NOT EXISTS schema_migrations (
                         version integer PRIMARY KEY,
                         description text NOT NULL,
                         applied_at timestamptz NOT NULL DEFAULT now()))");
        const int current = txn.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int>();
        const int latest = std::end(kMigrations)[-1].version;
        if (current > latest)
            throw Unavailable("the database schema is at version " + std::to_string(current)
                              + ", newer than this meterscoped knows (" + std::to_string(latest)
                              + "); upgrade meterscoped");
        for (const Migration &m : kMigrations) {
            if (m.version <= current)
                continue;
            MS_LOG(Info) << "applying schema migration " << m.version << " (" << m.description << ")";
            if (m.run)
                m.run(txn, lease->raw());
            else
                txn.exec0(m.sql);
            txn.exec_params0("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", m.version,
                             m.description);
        }
        txn.commit();
        m_schemaVersion = latest;
    }

    chooseStorage(*lease);
}

void Database::chooseStorage(PgConnection &conn)
{
    // Decided from facts, never by trying: while the extension is installed
    // but not preloaded, CREATE EXTENSION ends the connection with FATAL.
    pqxx::work txn(conn);
    // Two servers starting at once must not both create the hypertable.
    txn.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
    // Preloaded, its loader has defined its settings in every backend (a
    // placeholder from postgresql.conf is not listed in pg_settings); only
    // superusers may read shared_preload_libraries itself.
    const pqxx::row facts = txn.exec1(R"(
        SELECT (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'),
               (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),
               EXISTS (SELECT 1 FROM pg_settings WHERE name LIKE 'timescaledb.%'))");
    const std::string available = facts[0].is_null() ? "" : facts[0].as<std::string>();
    const bool preloaded = facts[2].as<bool>();
    // Points made a hypertable by an earlier start (a catalog table).
    const bool hypertable
        = !facts[1].is_null()
          && txn.exec1("SELECT EXISTS (SELECT 1 FROM _timescaledb_catalog.hypertable WHERE table_name = 'points')")[0]
                 .as<bool>();
    // Why TimescaleDB is not used, and what would change that.
    std::string reason, advice;
    if (m_options.storage == Storage::Postgres && hypertable) {
        MS_LOG(Warning) << "storage: --storage postgres, but the points are in a TimescaleDB hypertable already "
                           "(from an earlier start): used as one";
    }
    if (m_options.storage == Storage::Postgres && !hypertable) {
        reason = "--storage postgres";
    } else if (available.empty()) {
        reason = "TimescaleDB is not installed";
        advice = "install it (Timescale's packages, or packaging/install-timescaledb.sh) to use hypertables";
    } else if (!preloaded) {
        reason = "TimescaleDB " + available + " is installed but not preloaded";
        advice = "add timescaledb to shared_preload_libraries to use hypertables";
    } else {
        try {
            pqxx::subtransaction sub(txn, "timescale");
            if (facts[1].is_null())
                sub.exec0("CREATE EXTENSION IF NOT EXISTS timescaledb");
            if (sub.exec1(R"(SELECT NOT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                                                WHERE hypertable_name = 'points')
                                AND EXISTS (SELECT 1 FROM points))")[0]
                    .as<bool>())
                MS_LOG(Info) << "storage: moving the points stored so far into a TimescaleDB hypertable "
                                "(migrate_data; once, and it takes a while for a large table)";
            // Returns a row. 30-day chunks: a 15-minute meter gives 2,880
            // points per chunk, so compression fills its 1,000-row batches
            // per series, and a month of 1,000 such meters (about 230 MB
            // with its index) still fits in memory while it is written. The
            // primary key (series_id, time) serves every query: no index on
            // time alone.
            sub.exec("SELECT create_hypertable('points', 'time', chunk_time_interval => INTERVAL '30 days', "
                     "if_not_exists => TRUE, migrate_data => TRUE, create_default_indexes => FALSE)");
            sub.commit();
            m_timescale = true;
        } catch (const pqxx::sql_error &e) {
            reason
                = "TimescaleDB " + available + " is preloaded but cannot be used here (" + sqlMessage(e.what()) + ")";
        }
    }
    if (!m_timescale && m_options.storage == Storage::Timescaledb)
        throw Unavailable("--storage timescaledb, but " + reason + (advice.empty() ? "" : "; " + advice));
    if (m_timescale && m_options.compressAfter.count() > 0) {
        enableCompression(txn);
        m_compression = true;
    } else if (m_options.compressAfter.count() > 0) {
        MS_LOG(Warning) << "--compress-after needs a TimescaleDB hypertable; plain PostgreSQL compresses nothing";
    }
    std::string mode;
    if (m_timescale)
        mode = "TimescaleDB "
               + txn.exec1("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")[0].as<std::string>()
               + " hypertable";
    else
        mode = reason + ": plain PostgreSQL" + (advice.empty() ? "" : "; " + advice);
    txn.commit();
    MS_LOG(Info) << "storage: " << mode << ", schema version " << m_schemaVersion;
}

Database::Lease Database::acquire(std::optional<std::chrono::milliseconds> timeout)
{
    std::unique_lock lock(m_mutex);
    const auto deadline = std::chrono::steady_clock::now() + timeout.value_or(m_options.acquireTimeout);
    for (;;) {
        if (!m_idle.empty()) {
            std::unique_ptr<PgConnection> conn = std::move(m_idle.back());
            m_idle.pop_back();
            if (alive(*conn)) {
                m_leased.insert(conn.get());
                return Lease(this, std::move(conn));
            }
            // One dead idle connection means the server restarted: the
            // others are dead too.
            --m_open;
            m_open -= m_idle.size();
            m_idle.clear();
            continue;
        }
        if (m_open < m_options.maxConnections) {
            ++m_open;
            lock.unlock();
            try {
                std::unique_ptr<PgConnection> conn = connect();
                lock.lock();
                m_leased.insert(conn.get());
                return Lease(this, std::move(conn));
            } catch (...) {
                lock.lock();
                --m_open;
                m_freed.notify_one();
                throw;
            }
        }
        const auto waitStarted = std::chrono::steady_clock::now();
        const bool timedOut = m_freed.wait_until(lock, deadline) == std::cv_status::timeout;
        ++m_waits;
        m_waitTime += std::chrono::steady_clock::now() - waitStarted;
        if (timedOut && m_idle.empty() && m_open >= m_options.maxConnections)
            throw Unavailable("all " + std::to_string(m_options.maxConnections)
                              + " database connections are busy; try again shortly");
    }
}

Database::PoolStats Database::poolStats()
{
    std::lock_guard lock(m_mutex);
    return {m_open, m_leased.size(), m_options.maxConnections, m_waits,
            std::chrono::duration<double>(m_waitTime).count()};
}

void Database::release(std::unique_ptr<PgConnection> conn, bool discard)
{
    const bool reusable = !discard && conn->raw() && PQstatus(conn->raw()) == CONNECTION_OK
                          && PQtransactionStatus(conn->raw()) == PQTRANS_IDLE;
    std::unique_ptr<PgConnection> closing;
    {
        std::lock_guard lock(m_mutex);
        m_leased.erase(conn.get());
        if (reusable) {
            m_idle.push_back(std::move(conn));
        } else {
            closing = std::move(conn);
            --m_open;
        }
    }
    m_freed.notify_one();
    // Closing may wait on the network; never under the lock.
    closing.reset();
}

bool Database::alive(PgConnection &conn)
{
    PGconn *pg = conn.raw();
    if (!pg || PQstatus(pg) != CONNECTION_OK)
        return false;
    // An idle connection has nothing to say; if its socket is readable, the
    // server closed it (a restart, an administrator) or sent a notice.
    pollfd fd{PQsocket(pg), POLLIN, 0};
    if (::poll(&fd, 1, 0) > 0) {
        if (!PQconsumeInput(pg) || PQstatus(pg) != CONNECTION_OK)
            return false;
    }
    return true;
}

void Database::cancelRunning()
{
    std::lock_guard lock(m_mutex);
    for (PgConnection *conn : m_leased) {
        if (PGcancel *cancel = conn->raw() ? PQgetCancel(conn->raw()) : nullptr) {
            char error[256];
            PQcancel(cancel, error, sizeof error);
            PQfreeCancel(cancel);
        }
    }
}

void Database::dropIdle()
{
    std::vector<std::unique_ptr<PgConnection>> dropped;
    {
        std::lock_guard lock(m_mutex);
        dropped.swap(m_idle);
        m_open -= dropped.size();
    }
    m_freed.notify_all();
}

Database::Lease::Lease(Database *db, std::unique_ptr<PgConnection> conn)
    : m_db(db)
    , m_conn(std::move(conn))
{
}

Database::Lease::Lease(Lease &&other) noexcept
    : m_db(other.m_db)
    , m_conn(std::move(other.m_conn))
    , m_discard(other.m_discard)
{
}

Database::Lease::~Lease()
{
    if (m_conn)
        m_db->release(std::move(m_conn), m_discard);
}

} // namespace meterscope::storage
