#pragma once

#include <grpcpp/security/auth_metadata_processor.h>
#include <grpcpp/server_context.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace meterscope::service {

/// The bearer tokens a server accepts, read from a token file (the format
/// of tokens::readTokenFile()). Thread-safe; reload() swaps the set
/// atomically. Tokens are never logged.
class TokenStore {
public:
    explicit TokenStore(std::string path);

    /// Reads the file again. Throws tokens::TokenError (a std::runtime_error)
    /// naming the file when it cannot be read or used (the old set stays in force).
    void reload();
    bool accepts(std::string_view token) const;
    /// OK when the call's metadata carries `authorization: Bearer <token>`
    /// (the scheme in any case) with an accepted token, else UNAUTHENTICATED
    /// saying what to send.
    grpc::Status check(const std::multimap<grpc::string_ref, grpc::string_ref> &metadata) const;
    /// The same for the value of an authorization header (none: not sent).
    grpc::Status check(std::optional<std::string_view> authorization) const;
    std::size_t size() const;
    const std::string &path() const { return m_path; }

private:
    std::string m_path;
    mutable std::mutex m_mutex;
    std::shared_ptr<const std::set<std::string>> m_tokens;
};

/// For servers whose transport cannot check tokens (plaintext on a
/// non-loopback address, --allow-insecure): the same check, run by
/// CallGuard before any handler. OK when `tokens` is null.
grpc::Status admit(const TokenStore *tokens, const grpc::ServerContext &context);

/// Checks `authorization: Bearer <token>` on every call before any handler
/// runs; health checks pass without one. Rejected calls end with
/// UNAUTHENTICATED and a sentence saying what to send.
class TokenAuthProcessor final : public grpc::AuthMetadataProcessor {
public:
    explicit TokenAuthProcessor(std::shared_ptr<TokenStore> tokens);

    bool IsBlocking() const override { return false; }
    grpc::Status Process(const InputMetadata &metadata, grpc::AuthContext *context, OutputMetadata *consumed,
                         OutputMetadata *response) override;

private:
    std::shared_ptr<TokenStore> m_tokens;
};

} // namespace meterscope::service
