// Storage against a real throwaway PostgreSQL cluster: schema, imports,
// idempotence, atomicity, ranges and downsampling.
#include "storage/database.h"
#include "storage/errors.h"
#include "storage/import_writer.h"
#include "storage/series_store.h"
#include "support/clients.h"
#include "support/storage_rows.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QTest>

#include <cmath>

#include <thread>
#include <vector>

using namespace meterscope;
using timeutil::Micros;

namespace {

constexpr Micros kMinute = 60 * timeutil::kMicrosPerSecond;

using test::at;
using test::Column;
using test::importRows;
using test::Points;
using test::query;
using test::Row;

} // namespace

class TestStorage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void schemaIsVersioned();
    void importThenList();
    void reimportChangesNothing();
    void changedValuesAreUpdated();
    void duplicatesInOneImportLaterLineWins();
    void uncommittedImportLeavesNothing();
    void concurrentAppendOfTheSameRows();
    void outOfOrderRowsSwitchToStaging();
    void importIdIsRemembered();
    void queryRange_data();
    void queryRange();
    void queryErrors();
    void downsampleKeepsExtremes();
    void smallRangesComeRaw();
    void hostileSeriesName();

private:
    test::TestCluster m_cluster;
    std::unique_ptr<storage::Database> m_db;
};

void TestStorage::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    m_db = test::openDatabase(m_cluster);
}

void TestStorage::schemaIsVersioned()
{
    QCOMPARE(m_db->schemaVersion(), 6);
    QCOMPARE(m_cluster.scalar("SELECT max(version) FROM schema_migrations"), std::string("6"));
    // A second server starting on the same database applies nothing twice.
    storage::Database again({m_cluster.conninfo()});
    again.open();
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM schema_migrations"), std::string("6"));
    QCOMPARE(m_db->timescale(), test::hypertableMode()); // #13
}

void TestStorage::importThenList()
{
    const Micros t0 = at("2019-01-01T00:15:00Z");
    const storage::MergeResult result
        = importRows(*m_db, {"list"}, {{0, t0, 55.09}, {0, t0 + 15 * kMinute, 54.64}, {0, t0 + 30 * kMinute, 55.18}});
    QCOMPARE(result.rowsNew, 3u);
    QCOMPARE(result.rowsUpdated, 0u);
    QCOMPARE(result.rowsUnchanged, 0u);

    const std::vector<storage::SeriesSummary> all = storage::listSeries(*m_db);
    const auto it = std::find_if(all.begin(), all.end(), [](const auto &s) { return s.name == "list"; });
    QVERIFY(it != all.end());
    QCOMPARE(it->points, 3);
    QCOMPARE(*it->first, t0);
    QCOMPARE(*it->last, t0 + 30 * kMinute);
    // Values keep full double precision (the prototype's float32 did not).
    const Points points = query(*m_db, {"list", {}, {}, 0});
    QCOMPARE(points.values.front(), 55.09);
}

void TestStorage::reimportChangesNothing()
{
    const Micros t0 = at("2020-01-01T00:00:00Z");
    const std::vector<Row> rows = {{0, t0, 1.0}, {0, t0 + kMinute, 2.0}, {0, t0 + 2 * kMinute, 3.0}};
    importRows(*m_db, {"idem"}, rows);
    const storage::MergeResult again = importRows(*m_db, {"idem"}, rows);
    QCOMPARE(again.rowsNew, 0u);
    QCOMPARE(again.rowsUpdated, 0u);
    QCOMPARE(again.rowsUnchanged, 3u);
    QCOMPARE(query(*m_db, {"idem", {}, {}, 0}).times.size(), 3u);
    QCOMPARE(m_cluster.scalar("SELECT point_count FROM series WHERE name = 'idem'"), std::string("3"));
}

void TestStorage::changedValuesAreUpdated()
{
    const Micros t0 = at("2021-01-01T00:00:00Z");
    importRows(*m_db, {"upd"}, {{0, t0, 1.0}, {0, t0 + kMinute, 2.0}});
    const storage::MergeResult result
        = importRows(*m_db, {"upd"}, {{0, t0, 1.0}, {0, t0 + kMinute, 2.5}, {0, t0 + 2 * kMinute, 3.0}});
    QCOMPARE(result.rowsNew, 1u);
    QCOMPARE(result.rowsUpdated, 1u);
    QCOMPARE(result.rowsUnchanged, 1u);
    const Points points = query(*m_db, {"upd", {}, {}, 0});
    QCOMPARE(points.values, (std::vector<double>{1.0, 2.5, 3.0}));
    QCOMPARE(m_cluster.scalar("SELECT point_count FROM series WHERE name = 'upd'"), std::string("3"));
}

void TestStorage::duplicatesInOneImportLaterLineWins()
{
    const Micros t0 = at("2022-01-01T00:00:00Z");
    // Lines 2..5: the time of line 2 comes again on line 4.
    const storage::MergeResult result
        = importRows(*m_db, {"dup"}, {{0, t0, 1.0}, {0, t0 + kMinute, 2.0}, {0, t0, 9.0}, {0, t0 + 2 * kMinute, 3.0}});
    QCOMPARE(result.rowsDuplicate, 1u);
    QCOMPARE(result.rowsNew, 3u);
    QCOMPARE(result.duplicates.size(), 1u);
    QCOMPARE(result.duplicates[0].earlierLine, 2u);
    QCOMPARE(result.duplicates[0].laterLine, 4u);
    QCOMPARE(query(*m_db, {"dup", {}, {}, 0}).values, (std::vector<double>{9.0, 2.0, 3.0}));
}

void TestStorage::uncommittedImportLeavesNothing()
{
    const Micros t0 = at("2023-01-01T00:00:00Z");
    importRows(*m_db, {"never"}, {{0, t0, 1.0}, {0, t0 + kMinute, 2.0}}, false);
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'never'"), std::string("0"));
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM points WHERE time >= '2023-01-01'"), std::string("0"));
    // The connection went back to the pool clean: no transaction left open.
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"),
             std::string("0"));
}

void TestStorage::concurrentAppendOfTheSameRows()
{
    // Two imports append the same new rows at once: they take turns on the
    // series; the first goes straight into points, the second finds the
    // rows stored and must merge, counting them as unchanged.
    const Micros t0 = at("2023-06-01T00:00:00Z");
    const auto importRace = [&] {
        storage::ImportWriter writer(*m_db);
        writer.setColumns({"race"});
        for (int i = 0; i < 1000; ++i)
            writer.add(0, t0 + i * kMinute, i, std::uint64_t(i + 2));
        const storage::MergeResult result = writer.merge(10);
        writer.commit("", "");
        return result;
    };
    storage::MergeResult second;
    std::thread other([&] { second = importRace(); });
    const storage::MergeResult first = importRace();
    other.join();
    QCOMPARE(first.rowsNew + second.rowsNew, 1000u);
    QCOMPARE(first.rowsUnchanged + second.rowsUnchanged, 1000u);
    QCOMPARE(m_cluster.scalar("SELECT point_count FROM series WHERE name = 'race'"), std::string("1000"));
    QCOMPARE(query(*m_db, {"race", {}, {}, 0}).times.size(), 1000u);
}

void TestStorage::outOfOrderRowsSwitchToStaging()
{
    // In order for a while, then a step back: every row so far must reach
    // the merge, nothing may be lost or doubled.
    const Micros t0 = at("2023-07-01T00:00:00Z");
    std::vector<Row> rows;
    for (int i = 0; i < 50000; ++i)
        rows.push_back({0, t0 + i * kMinute, double(i)});
    rows.push_back({0, t0 + 10 * kMinute, -1.0}); // a later line for an earlier time
    for (int i = 50000; i < 60000; ++i)
        rows.push_back({0, t0 + i * kMinute, double(i)});
    const storage::MergeResult result = importRows(*m_db, {"switch"}, rows);
    QCOMPARE(result.rowsNew, 60000u);
    QCOMPARE(result.rowsDuplicate, 1u);
    QCOMPARE(result.duplicates.at(0).earlierLine, 12u);
    const Points points = query(*m_db, {"switch", {}, {}, 0});
    QCOMPARE(points.times.size(), 60000u);
    QCOMPARE(points.values[10], -1.0);
}

void TestStorage::importIdIsRemembered()
{
    {
        storage::ImportWriter writer(*m_db);
        QVERIFY(!writer.claim("id-1", "a.csv"));
        writer.setColumns({"claimed"});
        writer.add(0, at("2024-01-01T00:00:00Z"), 1.0, 2);
        writer.merge(10);
        writer.commit("id-1", "the report");
    }
    storage::ImportWriter again(*m_db);
    const std::optional<storage::StoredImport> saved = again.claim("id-1", "a.csv");
    QVERIFY(saved);
    QCOMPARE(saved->report, std::string("the report"));
    QCOMPARE(saved->fileName, std::string("a.csv"));
    QVERIFY(storage::findImport(*m_db, "id-1"));
    QVERIFY(!storage::findImport(*m_db, "id-2"));
}

void TestStorage::queryRange_data()
{
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("end");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("first");

    // Ten points, one a minute from 10:00 to 10:09.
    QTest::addRow("everything") << ""
                                << "" << 10 << "2025-01-01T10:00:00Z";
    QTest::addRow("start is inclusive") << "2025-01-01T10:03:00Z"
                                        << "" << 7 << "2025-01-01T10:03:00Z";
    QTest::addRow("end is exclusive") << ""
                                      << "2025-01-01T10:03:00Z" << 3 << "2025-01-01T10:00:00Z";
    QTest::addRow("one point") << "2025-01-01T10:05:00Z"
                               << "2025-01-01T10:05:00.000001Z" << 1 << "2025-01-01T10:05:00Z";
    QTest::addRow("between points") << "2025-01-01T10:05:00.5Z"
                                    << "2025-01-01T10:06:00Z" << 0 << "";
    QTest::addRow("before all") << "2000-01-01T00:00:00Z"
                                << "2025-01-01T10:00:00Z" << 0 << "";
    QTest::addRow("offset honoured") << "2025-01-01T11:08:00+01:00"
                                     << "" << 2 << "2025-01-01T10:08:00Z";
}

void TestStorage::queryRange()
{
    QFETCH(QString, start);
    QFETCH(QString, end);
    QFETCH(int, count);
    QFETCH(QString, first);
    static bool loaded = false;
    if (!loaded) {
        std::vector<Row> rows;
        for (int i = 0; i < 10; ++i)
            rows.push_back({0, at("2025-01-01T10:00:00Z") + i * kMinute, double(i)});
        importRows(*m_db, {"range"}, rows);
        loaded = true;
    }
    storage::PointStream::Request request{"range", {}, {}, 0};
    if (!start.isEmpty())
        request.start = at(start.toUtf8().constData());
    if (!end.isEmpty())
        request.end = at(end.toUtf8().constData());
    const Points points = query(*m_db, request, 3);
    QCOMPARE(int(points.times.size()), count);
    if (count > 0)
        QCOMPARE(QString::fromStdString(timeutil::formatIso(points.times.front())), first);
    QVERIFY(std::is_sorted(points.times.begin(), points.times.end()));
}

void TestStorage::queryErrors()
{
    QVERIFY_THROWS_EXCEPTION(storage::NotFound, query(*m_db, {"no such series", {}, {}, 0}));
    const Micros t = at("2025-01-01T10:00:00Z");
    QVERIFY_THROWS_EXCEPTION(storage::InvalidRequest, query(*m_db, {"range", t, t, 0}));
}

void TestStorage::downsampleKeepsExtremes()
{
    const Micros t0 = at("2026-01-01T00:00:00Z");
    std::vector<Row> rows;
    for (int i = 0; i < 100000; ++i)
        rows.push_back({0, t0 + Micros(i) * timeutil::kMicrosPerSecond, std::sin(i / 100.0) + (i == 31337 ? 50 : 0)});
    importRows(*m_db, {"m4"}, rows);
    const Points points = query(*m_db, {"m4", {}, {}, 200});
    QVERIFY2(points.times.size() <= 800, qPrintable(QString::number(points.times.size())));
    QVERIFY(points.times.size() >= 400);
    QCOMPARE(points.times.front(), t0);
    QCOMPARE(points.times.back(), t0 + 99999 * timeutil::kMicrosPerSecond);
    QCOMPARE(*std::max_element(points.values.begin(), points.values.end()), std::sin(313.37) + 50);
    QVERIFY(std::is_sorted(points.times.begin(), points.times.end()));
    // Fewer points than buckets: every point comes back as it is.
    QCOMPARE(query(*m_db, {"range", {}, {}, 2000}).times.size(), 10u);
}

void TestStorage::smallRangesComeRaw()
{
    // #18: a range holding no more points than M4 could send (four a bucket)
    // comes whole and says so; one point more and it is downsampled.
    const Micros t0 = at("2026-03-01T00:00:00Z");
    std::vector<Row> rows;
    for (int i = 0; i < 5000; ++i)
        rows.push_back({0, t0 + Micros(i) * 15 * kMinute, 100 + 10 * std::sin(i / 9.0)});
    importRows(*m_db, {"threshold"}, rows);
    const Micros from = t0 + 1000 * 15 * kMinute;
    const auto fetch = [&](int points) {
        storage::PointStream stream(*m_db, {"threshold", from, from + Micros(points) * 15 * kMinute, 100});
        Column<Micros> times;
        Column<double> values;
        while (stream.next(times, values, 1000)) { }
        return std::make_pair(stream.bucketWidth(), times.items.size());
    };
    QCOMPARE(fetch(400), std::make_pair(Micros(0), std::size_t(400)));
    const auto [bucket, count] = fetch(401);
    QVERIFY2(bucket > 0 && count < 401, qPrintable(QString("%1 %2").arg(bucket).arg(count)));
}

void TestStorage::hostileSeriesName()
{
    const std::string name = "x\"; DROP TABLE points; --";
    importRows(*m_db, {name}, {{0, at("2026-06-01T00:00:00Z"), 1.0}});
    QCOMPARE(query(*m_db, {name, {}, {}, 0}).times.size(), 1u);
    QVERIFY(std::stoll(m_cluster.scalar("SELECT count(*) FROM points")) > 0);
    // Names that mean something inside an array literal, in one import.
    const std::vector<std::string> names = {"{a,b}", "back\\slash \"quoted\"", "NULL", " spaced "};
    importRows(*m_db, names,
               {{0, at("2026-06-01T00:00:00Z"), 1.0},
                {1, at("2026-06-01T00:00:00Z"), 2.0},
                {2, at("2026-06-01T00:00:00Z"), 3.0},
                {3, at("2026-06-01T00:00:00Z"), 4.0}});
    for (std::size_t i = 0; i < names.size(); ++i)
        QCOMPARE(query(*m_db, {names[i], {}, {}, 0}).values, std::vector<double>{double(i + 1)});
}

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
