#include "support/clients.h"

#include "grpc/health/v1/health.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QFile>

#include <chrono>
#include <sstream>

namespace meterscope::test {

client::ConnectionOptions connectionTo(const QString &address, const std::string &token)
{
    client::ConnectionOptions options;
    options.address = address.toStdString();
    options.token = token;
    return options;
}

std::unique_ptr<client::Client> clientFor(const QString &address, const std::string &token)
{
    return std::make_unique<client::Client>(connectionTo(address, token));
}

std::unique_ptr<v1::MeterService::Stub> rawStub(const QString &address)
{
    return v1::MeterService::NewStub(grpc::CreateChannel(address.toStdString(), grpc::InsecureChannelCredentials()));
}

grpc::health::v1::HealthCheckResponse::ServingStatus servingStatus(const QString &address, std::string *error)
{
    auto health = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(address.toStdString(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health->Check(&context, {}, &response);
    if (!status.ok()) {
        if (error)
            *error = status.error_message();
        return grpc::health::v1::HealthCheckResponse::UNKNOWN;
    }
    return response.status();
}

v1::ImportReport importText(client::Client &client, const std::string &text, const std::string &name,
                            const client::ImportSettings &settings)
{
    std::istringstream in(text);
    return client.importStream(in, name, text.size(), settings);
}

Points queryPoints(client::Client &client, const v1::QueryRequest &request)
{
    Points points;
    client.query(request, [&](const v1::PointBatch &batch) {
        points.times.insert(points.times.end(), batch.time_us().begin(), batch.time_us().end());
        points.values.insert(points.values.end(), batch.value().begin(), batch.value().end());
        return true;
    });
    return points;
}

Points queryPoints(client::Client &client, const std::string &series)
{
    v1::QueryRequest request;
    request.set_series(series);
    return queryPoints(client, request);
}

qint64 memoryKiB(qint64 pid, const char *field)
{
    QFile status(pid ? QString("/proc/%1/status").arg(pid) : QString("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

} // namespace meterscope::test
