#pragma once

#include <pqxx/connection>

#include <string>

typedef struct pg_conn PGconn;

namespace meterscope::storage {

/// A libpqxx connection that also hands out its libpq handle, for binary
/// COPY (libpqxx 6.4 only speaks text COPY). It never reconnects behind the
/// caller's back: a broken connection stays broken and is dropped by the pool.
class PgConnection : public pqxx::connection_base {
public:
    /// Connects at once; throws pqxx::broken_connection on failure.
    explicit PgConnection(const std::string &options);
    ~PgConnection() noexcept;

    /// The libpq connection, or nullptr when closed.
    PGconn *raw() const { return m_policy.raw(); }

private:
    // Records the handle libpqxx opens, through its documented policy hook.
    class Policy : public pqxx::connect_direct {
    public:
        using pqxx::connect_direct::connect_direct;
        handle do_startconnect(handle orig) override;
        handle do_dropconnect(handle orig) noexcept override;
        handle do_disconnect(handle orig) noexcept override;
        PGconn *raw() const { return m_handle; }

    private:
        PGconn *m_handle = nullptr;
    };

    std::string m_options;
    Policy m_policy;
};

} // namespace meterscope::storage
