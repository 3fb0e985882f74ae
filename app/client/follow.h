#pragma once

#include "client/client.h"

#include <functional>
#include <optional>
#include <string>

namespace meterscope::client {

/// Follows `series` through Subscribe: its stored points from `sinceUs`
/// (none: only new ones), then every commit, each message handed to
/// `onMessage` on the calling thread. When the server goes away or
/// restarts, or drops the stream for reading too slowly, `onRetry` hears
/// why and it subscribes again, after a pause of 250 ms doubling to 5 s,
/// from the point after the last one seen (none seen and no `sinceUs`: from
/// the moment it broke off), so that nothing is missed or repeated. A
/// rename is followed under the new name unless `onMessage` returns false,
/// which stops it at once. Returns when stopped, cancelled, or the series
/// was deleted; throws ClientError for any other failure (no such series,
/// a server without Subscribe, ...).
void follow(Client &client, std::string series, std::optional<std::int64_t> sinceUs,
            const std::function<bool(const v1::SubscribeResponse &)> &onMessage,
            const std::function<void(const ClientError &)> &onRetry, Cancellation &cancellation);

} // namespace meterscope::client
