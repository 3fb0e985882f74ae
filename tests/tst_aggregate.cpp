// #16 totals per bucket of local calendar time (Aggregate) against a real
// server and database: interval, cumulative and instant series checked
// against hand-computed fixtures, Europe/Dublin's 23- and 25-hour days,
// calendar months in a zone far from UTC, resets and meter swaps, missing
// readings, cost, the detected kinds and what is refused.
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QTest>

#include <functional>
#include <sstream>

using namespace meterscope;
using timeutil::Micros;

namespace {

constexpr Micros kMinute = 60 * timeutil::kMicrosPerSecond;
constexpr Micros kHour = 60 * kMinute;

// A file of one value column: `header` names it; readings every `step` from
// `start` up to `end`, valued by `value(i, time)`; std::nullopt skips one.
std::string readingsCsv(const std::string &header, Micros start, Micros end, Micros step,
                        const std::function<std::optional<double>(int, Micros)> &value)
{
    std::ostringstream csv;
    csv << "time," << header << '\n';
    int i = 0;
    for (Micros t = start; t < end; t += step, ++i) {
        if (const std::optional<double> v = value(i, t))
            csv << timeutil::formatIso(t) << ',' << *v << '\n';
    }
    return csv.str();
}

v1::AggregateRequest totalsOf(const std::string &series, v1::Period by, const std::string &zone = "UTC")
{
    v1::AggregateRequest request;
    request.add_series(series);
    request.set_by(by);
    request.set_timezone(zone);
    return request;
}

// The buckets of the one series asked for.
std::vector<v1::TotalBucket> bucketsOf(client::Client &client, const v1::AggregateRequest &request)
{
    const std::vector<v1::AggregateResponse> answers = client.aggregate(request);
    if (answers.size() != 1)
        throw std::runtime_error("expected one series, got " + std::to_string(answers.size()));
    return {answers[0].buckets().begin(), answers[0].buckets().end()};
}

const v1::TotalBucket *bucketAt(const std::vector<v1::TotalBucket> &buckets, Micros start)
{
    for (const v1::TotalBucket &b : buckets) {
        if (b.start_time_us() == start)
            return &b;
    }
    return nullptr;
}

grpc::StatusCode codeOf(const std::function<void()> &call, std::string *message = nullptr)
{
    try {
        call();
    } catch (const client::ClientError &e) {
        if (message)
            *message = e.what();
        return e.code();
    }
    return grpc::StatusCode::OK;
}

std::optional<v1::Series> listed(client::Client &client, const std::string &name)
{
    for (const v1::Series &series : client.listSeries()) {
        if (series.name() == name)
            return series;
    }
    return std::nullopt;
}

} // namespace

class TestAggregate : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void intervalDaysAcrossDublinsClockChanges();
    void hoursOfTheAutumnNight();
    void monthsAndWeeksInTokyo();
    void registerWithAResetAndARangeStart();
    void meterSwapOnceTheKindIsSet();
    void instantLevelsAverage();
    void kindsAreDetectedAndSettable();
    void severalSeriesInOneCall();
    void gapsAreListed();
    void refusedRequests();

private:
    test::TestCluster m_cluster;
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
};

void TestAggregate::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY2(m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
}

void TestAggregate::intervalDaysAcrossDublinsClockChanges()
{
    // A quarter of a kWh every 15 minutes, from local midnight of 27 March
    // 2021 (GMT) to local midnight of 30 March (IST), and over the last
    // Sunday of October; the reading of 12:00 on the 29th is missing.
    const Micros missing = test::at("2021-03-29T11:00:00Z");
    const auto quarter = [&](int, Micros t) { return t == missing ? std::nullopt : std::optional(0.25); };
    test::importText(*m_client,
                     readingsCsv("dublin (kWh)", test::at("2021-03-27T00:00:00Z"), test::at("2021-03-29T23:00:00Z"),
                                 15 * kMinute, quarter)
                         + readingsCsv("dublin (kWh)", test::at("2021-10-30T23:00:00Z"),
                                       test::at("2021-11-01T00:00:00Z"), 15 * kMinute, quarter)
                               .substr(std::string("time,dublin (kWh)\n").size()),
                     "dublin.csv");
    v1::AggregateRequest request = totalsOf("dublin", v1::PERIOD_DAY, "Europe/Dublin");
    request.set_price(0.2);
    const std::vector<v1::TotalBucket> days = bucketsOf(*m_client, request);

    struct Day {
        const char *start;
        double total;
        std::uint64_t count, expected;
    };
    // 27 March: 24 hours; 28 March: 23 (01:00 GMT became 02:00 IST); 29
    // March: 24, one reading missing; 31 October: 25 (02:00 IST became
    // 01:00 GMT).
    for (const Day &d : {Day{"2021-03-27T00:00:00Z", 24.0, 96, 96}, Day{"2021-03-28T00:00:00Z", 23.0, 92, 92},
                         Day{"2021-03-28T23:00:00Z", 23.75, 95, 96}, Day{"2021-10-30T23:00:00Z", 25.0, 100, 100}}) {
        const v1::TotalBucket *b = bucketAt(days, test::at(d.start));
        QVERIFY2(b, d.start);
        QCOMPARE(b->total(), d.total);
        QCOMPARE(b->count(), d.count);
        QCOMPARE(b->expected(), d.expected);
        QCOMPARE(b->min(), 0.25);
        QCOMPARE(b->max(), 0.25);
        QCOMPARE(b->mean(), 0.25);
        QCOMPARE(b->resets(), std::uint64_t(0));
        QVERIFY(qFuzzyCompare(b->cost(), d.total * 0.2));
    }
    // Each bucket ends where the next local midnight is.
    QCOMPARE(bucketAt(days, test::at("2021-03-28T00:00:00Z"))->end_time_us(), test::at("2021-03-28T23:00:00Z"));
    QCOMPARE(bucketAt(days, test::at("2021-10-30T23:00:00Z"))->end_time_us(), test::at("2021-11-01T00:00:00Z"));
    // The seven months in between hold no readings: every day is there,
    // with nothing counted and everything expected (a gap, not a line).
    const v1::TotalBucket *gap = bucketAt(days, test::at("2021-06-15T23:00:00Z"));
    QVERIFY(gap);
    QVERIFY(!gap->has_total());
    QCOMPARE(gap->count(), std::uint64_t(0));
    QCOMPARE(gap->expected(), std::uint64_t(96));
    QCOMPARE(days.size(),
             std::size_t(3 + (test::at("2021-10-31T00:00:00Z") - test::at("2021-03-30T00:00:00Z")) / (24 * kHour) + 1));
}

void TestAggregate::hoursOfTheAutumnNight()
{
    // Readings of 1 every 30 minutes over Dublin's 25-hour day: the hour of
    // 01:00 comes twice, and each is its own bucket.
    test::importText(*m_client,
                     readingsCsv("autumn", test::at("2021-10-30T23:00:00Z"), test::at("2021-11-01T00:00:00Z"),
                                 30 * kMinute, [](int, Micros) { return 1.0; }),
                     "autumn.csv");
    const std::vector<v1::TotalBucket> hours
        = bucketsOf(*m_client, totalsOf("autumn", v1::PERIOD_HOUR, "Europe/Dublin"));
    QCOMPARE(hours.size(), std::size_t(25));
    const timeutil::Zone dublin = timeutil::Zone::byName("Europe/Dublin");
    QCOMPARE(timeutil::formatIso(hours[1].start_time_us(), dublin), std::string("2021-10-31T01:00:00+01:00"));
    QCOMPARE(timeutil::formatIso(hours[2].start_time_us(), dublin), std::string("2021-10-31T01:00:00+00:00"));
    for (const v1::TotalBucket &h : hours) {
        QCOMPARE(h.total(), 2.0);
        QCOMPARE(h.count(), std::uint64_t(2));
        QCOMPARE(h.expected(), std::uint64_t(2));
        QCOMPARE(h.end_time_us() - h.start_time_us(), kHour);
    }
}

void TestAggregate::monthsAndWeeksInTokyo()
{
    // One unit an hour from 20 January to 10 March 2024 (UTC): February in
    // Tokyo (+09:00) runs from 31 January 15:00 UTC to 29 February 15:00,
    // 29 days of 24 hours.
    test::importText(*m_client,
                     readingsCsv("tokyo", test::at("2024-01-20T00:00:00Z"), test::at("2024-03-10T00:00:00Z"), kHour,
                                 [](int, Micros) { return 1.0; }),
                     "tokyo.csv");
    const std::vector<v1::TotalBucket> months = bucketsOf(*m_client, totalsOf("tokyo", v1::PERIOD_MONTH, "Asia/Tokyo"));
    QCOMPARE(months.size(), std::size_t(3));
    QCOMPARE(months[0].start_time_us(), test::at("2023-12-31T15:00:00Z"));
    // January from the first reading (09:00 local on the 20th) to its end.
    QCOMPARE(months[0].total(), double(12 * 24 - 9));
    QCOMPARE(months[0].expected(), std::uint64_t(12 * 24 - 9));
    QCOMPARE(months[1].start_time_us(), test::at("2024-01-31T15:00:00Z"));
    QCOMPARE(months[1].end_time_us(), test::at("2024-02-29T15:00:00Z"));
    QCOMPARE(months[1].total(), 29.0 * 24);
    QCOMPARE(months[2].total(), double(9 * 24 + 9));

    // Weeks start on Monday, local midnight: Monday 22 January in Tokyo is
    // 21 January 15:00 UTC.
    const std::vector<v1::TotalBucket> weeks = bucketsOf(*m_client, totalsOf("tokyo", v1::PERIOD_WEEK, "Asia/Tokyo"));
    QCOMPARE(weeks[1].start_time_us(), test::at("2024-01-21T15:00:00Z"));
    QCOMPARE(weeks[1].total(), 7.0 * 24);
    QCOMPARE(weeks[1].count(), std::uint64_t(7 * 24));
}

void TestAggregate::registerWithAResetAndARangeStart()
{
    // A register read hourly, rising 2 kWh an hour from 1000, reset to 0.5
    // at noon on the second day.
    const Micros day1 = test::at("2024-01-01T00:00:00Z");
    test::importText(*m_client,
                     readingsCsv("register (kWh)", day1, day1 + 48 * kHour, kHour,
                                 [](int i, Micros) { return i < 36 ? 1000.0 + 2 * i : 0.5 + 2 * (i - 36); }),
                     "register.csv");
    QCOMPARE(listed(*m_client, "register")->kind(), v1::SERIES_KIND_CUMULATIVE);
    QCOMPARE(listed(*m_client, "register")->unit(), std::string("kWh"));
    std::vector<v1::TotalBucket> days = bucketsOf(*m_client, totalsOf("register", v1::PERIOD_DAY));
    QCOMPARE(days.size(), std::size_t(2));
    // Day one: 23 rises of 2 (its first reading starts the register).
    QCOMPARE(days[0].total(), 46.0);
    QCOMPARE(days[0].count(), std::uint64_t(24));
    QCOMPARE(days[0].resets(), std::uint64_t(0));
    QCOMPARE(days[0].min(), 2.0);
    QCOMPARE(days[0].max(), 2.0);
    // Day two: the rise from 23:00, 11 more to noon, the reset (no usage,
    // never a negative one), 11 rises after it.
    QCOMPARE(days[1].total(), 46.0);
    QCOMPARE(days[1].resets(), std::uint64_t(1));
    QCOMPARE(days[1].min(), 2.0);
    QCOMPARE(days[1].mean(), 2.0);
    QCOMPARE(days[1].count(), std::uint64_t(24));

    // From the second day only: its first interval still runs from the
    // reading before.
    v1::AggregateRequest request = totalsOf("register", v1::PERIOD_DAY);
    request.set_start_time_us(day1 + 24 * kHour);
    days = bucketsOf(*m_client, request);
    QCOMPARE(days.size(), std::size_t(1));
    QCOMPARE(days[0].total(), 46.0);
    QCOMPARE(days[0].resets(), std::uint64_t(1));
}

void TestAggregate::meterSwapOnceTheKindIsSet()
{
    // A register whose meter was swapped at 06:00 for one that starts at
    // 500: a drop, but not to zero, so it is not taken for a register.
    const Micros t0 = test::at("2024-02-01T00:00:00Z");
    test::importText(*m_client,
                     readingsCsv("swapped", t0, t0 + 12 * kHour, kHour,
                                 [](int i, Micros) { return i < 6 ? 9000.0 + 3 * i : 500.0 + 3 * (i - 6); }),
                     "swapped.csv");
    QCOMPARE(listed(*m_client, "swapped")->kind(), v1::SERIES_KIND_INTERVAL);
    v1::UpdateSeriesRequest update;
    update.set_series("swapped");
    update.set_kind(v1::SERIES_KIND_CUMULATIVE);
    QCOMPARE(m_client->updateSeries(update).kind(), v1::SERIES_KIND_CUMULATIVE);
    const std::vector<v1::TotalBucket> days = bucketsOf(*m_client, totalsOf("swapped", v1::PERIOD_DAY));
    QCOMPARE(days.size(), std::size_t(1));
    // 5 rises of 3 before the swap, 5 after it; the swap is a reset.
    QCOMPARE(days[0].total(), 30.0);
    QCOMPARE(days[0].resets(), std::uint64_t(1));
    QCOMPARE(days[0].count(), std::uint64_t(12));
}

void TestAggregate::instantLevelsAverage()
{
    // A temperature every 30 minutes: 10 °C in the morning, 20 °C after.
    const Micros t0 = test::at("2024-05-01T00:00:00Z");
    test::importText(
        *m_client,
        readingsCsv("room (°C)", t0, t0 + 24 * kHour, 30 * kMinute, [](int i, Micros) { return i < 24 ? 10.0 : 20.0; }),
        "room.csv");
    QCOMPARE(listed(*m_client, "room")->kind(), v1::SERIES_KIND_INSTANT);
    v1::AggregateRequest request = totalsOf("room", v1::PERIOD_DAY);
    request.set_price(3);
    const std::vector<v1::TotalBucket> days = bucketsOf(*m_client, request);
    QCOMPARE(days.size(), std::size_t(1));
    QCOMPARE(days[0].total(), 15.0);
    QCOMPARE(days[0].mean(), 15.0);
    QCOMPARE(days[0].min(), 10.0);
    QCOMPARE(days[0].max(), 20.0);
    QCOMPARE(days[0].count(), std::uint64_t(48));
    // A level has no cost.
    QVERIFY(!days[0].has_cost());
}

void TestAggregate::kindsAreDetectedAndSettable()
{
    // Interval usage in kWh; a register of gas in m³ that stays flat at
    // night; a power level in kW.
    const Micros t0 = test::at("2024-06-01T00:00:00Z");
    std::ostringstream csv;
    csv << "time,usage (kWh),gas (m³),power (kW)\n";
    for (int i = 0; i < 96; ++i)
        csv << timeutil::formatIso(t0 + i * 15 * kMinute) << ',' << 0.1 + i % 5 * 0.05 << ','
            << 100 + (i > 30 ? (i - 30) * 0.01 : 0) << ',' << 1.5 + i % 3 << '\n';
    test::importText(*m_client, csv.str(), "kinds.csv");
    QCOMPARE(listed(*m_client, "usage")->kind(), v1::SERIES_KIND_INTERVAL);
    QCOMPARE(listed(*m_client, "gas")->kind(), v1::SERIES_KIND_CUMULATIVE);
    QCOMPARE(listed(*m_client, "power")->kind(), v1::SERIES_KIND_INSTANT);
    QCOMPARE(listed(*m_client, "power")->unit(), std::string("kW"));

    // A later import keeps the kind that was set.
    v1::UpdateSeriesRequest update;
    update.set_series("power");
    update.set_kind(v1::SERIES_KIND_INTERVAL);
    m_client->updateSeries(update);
    test::importText(*m_client, "time,power (kW)\n2024-06-02T00:00:00Z,2\n", "later.csv");
    QCOMPARE(listed(*m_client, "power")->kind(), v1::SERIES_KIND_INTERVAL);

    update.set_kind(v1::SeriesKind(42));
    std::string message;
    QCOMPARE(codeOf([&] { m_client->updateSeries(update); }, &message), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY2(message.find("kind") != std::string::npos, message.c_str());
}

void TestAggregate::severalSeriesInOneCall()
{
    v1::AggregateRequest request = totalsOf("usage", v1::PERIOD_DAY);
    request.add_series("gas");
    const std::vector<v1::AggregateResponse> answers = m_client->aggregate(request);
    QCOMPARE(answers.size(), std::size_t(2));
    QCOMPARE(answers[0].series().name(), std::string("usage"));
    QCOMPARE(answers[1].series().name(), std::string("gas"));
    QCOMPARE(answers[0].cadence_us(), 15 * kMinute);
    QCOMPARE(answers[0].buckets_size(), 1);
    double usage = 0;
    for (int i = 0; i < 96; ++i)
        usage += 0.1 + i % 5 * 0.05;
    QVERIFY(qFuzzyCompare(answers[0].buckets(0).total(), usage));
    // The gas register rose 0.01 m³ in each of the 65 intervals after 07:30.
    QVERIFY(qFuzzyCompare(answers[1].buckets(0).total(), 65 * 0.01));
}

void TestAggregate::gapsAreListed()
{
    // "dublin" (first test): 15-minute readings with one missing at
    // 11:00Z on 29 March, and nothing between 29 March 23:00Z and
    // 30 October 23:00Z.
    v1::ListGapsRequest request;
    request.set_series("dublin");
    v1::ListGapsResponse gaps = m_client->listGaps(request);
    QCOMPARE(gaps.cadence_us(), 15 * kMinute);
    QCOMPARE(gaps.threshold_us(), 30 * kMinute);
    QCOMPARE(gaps.gaps_size(), 2);
    QCOMPARE(gaps.gaps(0).last_before_us(), test::at("2021-03-29T10:45:00Z"));
    QCOMPARE(gaps.gaps(0).first_after_us(), test::at("2021-03-29T11:15:00Z"));
    QCOMPARE(gaps.gaps(0).missing(), std::uint64_t(1));
    QCOMPARE(gaps.gaps(1).last_before_us(), test::at("2021-03-29T22:45:00Z"));
    QCOMPARE(gaps.gaps(1).first_after_us(), test::at("2021-10-30T23:00:00Z"));
    QCOMPARE(gaps.readings(), std::uint64_t(96 + 92 + 95 + 100));
    QCOMPARE(gaps.expected(),
             std::uint64_t((test::at("2021-10-31T23:45:00Z") + 15 * kMinute - test::at("2021-03-27T00:00:00Z"))
                           / (15 * kMinute)));

    // A threshold of its own: an hour skips the single missing reading.
    v1::UpdateSeriesRequest update;
    update.set_series("dublin");
    update.set_gap_threshold_us(60 * kMinute);
    QCOMPARE(m_client->updateSeries(update).gap_threshold_us(), 60 * kMinute);
    gaps = m_client->listGaps(request);
    QCOMPARE(gaps.threshold_us(), 60 * kMinute);
    QCOMPARE(gaps.gaps_size(), 1);
    // Within a range; and back to twice the cadence.
    request.set_start_time_us(test::at("2021-03-29T00:00:00Z"));
    request.set_end_time_us(test::at("2021-03-29T12:00:00Z"));
    update.set_gap_threshold_us(0);
    QCOMPARE(m_client->updateSeries(update).gap_threshold_us(), std::int64_t(0));
    gaps = m_client->listGaps(request);
    QCOMPARE(gaps.gaps_size(), 1);
    QCOMPARE(gaps.readings(), std::uint64_t(12 * 4 - 1));
    QCOMPARE(gaps.expected(), std::uint64_t(12 * 4));
    update.set_gap_threshold_us(-1);
    QCOMPARE(codeOf([&] { m_client->updateSeries(update); }), grpc::StatusCode::INVALID_ARGUMENT);
}

void TestAggregate::refusedRequests()
{
    std::string message;
    v1::AggregateRequest request = totalsOf("nobody", v1::PERIOD_DAY);
    QCOMPARE(codeOf([&] { m_client->aggregate(request); }, &message), grpc::StatusCode::NOT_FOUND);
    QVERIFY2(message.find("nobody") != std::string::npos, message.c_str());

    request = totalsOf("usage", v1::PERIOD_DAY, "Mars/Olympus");
    QCOMPARE(codeOf([&] { m_client->aggregate(request); }, &message), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY2(message.find("Mars/Olympus") != std::string::npos, message.c_str());

    request = totalsOf("usage", v1::PERIOD_UNSPECIFIED);
    QCOMPARE(codeOf([&] { m_client->aggregate(request); }, &message), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY2(message.find("by") != std::string::npos, message.c_str());

    // Bounds far beyond the readings cost nothing; a range without any
    // has no buckets.
    request = totalsOf("usage", v1::PERIOD_HOUR);
    request.set_start_time_us(std::numeric_limits<std::int64_t>::min());
    request.set_end_time_us(std::numeric_limits<std::int64_t>::max());
    QCOMPARE(bucketsOf(*m_client, request).size(), std::size_t(24));
    request.set_start_time_us(test::at("2030-01-01T00:00:00Z"));
    QCOMPARE(bucketsOf(*m_client, request).size(), std::size_t(0));
    // Hours over twenty-five years are too many buckets.
    v1::AggregateRequest decades = totalsOf("dublin", v1::PERIOD_HOUR);
    test::importText(*m_client, "time,dublin (kWh)\n1995-01-01T00:00:00Z,1\n", "early.csv");
    QCOMPARE(codeOf([&] { m_client->aggregate(decades); }, &message), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY2(message.find("shorter range") != std::string::npos, message.c_str());

    request = totalsOf("usage", v1::PERIOD_DAY);
    QCOMPARE(codeOf([&] { m_client->aggregate(request); }), grpc::StatusCode::OK);
    request.add_series("usage");
    QCOMPARE(codeOf([&] { m_client->aggregate(request); }, &message), grpc::StatusCode::INVALID_ARGUMENT);
    request = totalsOf("usage", v1::PERIOD_DAY);
    request.set_price(std::numeric_limits<double>::quiet_NaN());
    QCOMPARE(codeOf([&] { m_client->aggregate(request); }, &message), grpc::StatusCode::INVALID_ARGUMENT);
}

QTEST_GUILESS_MAIN(TestAggregate)
#include "tst_aggregate.moc"
