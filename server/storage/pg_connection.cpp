#include "storage/pg_connection.h"

namespace meterscope::storage {

PgConnection::PgConnection(const std::string &options)
    : pqxx::connection_base(m_policy)
    , m_options(options)
    , m_policy(m_options)
{
    init();
}

PgConnection::~PgConnection() noexcept
{
    close();
}

PgConnection::Policy::handle PgConnection::Policy::do_startconnect(handle orig)
{
    m_handle = pqxx::connect_direct::do_startconnect(orig);
    return m_handle;
}

PgConnection::Policy::handle PgConnection::Policy::do_dropconnect(handle orig) noexcept
{
    m_handle = nullptr;
    return pqxx::connect_direct::do_dropconnect(orig);
}

PgConnection::Policy::handle PgConnection::Policy::do_disconnect(handle orig) noexcept
{
    m_handle = nullptr;
    return pqxx::connect_direct::do_disconnect(orig);
}

} // namespace meterscope::storage
