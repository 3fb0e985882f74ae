// meterscope-load: many clients at once against one meterscoped on the
// embedded cluster. Phase 1: 50 Query streams of the full sample over and
// over while 4 imports of 1,000,000 rows run. Phase 2: 200 idle subscribers
// for a minute, then one import they must all see. ListSeries latency is
// sampled throughout, and the server's resident memory is watched.
//
//   build/tests/bench/meterscope-load [--import-rows N] [--idle-seconds S]
#include "client/client.h"
#include "support/bench_tools.h"
#include "support/clients.h"
#include "support/database_checks.h"
#include "support/generated_csv.h"
#include "support/server_process.h"
#include "support/test_cluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>

using namespace meterscope;
using Clock = std::chrono::steady_clock;

namespace {

constexpr qint64 kMemoryBoundMiB = 512;

// ListSeries round trips, timed, on a thread of their own.
class Prober {
public:
    explicit Prober(const QString &address)
        : m_client(test::connectionTo(address))
        , m_thread([this] {
            while (!m_stop) {
                const auto started = Clock::now();
                try {
                    m_client.listSeries();
                    std::lock_guard lock(m_mutex);
                    m_latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
                } catch (const client::ClientError &e) {
                    std::fprintf(stderr, "ListSeries failed: %s\n", e.what());
                    ++m_errors;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        })
    {
    }
    ~Prober() { stop(); }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    std::string summary()
    {
        std::lock_guard lock(m_mutex);
        std::sort(m_latencies.begin(), m_latencies.end());
        if (m_latencies.empty())
            return "no samples";
        char text[128];
        std::snprintf(text, sizeof text, "ListSeries p50 %.1f ms, p99 %.1f ms (%zu calls)",
                      m_latencies[m_latencies.size() / 2], m_latencies[m_latencies.size() * 99 / 100],
                      m_latencies.size());
        return text;
    }
    int errors() const { return m_errors; }

private:
    client::Client m_client;
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::vector<double> m_latencies;
    std::atomic<int> m_errors{0};
    std::thread m_thread;
};

} // namespace

using test::die;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("Load test of one meterscoped with many clients.");
    parser.addHelpOption();
    const QCommandLineOption rowsOption("import-rows", "Rows in each of the 4 imports (default 1000000).", "N",
                                        "1000000");
    const QCommandLineOption idleOption("idle-seconds", "How long 200 subscribers stay idle (default 60).", "S", "60");
    parser.addOptions({rowsOption, idleOption});
    parser.process(app);
    const std::uint64_t importRows = parser.value(rowsOption).toULongLong();
    const int idleSeconds = parser.value(idleOption).toInt();

    test::TestCluster cluster;
    if (!cluster.start())
        die(cluster.error());
    test::ServerProcess server;
    if (!server.start({"--database", QString::fromStdString(cluster.uri()), "--listen", "127.0.0.1:0", "--import",
                       test::sampleCsv(), "--log-level", "warning"}))
        die("meterscoped did not start: " + server.log());
    const QString address = server.address();
    const test::MemoryWatch memory(server.pid(), std::chrono::milliseconds(50));
    std::atomic<int> errors{0};

    // Phase 1.
    std::printf("phase 1: 50 Query streams of the sample, round after round, beside 4 imports of %llu rows\n",
                static_cast<unsigned long long>(importRows));
    std::fflush(stdout);
    const auto phase1 = Clock::now();
    {
        Prober prober(address);
        std::atomic<bool> importing{true};
        std::atomic<int> queries{0};
        std::vector<std::thread> readers;
        for (int i = 0; i < 50; ++i) {
            readers.emplace_back([&] {
                client::Client client(test::connectionTo(address));
                do {
                    v1::QueryRequest request;
                    request.set_series("meterusage");
                    int points = 0;
                    try {
                        client.query(request, [&](const v1::PointBatch &batch) {
                            points += batch.time_us_size();
                            return true;
                        });
                    } catch (const client::ClientError &e) {
                        std::fprintf(stderr, "Query failed: %s\n", e.what());
                    }
                    if (points != 2974)
                        ++errors;
                    ++queries;
                } while (importing);
            });
        }
        std::vector<std::thread> importers;
        for (int i = 0; i < 4; ++i) {
            importers.emplace_back([&, i] {
                client::Client client(test::connectionTo(address));
                const std::string series = "load_" + std::to_string(i);
                test::GeneratedCsv csv(series, importRows);
                std::istream in(&csv);
                try {
                    if (client.importStream(in, series + ".csv", csv.size(), {}).rows_new() != importRows)
                        ++errors;
                } catch (const client::ClientError &e) {
                    std::fprintf(stderr, "Import failed: %s\n", e.what());
                    ++errors;
                }
            });
        }
        for (std::thread &t : importers)
            t.join();
        importing = false;
        for (std::thread &t : readers)
            t.join();
        prober.stop();
        for (int i = 0; i < 4; ++i) {
            if (test::storedPoints(cluster, "load_" + std::to_string(i)) != std::int64_t(importRows))
                ++errors;
        }
        errors += prober.errors();
        std::printf("  %d full queries, 4 imports in %.1f s; %s\n", queries.load(),
                    std::chrono::duration<double>(Clock::now() - phase1).count(), prober.summary().c_str());
    }

    // Phase 2.
    std::printf("phase 2: 200 idle subscribers for %d s, then one import they must all see\n", idleSeconds);
    std::fflush(stdout);
    {
        Prober prober(address);
        client::Client client(test::connectionTo(address));
        std::istringstream first("time,quiet\n2040-01-01 00:00:00,0\n");
        client.importStream(first, "quiet.csv", 0, {});
        std::vector<std::unique_ptr<client::Cancellation>> cancellations;
        std::vector<std::atomic<int>> received(200);
        std::vector<std::atomic<bool>> caughtUp(200);
        std::vector<std::thread> subscribers;
        for (int i = 0; i < 200; ++i) {
            cancellations.push_back(std::make_unique<client::Cancellation>());
            subscribers.emplace_back([&, i] {
                client::Client subscriber(test::connectionTo(address));
                v1::SubscribeRequest request;
                request.set_series("quiet");
                try {
                    subscriber.subscribe(
                        request,
                        [&](const v1::SubscribeResponse &message) {
                            caughtUp[std::size_t(i)] = caughtUp[std::size_t(i)] || message.caught_up();
                            received[std::size_t(i)] += message.points().time_us_size();
                            return true;
                        },
                        cancellations[std::size_t(i)].get());
                } catch (const client::ClientError &e) {
                    if (e.code() != grpc::StatusCode::CANCELLED) {
                        std::fprintf(stderr, "Subscribe failed: %s\n", e.what());
                        ++errors;
                    }
                }
            });
        }
        std::this_thread::sleep_for(std::chrono::seconds(idleSeconds));
        std::string csv = "time,quiet\n";
        for (int i = 1; i <= 10; ++i)
            csv += "2040-01-01 00:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "," + std::to_string(i)
                   + "\n";
        std::istringstream news(csv);
        client.importStream(news, "quiet.csv", 0, {});
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        auto allSeen = [&] {
            return std::all_of(received.begin(), received.end(), [](const std::atomic<int> &n) { return n >= 10; });
        };
        while (!allSeen() && Clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        int exact = 0;
        for (int i = 0; i < 200; ++i)
            exact += received[std::size_t(i)] == 10 && caughtUp[std::size_t(i)];
        errors += 200 - exact;
        for (auto &cancellation : cancellations)
            cancellation->cancel();
        for (std::thread &t : subscribers)
            t.join();
        prober.stop();
        errors += prober.errors();
        std::printf("  %d of 200 subscribers saw exactly the 10 new points; %s\n", exact, prober.summary().c_str());
    }
    const qint64 peakMiB = memory.peakMiB();
    std::printf("server peak RSS %lld MiB (bound %lld MiB); errors: %d\n", peakMiB, kMemoryBoundMiB, errors.load());
    const bool ok = errors == 0 && peakMiB <= kMemoryBoundMiB;
    std::printf("%s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
