#pragma once

#include "service/auth.h"
#include "service/status.h"
#include "service/validation.h"
#include "service/watchdog.h"

#include <grpcpp/impl/codegen/method_handler.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/proto_buffer_writer.h>
#include <grpcpp/support/sync_stream.h>

#include <functional>

namespace meterscope::service {

using RawStream = grpc::ServerReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>;

/// One call as a handler sees it: requests are parsed and checked here (a
/// request that is not valid UTF-8 or carries a NUL gets INVALID_ARGUMENT
/// naming the field, where gRPC's own parse would give INTERNAL without a
/// word), and every Read() and Write() that waits on the client is watched
/// by the watchdog.
class Call {
public:
    Call(grpc::ServerContext &context, RawStream &stream, Watchdog &watchdog)
        : m_context(context)
        , m_stream(stream)
        , m_watchdog(watchdog)
    {
    }

    grpc::ServerContext &context() const { return m_context; }

    /// The next request; false at the end of the client's stream (a clean
    /// half-close, or a call that broke: see context().IsCancelled()).
    /// Throws StatusError for a request that does not parse.
    template<typename Request>
    bool read(Request &request, const char *waitingFor = "the client sent nothing")
    {
        grpc::ByteBuffer buffer;
        {
            Watchdog::Watch watch(m_watchdog, m_context, waitingFor);
            if (!m_stream.Read(&buffer))
                return false;
        }
        parseRequest(buffer, request);
        return true;
    }

    /// The one request of a unary or server-streaming call.
    template<typename Request>
    void request(Request &request)
    {
        if (!read(request))
            throw StatusError(m_context.IsCancelled() ? grpc::StatusCode::CANCELLED
                                                      : grpc::StatusCode::INVALID_ARGUMENT,
                              "the call carried no request");
    }

    /// Sends one message; false when the client is gone (or too slow: the
    /// watchdog ended the call).
    template<typename Response>
    bool write(const Response &response, grpc::WriteOptions options = {})
    {
        grpc::ByteBuffer buffer;
        bool own = false;
        if (!grpc::SerializationTraits<Response>::Serialize(response, &buffer, &own).ok())
            throw StatusError(grpc::StatusCode::INTERNAL, "cannot serialize an answer");
        Watchdog::Watch watch(m_watchdog, m_context, "the client took nothing");
        return m_stream.Write(buffer, options);
    }

private:
    grpc::ServerContext &m_context;
    RawStream &m_stream;
    Watchdog &m_watchdog;
};

/// What every handler shares: the token check (where the transport does not
/// make it) and the watchdog.
struct CallGuard {
    const TokenStore *tokens = nullptr;
    Watchdog *watchdog = nullptr;

    /// Checks the token, then runs `body(call)`, turning whatever it throws
    /// into a status (see toStatus()).
    template<typename Body>
    grpc::Status run(const char *name, grpc::ServerContext *context, RawStream *stream, Body &&body) const
    {
        return guarded(name, [&] {
            if (grpc::Status status = admit(tokens, *context); !status.ok())
                return status;
            Call call(*context, *stream, *watchdog);
            return body(call);
        });
    }
};

/// A handler for grpc::Service::MarkMethodStreamed() that hands the raw
/// bytes of a call to `handler(call)`, a member of `Service` (which has
/// `const CallGuard &guard()`). Any method kind works: unary and
/// server-streaming calls read their one request with Call::request().
template<typename Service>
grpc::internal::MethodHandler *rawHandler(Service *service, const char *name, grpc::Status (Service::*handler)(Call &))
{
    return new grpc::internal::BidiStreamingHandler<Service, grpc::ByteBuffer, grpc::ByteBuffer>(
        [name, handler](Service *self, grpc::ServerContext *context, RawStream *stream) {
            return self->guard().run(name, context, stream, [&](Call &call) { return (self->*handler)(call); });
        },
        service);
}

} // namespace meterscope::service
