#include "client/follow.h"

#include <algorithm>

namespace meterscope::client {

namespace {

// A server going down or restarting, or one that found us too slow: worth
// subscribing again. (A cancel of ours is told apart by the Cancellation.)
bool resumable(const ClientError &e)
{
    return e.code() == grpc::StatusCode::UNAVAILABLE || e.code() == grpc::StatusCode::CANCELLED
           || e.code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

std::int64_t nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

void follow(Client &client, std::string series, std::optional<std::int64_t> sinceUs,
            const std::function<bool(const v1::SubscribeResponse &)> &onMessage,
            const std::function<void(const ClientError &)> &onRetry, Cancellation &cancellation)
{
    constexpr std::chrono::milliseconds kFirstPause(250);
    constexpr std::chrono::milliseconds kLongestPause(5000);
    std::chrono::milliseconds pause = kFirstPause;
    while (!cancellation.cancelled()) {
        v1::SubscribeRequest request;
        request.set_series(series);
        if (sinceUs)
            request.set_since_time_us(*sinceUs);
        bool stopped = false;
        try {
            client.subscribe(
                request,
                [&](const v1::SubscribeResponse &message) {
                    pause = kFirstPause;
                    const v1::PointBatch &points = message.points();
                    if (points.time_us_size() > 0) {
                        const std::int64_t next = points.time_us(points.time_us_size() - 1) + 1;
                        sinceUs = std::max(sinceUs.value_or(next), next);
                    }
                    stopped = !onMessage(message);
                    if (!message.renamed_to().empty())
                        series = message.renamed_to();
                    return !stopped;
                },
                &cancellation);
        } catch (const ClientError &e) {
            if (cancellation.cancelled())
                return;
            if (!resumable(e))
                throw;
            onRetry(e);
            if (!sinceUs)
                sinceUs = nowUs();
            if (cancellation.waitFor(pause))
                return;
            pause = std::min(pause * 2, kLongestPause);
            continue;
        }
        // The stream ends by itself only for a deleted series, or a renamed
        // one to follow under its new name.
        if (stopped || request.series() == series)
            return;
    }
}

} // namespace meterscope::client
