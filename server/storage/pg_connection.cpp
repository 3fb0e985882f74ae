#include "storage/connection.h"

namespace meterscope::storage {

Connection::Connection(const std::string &options)
    : pqxx::connection_base(m_policy)
    , m_options(options)
    , m_policy(m_options)
{
    init();
}

Connection::~Connection() noexcept
{
    close();
}

Connection::Policy::handle Connection::Policy::do_startconnect(handle orig)
{
    m_handle = pqxx::connect_direct::do_startconnect(orig);
    return m_handle;
}

Connection::Policy::handle Connection::Policy::do_dropconnect(handle orig) noexcept
{
    m_handle = nullptr;
    return pqxx::connect_direct::do_dropconnect(orig);
}

Connection::Policy::handle Connection::Policy::do_disconnect(handle orig) noexcept
{
    m_handle = nullptr;
    return pqxx::connect_direct::do_disconnect(orig);
}

} // namespace meterscope::storage
