// #14 series management over gRPC against a real server and database:
// DeleteSeries (whole, or a time range) and UpdateSeries (rename, unit),
// what ListSeries, Query and the summary cells say afterwards, and what a
// subscriber is told.
#include "support/clients.h"
#include "support/database_checks.h"
#include "support/meter_exports.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QTest>

#include <algorithm>
#include <sstream>

using namespace meterscope;
using timeutil::Micros;

namespace {

constexpr Micros kSecond = timeutil::kMicrosPerSecond;

// A meter read every `step` seconds for `count` readings from `start`, with
// its daily profile (meter_exports' values).
std::string meterCsv(const std::string &series, Micros start, int count, int step)
{
    std::ostringstream csv;
    csv << "time," << series << '\n';
    for (int i = 0; i < count; ++i)
        csv << timeutil::formatIso(start + Micros(i) * step * kSecond) << ','
            << test::meterReading(1, std::size_t(i) * std::size_t(step) / 900, 15) + i % 7 * 0.001 << '\n';
    return csv.str();
}

std::optional<v1::Series> listed(client::Client &client, const std::string &name)
{
    for (const v1::Series &series : client.listSeries()) {
        if (series.name() == name)
            return series;
    }
    return std::nullopt;
}

v1::DeleteSeriesRequest deleteRequest(const std::string &series, std::optional<Micros> start = {},
                                      std::optional<Micros> end = {})
{
    v1::DeleteSeriesRequest request;
    request.set_series(series);
    if (start)
        request.set_start_time_us(*start);
    if (end)
        request.set_end_time_us(*end);
    return request;
}

grpc::StatusCode codeOf(const std::function<void()> &call)
{
    try {
        call();
    } catch (const client::ClientError &e) {
        return e.code();
    }
    return grpc::StatusCode::OK;
}

} // namespace

class TestSeriesAdmin : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void deleteWholeSeries();
    void deleteRangeKeepsEverythingRight();
    void refusedRequests();
    void renameAndUnit();
    void subscribersAreTold();

private:
    test::TestCluster m_cluster;
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
};

void TestSeriesAdmin::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY2(m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
}

void TestSeriesAdmin::deleteWholeSeries()
{
    // Two 15-minute meters over ten days, one second-by-second meter (which
    // keeps summary cells) over an hour.
    const Micros t0 = test::at("2024-03-01T00:00:00Z");
    test::importText(*m_client, test::wideExport({2, 10, 15}), "two-meters.csv");
    test::importText(*m_client, meterCsv("dense", t0, 3600, 1), "dense.csv");
    QVERIFY(listed(*m_client, "meter_1"));
    const std::int64_t meter2 = listed(*m_client, "meter_2")->points();

    for (const std::string name : {"meter_1", "dense"}) {
        const std::int64_t before = listed(*m_client, name)->points();
        const v1::DeleteSeriesResponse done = m_client->deleteSeries(deleteRequest(name));
        QCOMPARE(done.points_deleted(), before);
        QVERIFY(done.series_deleted());
        QVERIFY(!listed(*m_client, name));
        QCOMPARE(test::storedPoints(m_cluster, name), std::int64_t(0));
        QCOMPARE(codeOf([&] { test::queryPoints(*m_client, name); }), grpc::StatusCode::NOT_FOUND);
    }
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM rollups WHERE series_id NOT IN (SELECT id FROM series)"),
             std::string("0"));
    QCOMPARE(listed(*m_client, "meter_2")->points(), meter2);
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));

    // The name is free again: importing it starts a new series.
    test::importText(*m_client, meterCsv("dense", t0, 60, 1), "dense.csv");
    QCOMPARE(listed(*m_client, "dense")->points(), std::int64_t(60));
}

void TestSeriesAdmin::deleteRangeKeepsEverythingRight()
{
    // Three hours a second apart: cells of 64, 256, 1024 s and wider.
    const Micros t0 = test::at("2024-04-01T00:00:00Z");
    test::importText(*m_client, meterCsv("ranged", t0, 3 * 3600, 1), "ranged.csv");
    const test::Points before = test::queryPoints(*m_client, "ranged");

    // The half hour from 00:30 (not on any cell edge: 00:30:07).
    const Micros from = t0 + 1807 * kSecond, to = t0 + 3607 * kSecond;
    v1::DeleteSeriesResponse done = m_client->deleteSeries(deleteRequest("ranged", from, to));
    QCOMPARE(done.points_deleted(), std::int64_t(1800));
    QVERIFY(!done.series_deleted());
    // The first 10 minutes, with an open start.
    done = m_client->deleteSeries(deleteRequest("ranged", std::nullopt, t0 + 600 * kSecond));
    QCOMPARE(done.points_deleted(), std::int64_t(600));

    const v1::Series series = *listed(*m_client, "ranged");
    QCOMPARE(series.points(), std::int64_t(3 * 3600 - 2400));
    QCOMPARE(series.first_time_us(), t0 + 600 * kSecond);
    QCOMPARE(series.last_time_us(), before.times.back());

    const test::Points after = test::queryPoints(*m_client, "ranged");
    QCOMPARE(after.times.size(), std::size_t(series.points()));
    for (std::size_t i = 0, j = 0; i < before.times.size(); ++i) {
        const Micros t = before.times[i];
        if (t < t0 + 600 * kSecond || (t >= from && t < to))
            continue;
        QCOMPARE(after.times[j], t);
        QCOMPARE(after.values[j++], before.values[i]);
    }
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));

    // A chart of it, drawn from 16 s cells (40 buckets of 270 s), shows the
    // hole: no point inside it, the stored extremes.
    v1::QueryRequest chart;
    chart.set_series("ranged");
    chart.set_max_points(40);
    const test::Points drawn = test::queryPoints(*m_client, chart);
    QVERIFY(drawn.times.size() < after.times.size());
    for (const Micros t : drawn.times)
        QVERIFY2(t < from || t >= to, qPrintable(QString::fromStdString(timeutil::formatIso(t))));
    QCOMPARE(*std::max_element(drawn.values.begin(), drawn.values.end()),
             *std::max_element(after.values.begin(), after.values.end()));

    // A range holding nothing deletes nothing.
    done = m_client->deleteSeries(deleteRequest("ranged", from, to));
    QCOMPARE(done.points_deleted(), std::int64_t(0));
}

void TestSeriesAdmin::refusedRequests()
{
    test::importText(*m_client, meterCsv("kept", test::at("2024-05-01T00:00:00Z"), 10, 900), "kept.csv");
    QCOMPARE(codeOf([&] { m_client->deleteSeries(deleteRequest("nobody")); }), grpc::StatusCode::NOT_FOUND);
    QCOMPARE(codeOf([&] { m_client->deleteSeries(deleteRequest("kept", 20, 10)); }),
             grpc::StatusCode::INVALID_ARGUMENT);
    QCOMPARE(codeOf([&] { m_client->deleteSeries(deleteRequest("")); }), grpc::StatusCode::INVALID_ARGUMENT);
    v1::UpdateSeriesRequest update;
    update.set_series("kept");
    update.set_rename("bad\nname");
    QCOMPARE(codeOf([&] { m_client->updateSeries(update); }), grpc::StatusCode::INVALID_ARGUMENT);
    update.set_series("nobody");
    update.set_rename("somebody");
    QCOMPARE(codeOf([&] { m_client->updateSeries(update); }), grpc::StatusCode::NOT_FOUND);
    QCOMPARE(listed(*m_client, "kept")->points(), std::int64_t(10));
}

void TestSeriesAdmin::renameAndUnit()
{
    const Micros t0 = test::at("2024-06-01T00:00:00Z");
    test::importText(*m_client, meterCsv("old name", t0, 96, 900), "old.csv");
    test::importText(*m_client, meterCsv("taken", t0, 4, 900), "taken.csv");
    v1::UpdateSeriesRequest update;
    update.set_series("old name");
    update.set_rename("kitchen");
    update.set_unit("kWh");
    const v1::Series now = m_client->updateSeries(update);
    QCOMPARE(now.name(), std::string("kitchen"));
    QCOMPARE(now.unit(), std::string("kWh"));
    QCOMPARE(now.points(), std::int64_t(96));
    QVERIFY(!listed(*m_client, "old name"));
    QCOMPARE(listed(*m_client, "kitchen")->unit(), std::string("kWh"));
    QCOMPARE(test::queryPoints(*m_client, "kitchen").times.size(), std::size_t(96));

    // The unit alone; then a name that is taken.
    update.Clear();
    update.set_series("kitchen");
    update.set_unit("Wh");
    QCOMPARE(m_client->updateSeries(update).unit(), std::string("Wh"));
    update.Clear();
    update.set_series("kitchen");
    update.set_rename("taken");
    try {
        m_client->updateSeries(update);
        QFAIL("renaming onto a taken name succeeded");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::ALREADY_EXISTS);
        QVERIFY2(std::string(e.what()).find("a series named 'taken' exists already") != std::string::npos, e.what());
    }
    QCOMPARE(listed(*m_client, "taken")->points(), std::int64_t(4));
    QCOMPARE(listed(*m_client, "kitchen")->points(), std::int64_t(96));
}

void TestSeriesAdmin::subscribersAreTold()
{
    const Micros t0 = test::at("2024-07-01T00:00:00Z");
    test::importText(*m_client, meterCsv("followed", t0, 96, 900), "followed.csv");
    auto stub = test::rawStub(m_server.address());
    grpc::ClientContext context;
    v1::SubscribeRequest request;
    request.set_series("followed");
    request.set_since_time_us(t0);
    auto reader = stub->Subscribe(&context, request);
    v1::SubscribeResponse message;
    std::size_t backfill = 0;
    while (reader->Read(&message) && !message.caught_up())
        backfill += std::size_t(message.points().time_us_size());
    backfill += std::size_t(message.points().time_us_size());
    QCOMPARE(backfill, std::size_t(96));

    // A range: the subscriber is told which one.
    m_client->deleteSeries(deleteRequest("followed", t0 + 3600 * kSecond, t0 + 7200 * kSecond));
    QVERIFY(reader->Read(&message));
    QVERIFY(message.has_removed());
    QCOMPARE(message.removed().start_time_us(), t0 + 3600 * kSecond);
    QCOMPARE(message.removed().end_time_us(), t0 + 6300 * kSecond + 1); // the last deleted reading, 01:45
    // A rename: told the new name, then the stream ends.
    v1::UpdateSeriesRequest update;
    update.set_series("followed");
    update.set_rename("followed renamed");
    m_client->updateSeries(update);
    if (!reader->Read(&message))
        QFAIL(reader->Finish().error_message().c_str());
    QCOMPARE(message.renamed_to(), std::string("followed renamed"));
    QVERIFY(!reader->Read(&message));
    QCOMPARE(reader->Finish().error_code(), grpc::StatusCode::OK);

    // Under the new name, a delete of the series ends it, saying so.
    grpc::ClientContext again;
    request.set_series("followed renamed");
    request.clear_since_time_us();
    reader = stub->Subscribe(&again, request);
    QVERIFY(reader->Read(&message));
    QVERIFY(message.caught_up());
    m_client->deleteSeries(deleteRequest("followed renamed"));
    QVERIFY(reader->Read(&message));
    QVERIFY(message.series_deleted());
    QVERIFY(!reader->Read(&message));
    QCOMPARE(reader->Finish().error_code(), grpc::StatusCode::OK);
}

QTEST_GUILESS_MAIN(TestSeriesAdmin)
#include "tst_series_admin.moc"
