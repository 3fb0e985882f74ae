#pragma once

#include "client/client.h"
#include "client/export_format.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>

namespace meterscope::client {

/// Called after each batch with the points written so far.
using ExportProgress = std::function<void(std::uint64_t points)>;

/// Writes the points `request` selects to `out` as `format` says, batch by
/// batch as they arrive; stops early when `out` fails (the caller checks
/// it). Returns the points written. Throws ClientError as Client::query().
std::uint64_t exportPoints(Client &client, const v1::QueryRequest &request, std::ostream &out, ExportFormat format,
                           timeutil::Zone zone, const ExportProgress &progress, Cancellation *cancellation);

/// exportPoints() into the file at `path`, which is replaced only when every
/// point was written (until then they go to `<path>.part`, removed on
/// failure): a failed or cancelled export leaves what was there. Throws
/// ClientError, also when the file cannot be written.
std::uint64_t exportToFile(Client &client, const v1::QueryRequest &request, const std::filesystem::path &path,
                           ExportFormat format, timeutil::Zone zone, const ExportProgress &progress,
                           Cancellation *cancellation);

} // namespace meterscope::client
