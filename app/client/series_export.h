#pragma once

#include "client/client.h"
#include "client/export_format.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <variant>

namespace meterscope::client {

/// Called after each batch with the points written so far.
using ExportProgress = std::function<void(std::uint64_t points)>;

/// What an export writes: the points a Query selects, or the totals of the
/// one series of an Aggregate request, each bucket's total as a point at the
/// bucket's start (missing, null in JSON, for a bucket without readings).
using ExportSource = std::variant<v1::QueryRequest, v1::AggregateRequest>;

/// Writes the points `source` selects to `out` as `format` says, batch by
/// batch as they arrive; stops early when `out` fails (the caller checks
/// it). Returns the points written. Throws ClientError as Client::query().
std::uint64_t exportPoints(Client &client, const ExportSource &source, std::ostream &out, ExportFormat format,
                           timeutil::Zone zone, const ExportProgress &progress, Cancellation *cancellation);

/// exportPoints() into the file at `path`, which is replaced only when every
/// point was written (until then they go to `<path>.part`, removed on
/// failure): a failed or cancelled export leaves what was there. Throws
/// ClientError, also when the file cannot be written.
std::uint64_t exportToFile(Client &client, const ExportSource &source, const std::filesystem::path &path,
                           ExportFormat format, timeutil::Zone zone, const ExportProgress &progress,
                           Cancellation *cancellation);

} // namespace meterscope::client
