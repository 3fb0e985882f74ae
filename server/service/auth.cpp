#include "service/auth.h"

#include "tokens/token_file.h"

namespace meterscope::service {

namespace {

// Compares without an early exit, so timing tells nothing about the token.
bool sameSecret(std::string_view a, const std::string &b)
{
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
    return difference == 0 && !b.empty();
}

} // namespace

TokenStore::TokenStore(std::string path)
    : m_path(std::move(path))
{
    reload();
}

void TokenStore::reload()
{
    std::vector<std::string> read = tokens::readTokenFile(m_path);
    auto tokens = std::make_shared<std::set<std::string>>(read.begin(), read.end());
    std::lock_guard lock(m_mutex);
    m_tokens = std::move(tokens);
}

bool TokenStore::accepts(std::string_view token) const
{
    std::shared_ptr<const std::set<std::string>> tokens;
    {
        std::lock_guard lock(m_mutex);
        tokens = m_tokens;
    }
    bool accepted = false;
    for (const std::string &known : *tokens)
        accepted |= sameSecret(token, known);
    return accepted;
}

std::size_t TokenStore::size() const
{
    std::lock_guard lock(m_mutex);
    return m_tokens->size();
}

TokenAuthProcessor::TokenAuthProcessor(std::shared_ptr<TokenStore> tokens)
    : m_tokens(std::move(tokens))
{
}

grpc::Status TokenStore::check(const std::multimap<grpc::string_ref, grpc::string_ref> &metadata) const
{
    const auto header = metadata.find("authorization");
    if (header == metadata.end())
        return check(std::nullopt);
    return check(std::string_view(header->second.data(), header->second.size()));
}

grpc::Status TokenStore::check(std::optional<std::string_view> authorization) const
{
    if (!authorization)
        return {grpc::StatusCode::UNAUTHENTICATED,
                "this server needs a token: send 'authorization: Bearer <token>' (meterscope-cli --token-file or "
                "METERSCOPE_TOKEN)"};
    const std::optional<std::string_view> token = tokens::bearerToken(*authorization);
    if (!token || !accepts(*token))
        return {grpc::StatusCode::UNAUTHENTICATED, "the token was not accepted by this server"};
    return grpc::Status::OK;
}

grpc::Status admit(const TokenStore *tokens, const grpc::ServerContext &context)
{
    return tokens ? tokens->check(context.client_metadata()) : grpc::Status::OK;
}

grpc::Status TokenAuthProcessor::Process(const InputMetadata &metadata, grpc::AuthContext *, OutputMetadata *consumed,
                                         OutputMetadata *)
{
    const auto path = metadata.find(":path");
    if (path != metadata.end() && path->second.starts_with("/grpc.health.v1.Health/"))
        return grpc::Status::OK;
    const grpc::Status status = m_tokens->check(metadata);
    if (status.ok()) {
        const auto header = metadata.find("authorization");
        consumed->insert({std::string(header->first.data(), header->first.size()),
                          std::string(header->second.data(), header->second.size())});
    }
    return status;
}

} // namespace meterscope::service
