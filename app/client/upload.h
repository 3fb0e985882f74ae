#pragma once

#include "client/client.h"

#include <functional>
#include <optional>
#include <string>

namespace meterscope::client {

/// A file the server imported.
struct Upload {
    v1::ImportReport report;
    /// Set when the call broke off before its report (a cancel, a lost
    /// connection) but the server had committed the file: how it broke
    /// off. The report is then the one the server kept (`replayed` set).
    std::optional<ClientError> interruption;
};

/// Uploads the file at `path` as `fileName` (empty: `path`) under a fresh
/// import id, whatever `settings.importId` says. When the call ends without
/// a report, asks the server what became of it and says that, never a
/// guess: the kept report when the server committed the file; else it
/// throws ClientError with the call's code and "the server says nothing of
/// this file was stored" or "could not ask the server whether it was stored
/// (...); its import id is ...", after the call's own error unless that was
/// a cancel. Other failures throw as Client::importFile().
Upload uploadFile(Client &client, const std::string &path, const std::string &fileName, ImportSettings settings,
                  const std::function<void(const ImportProgress &)> &progress = {},
                  Cancellation *cancellation = nullptr);

} // namespace meterscope::client
