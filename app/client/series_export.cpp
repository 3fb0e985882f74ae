#include "client/series_export.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>

namespace meterscope::client {

std::uint64_t exportPoints(Client &client, const ExportSource &source, std::ostream &out, ExportFormat format,
                           timeutil::Zone zone, const ExportProgress &progress, Cancellation *cancellation)
{
    if (const auto *totals = std::get_if<v1::AggregateRequest>(&source)) {
        PointWriter writer(out, format, totals->series_size() ? totals->series(0) : std::string(), std::move(zone));
        for (const v1::AggregateResponse &answer : client.aggregate(*totals, cancellation)) {
            for (const v1::TotalBucket &bucket : answer.buckets())
                writer.write(bucket.start_time_us(),
                             bucket.has_total() ? bucket.total() : std::numeric_limits<double>::quiet_NaN());
        }
        writer.finish();
        if (progress)
            progress(writer.count());
        return writer.count();
    }
    const auto &request = std::get<v1::QueryRequest>(source);
    PointWriter writer(out, format, request.series(), std::move(zone));
    client.query(
        request,
        [&](const v1::PointBatch &batch) {
            writer.write(batch);
            if (progress)
                progress(writer.count());
            return bool(out);
        },
        cancellation);
    writer.finish();
    return writer.count();
}

std::uint64_t exportToFile(Client &client, const ExportSource &source, const std::filesystem::path &path,
                           ExportFormat format, timeutil::Zone zone, const ExportProgress &progress,
                           Cancellation *cancellation)
{
    std::filesystem::path partial = path;
    partial += ".part";
    // The partial file goes whatever happens, unless it became `path`.
    struct Cleanup {
        const std::filesystem::path &partial;
        ~Cleanup()
        {
            std::error_code ignored;
            std::filesystem::remove(partial, ignored);
        }
    } cleanup{partial};

    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out)
        throw ClientError(grpc::StatusCode::PERMISSION_DENIED,
                          "cannot write " + partial.string() + " (" + std::strerror(errno) + ")");
    const std::uint64_t points = exportPoints(client, source, out, format, std::move(zone), progress, cancellation);
    out.close();
    if (!out)
        throw ClientError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "cannot write " + path.string() + " (is the disk full?)");
    std::error_code renamed;
    std::filesystem::rename(partial, path, renamed);
    if (renamed)
        throw ClientError(grpc::StatusCode::PERMISSION_DENIED,
                          "cannot replace " + path.string() + " (" + renamed.message() + ")");
    return points;
}

} // namespace meterscope::client
