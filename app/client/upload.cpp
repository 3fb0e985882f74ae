#include "client/upload.h"

namespace meterscope::client {

Upload uploadFile(Client &client, const std::string &path, const std::string &fileName, ImportSettings settings,
                  const std::function<void(const ImportProgress &)> &progress, Cancellation *cancellation)
{
    settings.importId = newImportId();
    try {
        return {client.importFile(path, settings, progress, cancellation, fileName), std::nullopt};
    } catch (const ClientError &e) {
        if (!e.importOutcomeUnknown())
            throw;
        const std::string how = e.code() == grpc::StatusCode::CANCELLED ? "" : std::string(e.what()) + "; ";
        std::optional<v1::ImportReport> stored;
        try {
            stored = client.importOutcome(settings.importId);
        } catch (const ClientError &lookup) {
            throw ClientError(e.code(), how + "could not ask the server whether it was stored (" + lookup.what()
                                            + "); its import id is " + settings.importId);
        }
        if (!stored)
            throw ClientError(e.code(), how + "the server says nothing of this file was stored");
        return {*stored, e};
    }
}

} // namespace meterscope::client
