#pragma once

// Pieces the hostile-client tests (#20) share: raw stubs on channels of
// their own, meter-like CSV text, and a way to tell what a call ended with.
#include "grpc/health/v1/health.grpc.pb.h"
#include "meterscope/v1/meterscope.grpc.pb.h"
#include "meterusage/meterusage.grpc.pb.h"
#include "time/instant.h"

#include <grpcpp/grpcpp.h>

#include <QString>

#include <cmath>
#include <memory>
#include <string>

namespace meterscope::test {

/// A channel with a TCP connection of its own (`tag` tells them apart). A
/// `stalled` one never grows its flow-control windows, so a server writing
/// to a stream nobody reads blocks after about 64 KiB, as it would for a
/// paused app or a stalled pipe.
inline std::shared_ptr<grpc::Channel> ownChannel(const QString &address, int tag, bool stalled = false)
{
    grpc::ChannelArguments arguments;
    arguments.SetInt("meterscope.test.connection", tag);
    if (stalled)
        arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    arguments.SetMaxReceiveMessageSize(64 * 1024 * 1024);
    return grpc::CreateCustomChannel(address.toStdString(), grpc::InsecureChannelCredentials(), arguments);
}

inline void setDeadline(grpc::ClientContext &context, int ms)
{
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(ms));
}

/// `rows` readings of a meter every 15 minutes from 2024-03-01: a daily
/// profile (low at night, a morning and an evening peak) with noise, as a
/// `time,<series>` CSV in the sample's layout.
inline std::string meterCsv(const std::string &series, int rows, int seed = 1)
{
    const timeutil::Micros start = *timeutil::parseInstant("2024-03-01T00:00:00Z", timeutil::Zone(), nullptr);
    std::string csv = "time," + series + "\n";
    std::uint32_t noise = std::uint32_t(seed) * 2654435761u;
    for (int i = 0; i < rows; ++i) {
        noise = noise * 1664525u + 1013904223u;
        const double hour = (i % 96) / 4.0;
        const double profile
            = 0.3 + 0.5 * std::exp(-std::pow(hour - 8, 2) / 4) + 0.8 * std::exp(-std::pow(hour - 19, 2) / 6);
        const double value = std::round((profile + (noise >> 8) / double(1 << 24) * 0.1) * 1000) / 1000;
        std::string time = timeutil::formatIso(start + timeutil::Micros(i) * 15 * 60 * timeutil::kMicrosPerSecond);
        time[10] = ' ';
        time.pop_back(); // the sample's layout: "2024-03-01 00:15:00", read as UTC
        csv += time + "," + std::to_string(value) + "\n";
    }
    return csv;
}

/// Reads what a server stream still sends, then its status.
template<typename Response>
grpc::Status finishStream(grpc::ClientReader<Response> &reader)
{
    Response message;
    while (reader.Read(&message)) { }
    return reader.Finish();
}

/// Sends options and then `chunks` on an Import stream; returns how it ended
/// (`report` filled when one came).
inline grpc::Status importRaw(v1::MeterService::Stub &stub, grpc::ClientContext &context,
                              const v1::ImportOptions &options, const std::vector<std::string> &chunks,
                              v1::ImportReport *report = nullptr)
{
    auto stream = stub.Import(&context);
    v1::ImportRequest request;
    *request.mutable_options() = options;
    bool open = stream->Write(request);
    for (const std::string &chunk : chunks) {
        if (!open)
            break;
        request.set_chunk(chunk);
        open = stream->Write(request);
    }
    stream->WritesDone();
    v1::ImportResponse response;
    while (stream->Read(&response)) {
        if (response.has_report() && report)
            *report = response.report();
    }
    return stream->Finish();
}

} // namespace meterscope::test
