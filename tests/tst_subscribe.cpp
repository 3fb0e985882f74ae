// Subscribe across servers: two meterscoped processes share one throwaway
// cluster; a subscriber on B sees what is imported through A, exactly once
// and in order. A subscriber that stops reading is cut off, not buffered.
#include "client/client.h"
#include "support/clients.h"
#include "support/generated_csv.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QTest>

#include <atomic>
#include <mutex>
#include <sstream>
#include <thread>

using namespace meterscope;

namespace {

using test::minuteTime;

// Rows [from, to) of a minute series, as a CSV import.
void importMinutes(client::Client &client, const std::string &series, int from, int to)
{
    test::importText(client, test::minutesCsv(series, from, to), series + ".csv");
}

// Collects what a subscription delivers, on a thread of its own.
class Collector {
public:
    Collector(const QString &address, const std::string &series, std::optional<timeutil::Micros> since)
        : m_client(test::clientFor(address))
    {
        v1::SubscribeRequest request;
        request.set_series(series);
        if (since)
            request.set_since_time_us(*since);
        m_thread = std::thread([this, request] {
            try {
                m_client->subscribe(
                    request,
                    [this](const v1::SubscribeResponse &message) {
                        std::lock_guard lock(m_mutex);
                        m_caughtUp = m_caughtUp || message.caught_up();
                        m_times.insert(m_times.end(), message.points().time_us().begin(),
                                       message.points().time_us().end());
                        return true;
                    },
                    &m_cancellation);
            } catch (const client::ClientError &e) {
                std::lock_guard lock(m_mutex);
                m_error = e.code();
            }
        });
    }
    ~Collector()
    {
        m_cancellation.cancel();
        m_thread.join();
    }
    std::vector<timeutil::Micros> times()
    {
        std::lock_guard lock(m_mutex);
        return m_times;
    }
    bool caughtUp()
    {
        std::lock_guard lock(m_mutex);
        return m_caughtUp;
    }
    std::optional<grpc::StatusCode> error()
    {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    std::unique_ptr<client::Client> m_client;
    client::Cancellation m_cancellation;
    std::mutex m_mutex;
    std::vector<timeutil::Micros> m_times;
    bool m_caughtUp = false;
    std::optional<grpc::StatusCode> m_error;
    std::thread m_thread;
};

} // namespace

class TestSubscribe : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void exactlyOnceInOrderAcrossServers();
    void onlyNewPointsWithoutSince();
    void unknownSeries();
    void slowSubscriberIsCutOff();

private:
    test::TestCluster m_cluster;
    test::ServerProcess m_a;
    test::ServerProcess m_b;
};

void TestSubscribe::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    const QString db = QString::fromStdString(m_cluster.uri());
    QVERIFY2(m_a.start({"--database", db, "--listen", "127.0.0.1:0"}), qPrintable(m_a.log()));
    QVERIFY2(m_b.start({"--database", db, "--listen", "127.0.0.1:0"}), qPrintable(m_b.log()));
}

void TestSubscribe::exactlyOnceInOrderAcrossServers()
{
    auto a = test::clientFor(m_a.address());
    importMinutes(*a, "live", 0, 100);

    // Imports through A run while B's subscriber reads its backfill, so
    // some commits fall into the backfill and must not come twice.
    Collector subscriber(m_b.address(), "live", minuteTime(0));
    std::thread importer([&] {
        auto client = test::clientFor(m_a.address());
        for (int batch = 0; batch < 30; ++batch)
            importMinutes(*client, "live", 100 + batch * 50, 150 + batch * 50);
    });
    importer.join();
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.times().size(), std::size_t(1600), 20000);
    QVERIFY(subscriber.caughtUp());
    const std::vector<timeutil::Micros> times = subscriber.times();
    for (int i = 0; i < 1600; ++i)
        QCOMPARE(times[std::size_t(i)], minuteTime(i));
    // Nothing more trickles in afterwards.
    QTest::qWait(500);
    QCOMPARE(subscriber.times().size(), std::size_t(1600));
}

void TestSubscribe::onlyNewPointsWithoutSince()
{
    auto a = test::clientFor(m_a.address());
    importMinutes(*a, "fresh", 0, 10);
    Collector subscriber(m_b.address(), "fresh", std::nullopt);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.caughtUp(), 10000);
    QVERIFY(subscriber.times().empty());
    importMinutes(*a, "fresh", 10, 13);
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.times().size(), std::size_t(3), 10000);
    QCOMPARE(subscriber.times().front(), minuteTime(10));
}

void TestSubscribe::unknownSeries()
{
    Collector subscriber(m_b.address(), "nobody", std::nullopt);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.error().has_value(), 10000);
    QCOMPARE(*subscriber.error(), grpc::StatusCode::NOT_FOUND);
}

void TestSubscribe::slowSubscriberIsCutOff()
{
    test::ServerProcess server;
    QVERIFY2(server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0",
                           "--max-subscriber-lag", "4"}),
             qPrintable(server.log()));
    auto client = test::clientFor(server.address());
    importMinutes(*client, "flood", 0, 1);

    auto stub = test::rawStub(server.address());
    grpc::ClientContext context;
    v1::SubscribeRequest request;
    request.set_series("flood");
    auto reader = stub->Subscribe(&context, request);
    v1::SubscribeResponse message;
    QVERIFY(reader->Read(&message));
    QVERIFY(message.caught_up());

    // The subscriber stops reading while 40 imports of 20,000 points each
    // (about 13 MB to send) are committed.
    const qint64 before = server.peakMemoryKiB();
    for (int batch = 0; batch < 40; ++batch)
        importMinutes(*client, "flood", 1 + batch * 20000, 1 + (batch + 1) * 20000);
    const qint64 after = server.peakMemoryKiB();
    qInfo("server peak memory %lld MiB before, %lld MiB after the flood", before >> 10, after >> 10);
    if (!test::kSanitized) // shadow memory and quarantine blur the figure
        QVERIFY2(after - before < 64 * 1024, "the server buffered the slow subscriber's data");

    // Reading again, it gets what was on its way, then the end of the stream.
    std::uint64_t received = 0;
    while (reader->Read(&message))
        received += std::uint64_t(message.points().time_us_size());
    const grpc::Status status = reader->Finish();
    QCOMPARE(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    QVERIFY2(status.error_message().find("reads too slowly") != std::string::npos, status.error_message().c_str());
    QVERIFY(received < 800000);
}

QTEST_GUILESS_MAIN(TestSubscribe)
#include "tst_subscribe.moc"
