// meterscope-bench-http (#19): GET /api/v1/series/{name}/points of a whole
// series against the gRPC Query of the same range, in one run, on one
// server, with the server's resident memory watched during each. The page
// is read by curl, as a script would (cpp-httplib's own client reads 4 KiB
// at a time and would measure itself); the gRPC answer by our client.
//
//   meterscope-bench-http [--rows N] [--rounds R]
#include "support/bench_tools.h"
#include "support/generated_csv.h"
#include "support/server_process.h"
#include "support/test_cluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>

#include <chrono>

using namespace meterscope;

namespace {

using Clock = std::chrono::steady_clock;

struct Run {
    double seconds = 0;
    std::uint64_t points = 0;
    std::uint64_t bytes = 0;
    qint64 peakMiB = 0;
};

Run grpcQuery(client::Client &client, qint64 serverPid)
{
    v1::QueryRequest request;
    request.set_series("meter");
    Run run;
    const test::MemoryWatch memory(serverPid);
    const auto started = Clock::now();
    client.query(request, [&](const v1::PointBatch &batch) {
        run.points += std::uint64_t(batch.time_us_size());
        run.bytes += batch.ByteSizeLong();
        return true;
    });
    run.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    run.peakMiB = memory.peakMiB();
    return run;
}

Run httpPoints(const QString &url, std::uint64_t rows, qint64 serverPid)
{
    Run run;
    QProcess curl;
    const test::MemoryWatch memory(serverPid);
    const auto started = Clock::now();
    curl.start("curl",
               {"-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", url + "/api/v1/series/meter/points"});
    if (!curl.waitForFinished(-1) || curl.exitCode() != 0)
        test::die("curl failed: " + QString::fromUtf8(curl.readAllStandardError()));
    run.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    run.peakMiB = memory.peakMiB();
    const QStringList answer = QString::fromUtf8(curl.readAllStandardOutput()).split(' ');
    if (answer.value(0) != "200")
        test::die("GET /api/v1/series/meter/points answered " + answer.value(0));
    run.bytes = answer.value(1).toULongLong();
    run.points = rows; // tst_http checks the page point by point
    return run;
}

void print(const char *what, const Run &run, double baseline)
{
    std::printf("%-34s %9.2f %12.0f %9.0f %10lld %8.2fx\n", what, run.seconds, double(run.points) / run.seconds,
                double(run.bytes) / 1e6, run.peakMiB, baseline / run.seconds);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("HTTP points page against gRPC Query of the same series (#19).");
    parser.addHelpOption();
    const QCommandLineOption rowsOption("rows", "Points in the series (default 10000000).", "N", "10000000");
    const QCommandLineOption roundsOption("rounds", "Runs of each, alternating; the best counts (default 3).", "R",
                                          "3");
    parser.addOptions({rowsOption, roundsOption});
    parser.process(app);
    const std::uint64_t rows = parser.value(rowsOption).toULongLong();
    const int rounds = std::max(1, parser.value(roundsOption).toInt());

    test::TestCluster cluster;
    if (!cluster.start())
        test::die(cluster.error());
    test::ServerProcess server;
    if (!server.start({"--database", QString::fromStdString(cluster.uri()), "--listen", "127.0.0.1:0", "--http-listen",
                       "127.0.0.1:0", "--log-level", "warning"}))
        test::die("meterscoped did not start: " + server.log());
    const QRegularExpressionMatch url = QRegularExpression("serving HTTP on (\\S+)").match(server.log());
    if (!url.hasMatch())
        test::die("meterscoped logged no HTTP address: " + server.log());
    auto client = test::clientFor(server.address());

    std::printf("Importing %llu points, one a second...\n", static_cast<unsigned long long>(rows));
    test::GeneratedCsv generated("meter", rows);
    std::istream in(&generated);
    client->importStream(in, "meter.csv", generated.size(), {});
    const qint64 idleMiB = test::memoryKiB(server.pid(), "VmRSS") / 1024;

    Run bestGrpc, bestHttp;
    for (int round = 0; round < rounds; ++round) {
        const Run grpc = grpcQuery(*client, server.pid());
        const Run web = httpPoints(url.captured(1), rows, server.pid());
        if (grpc.points != rows)
            test::die("the Query lost points");
        if (round == 0 || grpc.seconds < bestGrpc.seconds)
            bestGrpc = grpc;
        if (round == 0 || web.seconds < bestHttp.seconds)
            bestHttp = web;
    }
    std::printf("\nbest of %d; meterscoped RSS before the streams: %lld MiB\n", rounds, idleMiB);
    std::printf("%-34s %9s %12s %9s %10s %9s\n", "whole series", "seconds", "points/s", "MB sent", "peak MiB",
                "vs gRPC");
    print("gRPC Query (packed batches)", bestGrpc, bestGrpc.seconds);
    print("HTTP /api/v1/series/…/points", bestHttp, bestGrpc.seconds);
    std::printf("\nHTTP throughput %.2fx gRPC (target >= 0.5x); server RSS %+lld MiB during HTTP, %+lld MiB during "
                "gRPC\n",
                bestGrpc.seconds / bestHttp.seconds, bestHttp.peakMiB - idleMiB, bestGrpc.peakMiB - idleMiB);
    return 0;
}
