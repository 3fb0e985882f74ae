#pragma once

#include <grpcpp/support/status.h>

#include <exception>
#include <stdexcept>
#include <string>

namespace meterscope::service {

/// An error that already knows its gRPC status (a limit hit, a malformed
/// request).
class StatusError : public std::runtime_error {
public:
    StatusError(grpc::StatusCode code, const std::string &message)
        : std::runtime_error(message)
        , m_code(code)
    {
    }
    grpc::StatusCode code() const { return m_code; }

private:
    grpc::StatusCode m_code;
};

/// The one place where exceptions become gRPC statuses: bad input becomes
/// INVALID_ARGUMENT naming file, line and reason; a lost database
/// UNAVAILABLE; a full disk RESOURCE_EXHAUSTED; anything unexpected INTERNAL,
/// with the details only in the server log (tagged with `call`).
grpc::Status toStatus(std::exception_ptr error, const char *call);

/// Runs a handler body, turning whatever it throws into a status.
template<typename Body>
grpc::Status guarded(const char *call, Body &&body)
{
    try {
        return body();
    } catch (...) {
        return toStatus(std::current_exception(), call);
    }
}

} // namespace meterscope::service
