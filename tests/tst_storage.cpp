// Storage against a real throwaway PostgreSQL cluster: schema, imports,
// idempotence, atomicity, ranges and downsampling.
#include "storage/database.h"
#include "storage/errors.h"
#include "storage/import_writer.h"
#include "storage/series_store.h"
#include "support/clients.h"
#include "support/database_checks.h"
#include "support/meter_exports.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QTest>

#include <cmath>

#include <thread>
#include <tuple>
#include <vector>

using namespace meterscope;
using timeutil::Micros;

namespace {

constexpr Micros kMinute = 60 * timeutil::kMicrosPerSecond;

template<typename T>
struct Column {
    std::vector<T> items;
    void Add(T v) { items.push_back(v); }
};

using test::at;
using test::Points;

Points query(storage::Database &db, storage::PointStream::Request request, std::size_t batch = 1000)
{
    storage::PointStream stream(db, std::move(request));
    Column<Micros> times;
    Column<double> values;
    while (stream.next(times, values, batch)) { }
    return {times.items, values.items};
}

struct Row {
    std::size_t column;
    Micros time;
    double value;
};

storage::MergeResult importRows(storage::Database &db, const std::vector<std::string> &series,
                                const std::vector<Row> &rows, bool commit = true)
{
    storage::ImportWriter writer(db);
    writer.setColumns(series);
    std::uint64_t line = 2;
    for (const Row &row : rows)
        writer.add(row.column, row.time, row.value, line++);
    storage::MergeResult result = writer.merge(1000);
    if (commit)
        writer.commit("", "");
    return result;
}

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
    void summariesMatchThePoints();
    void downsampleFromSummaries();
    void cellsFollowTheCadence();
    void readingsOneAtATimeGetCells();
    void manySeriesAtATimeAreWrittenRight();
    void schemaFourIsMigrated();

private:
    test::TestCluster m_cluster;
    std::unique_ptr<storage::Database> m_db;
};

void TestStorage::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    storage::Database::Options options{m_cluster.conninfo()};
    if (test::hypertableMode())
        options.storage = storage::Database::Storage::Timescaledb;
    m_db = std::make_unique<storage::Database>(options);
    m_db->open();
}

void TestStorage::schemaIsVersioned()
{
    QCOMPARE(m_db->schemaVersion(), 5);
    QCOMPARE(m_cluster.scalar("SELECT max(version) FROM schema_migrations"), std::string("5"));
    // A second server starting on the same database applies nothing twice.
    storage::Database again({m_cluster.conninfo()});
    again.open();
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM schema_migrations"), std::string("5"));
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

void TestStorage::summariesMatchThePoints()
{
    // Whatever path each import took (straight copy, staging after a step
    // back, upserts of changed values, a concurrent clash), the summary
    // cells equal those computed afresh from the points.
    const Micros t0 = at("2027-01-01T00:00:00Z");
    std::vector<Row> rows;
    for (int i = 0; i < 20000; ++i)
        rows.push_back({0, t0 + i * timeutil::kMicrosPerSecond * 3, std::cos(i / 50.0)});
    importRows(*m_db, {"cells"}, rows);
    rows.clear();
    for (int i = 20000; i < 30000; ++i) // appended, sharing a cell with the last import
        rows.push_back({0, t0 + i * timeutil::kMicrosPerSecond * 3, std::cos(i / 50.0)});
    importRows(*m_db, {"cells"}, rows);
    importRows(*m_db, {"cells"},
               {{0, t0 + 7 * timeutil::kMicrosPerSecond, 99.0},       // a gap, out of order
                {0, t0 + 3000 * timeutil::kMicrosPerSecond, -99.0}}); // a changed value
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));
}

void TestStorage::downsampleFromSummaries()
{
    // 200,000 points a second apart in 10 buckets of 20,000 s: the 128 s
    // cells (base 32 s) stand in for the points.
    const Micros t0 = at("2028-01-01T00:00:00Z");
    std::vector<Row> rows;
    for (int i = 0; i < 200000; ++i)
        rows.push_back({0, t0 + Micros(i) * timeutil::kMicrosPerSecond, std::sin(i / 300.0) + (i == 123457 ? -40 : 0)});
    importRows(*m_db, {"summarised"}, rows);
    const Points points = query(*m_db, {"summarised", {}, {}, 10});
    QVERIFY2(points.times.size() <= 40, qPrintable(QString::number(points.times.size())));
    QVERIFY(points.times.size() >= 20);
    QCOMPARE(points.times.front(), t0);
    QCOMPARE(points.times.back(), t0 + 199999 * timeutil::kMicrosPerSecond);
    QCOMPARE(*std::min_element(points.values.begin(), points.values.end()), std::sin(123457 / 300.0) - 40);
    QVERIFY(std::is_sorted(points.times.begin(), points.times.end()));
    QVERIFY(std::adjacent_find(points.times.begin(), points.times.end()) == points.times.end());
    // Every point that comes back is a stored point.
    const Points raw = query(*m_db, {"summarised", {}, {}, 0});
    for (std::size_t i = 0; i < points.times.size(); i += 37) {
        const auto at = std::lower_bound(raw.times.begin(), raw.times.end(), points.times[i]);
        QVERIFY(at != raw.times.end() && *at == points.times[i]);
        QCOMPARE(raw.values[std::size_t(at - raw.times.begin())], points.values[i]);
    }
    // A range not on cell edges: the partial cells at both ends come as points.
    const Points part = query(
        *m_db, {"summarised", t0 + 1001 * timeutil::kMicrosPerSecond, t0 + 150003 * timeutil::kMicrosPerSecond, 50});
    QCOMPARE(part.times.front(), t0 + 1001 * timeutil::kMicrosPerSecond);
    QCOMPARE(part.times.back(), t0 + 150002 * timeutil::kMicrosPerSecond);
}

namespace {

// The widths of the cells a series keeps, narrowest first.
std::string cellWidthsOf(const test::TestCluster &cluster, const std::string &series)
{
    return cluster.scalar("SELECT coalesce(string_agg(DISTINCT width::text, ',' ORDER BY width::text), 'none') FROM "
                          "(SELECT width FROM rollups JOIN series ON series.id = series_id WHERE name = '"
                          + series + "' ORDER BY width) w");
}

} // namespace

void TestStorage::cellsFollowTheCadence()
{
    // #15: meters read every 15 minutes (60 days) and every 10 seconds (a
    // day) keep cells of 16 to 64 readings at level 0, four times wider at
    // each level above, whatever the cadence.
    const Micros t0 = at("2029-01-01T00:00:00Z");
    std::vector<Row> coarse, fine;
    for (std::size_t i = 0; i < 60 * 96; ++i) {
        for (int meter = 0; meter < 2; ++meter)
            coarse.push_back({std::size_t(meter), t0 + Micros(i) * 15 * kMinute, test::meterReading(meter, i, 15)});
    }
    for (std::size_t i = 0; i < 8640; ++i)
        fine.push_back({0, t0 + Micros(i) * 10 * timeutil::kMicrosPerSecond, test::meterReading(2, i / 90, 15)});
    // The first import of "quarter-hour a" is a single reading: no cells
    // until a second one shows the cadence, and then they cover it too.
    importRows(*m_db, {"quarter-hour a"}, {coarse.front()});
    QCOMPARE(cellWidthsOf(m_cluster, "quarter-hour a"), std::string("none"));
    importRows(*m_db, {"quarter-hour a", "quarter-hour b"}, coarse);
    importRows(*m_db, {"ten-second"}, fine);
    // Sorted as text: 15 minutes (binned to 537 s) -> 32768 s; 10 s -> 512 s.
    const std::string quarterHour = "131072,134217728,2097152,32768,33554432,524288,8388608";
    const std::string tenSeconds = "131072,2048,2097152,32768,512,524288,8192";
    QCOMPARE(cellWidthsOf(m_cluster, "quarter-hour a"), quarterHour);
    QCOMPARE(cellWidthsOf(m_cluster, "quarter-hour b"), quarterHour);
    QCOMPARE(cellWidthsOf(m_cluster, "ten-second"), tenSeconds);
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));
    // At most one cell row for 12 readings.
    for (const char *series : {"quarter-hour b", "ten-second"}) {
        const double perPoint = std::stod(m_cluster.scalar(
            std::string("SELECT (SELECT count(*) FROM rollups WHERE series_id = s.id)::float8 / s.point_count FROM "
                        "series s WHERE name = '")
            + series + "'"));
        QVERIFY2(perPoint <= 1.0 / 12, qPrintable(QString("%1: %2 cells a point").arg(series).arg(perPoint)));
    }

    // Two buckets of 30 days and of 12 hours: drawn from the widest cells
    // of which 16 fit in a bucket (a cell altered by hand shows), and the
    // same answers as from the points otherwise.
    for (const auto &[series, cell] : {std::pair{"quarter-hour b", 131072}, std::pair{"ten-second", 2048}}) {
        const Points raw = query(*m_db, {series, {}, {}, 0});
        const Points reduced = query(*m_db, {series, {}, {}, 2});
        QVERIFY(reduced.times.size() <= 8);
        QCOMPARE(reduced.times.front(), raw.times.front());
        QCOMPARE(reduced.times.back(), raw.times.back());
        QCOMPARE(*std::min_element(reduced.values.begin(), reduced.values.end()),
                 *std::min_element(raw.values.begin(), raw.values.end()));
        QCOMPARE(*std::max_element(reduced.values.begin(), reduced.values.end()),
                 *std::max_element(raw.values.begin(), raw.values.end()));
        for (std::size_t i = 0; i < reduced.times.size(); ++i) {
            const auto found = std::lower_bound(raw.times.begin(), raw.times.end(), reduced.times[i]);
            QVERIFY(found != raw.times.end() && *found == reduced.times[i]);
            QCOMPARE(raw.values[std::size_t(found - raw.times.begin())], reduced.values[i]);
        }
        const std::string aCell = "(SELECT series_id, width, cell FROM rollups JOIN series ON series.id = series_id "
                                  "WHERE name = '"
                                  + std::string(series) + "' AND width = " + std::to_string(cell)
                                  + " AND max_time NOT IN (rollups.first_time, min_time, rollups.last_time) ORDER BY "
                                    "cell OFFSET 3 LIMIT 1)";
        const std::string kept
            = m_cluster.scalar("SELECT max_value FROM rollups WHERE (series_id, width, cell) = " + aCell);
        m_cluster.scalar("UPDATE rollups SET max_value = max_value + 1000 WHERE (series_id, width, cell) = " + aCell);
        const Points altered = query(*m_db, {series, {}, {}, 2});
        QVERIFY2(*std::max_element(altered.values.begin(), altered.values.end()) > 999, series);
        m_cluster.scalar("UPDATE rollups SET max_value = " + kept + " WHERE (series_id, width, cell) = " + aCell);
    }

    // The base width stays: readings a second apart added later are
    // summarised at it too (the cells over them are rebuilt).
    std::vector<Row> dense;
    for (int i = 0; i < 600; ++i)
        dense.push_back({0, t0 + Micros(i) * timeutil::kMicrosPerSecond + 1, 1.0});
    importRows(*m_db, {"ten-second"}, dense);
    QCOMPARE(cellWidthsOf(m_cluster, "ten-second"), tenSeconds);
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));
}

void TestStorage::readingsOneAtATimeGetCells()
{
    // A daily reading imported one at a time: the second import decides
    // the cells from the gap to the first (86,400 s, binned to 68,719 s:
    // base 2^22 s, up to 2^30 s), and each import after it keeps them right.
    const Micros t0 = at("2030-01-01T00:00:00Z");
    for (int day = 0; day < 5; ++day)
        importRows(*m_db, {"daily"}, {{0, t0 + Micros(day) * 24 * 60 * kMinute, 10.0 + day % 3}});
    QCOMPARE(cellWidthsOf(m_cluster, "daily"), std::string("1073741824,16777216,268435456,4194304,67108864"));
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));
}

void TestStorage::manySeriesAtATimeAreWrittenRight()
{
    // A wide file's rows come a time at a time; the straight copy writes
    // them series by series in chunks of 262,144 rows. Across chunk edges
    // every series keeps exactly its readings, and its cells are right.
    const Micros t0 = at("2031-01-01T00:00:00Z");
    const std::vector<std::string> names = {"wide a", "wide b", "wide c"};
    std::vector<Row> rows;
    for (std::size_t i = 0; i < 100'000; ++i) {
        for (std::size_t meter = 0; meter < names.size(); ++meter)
            rows.push_back({meter, t0 + Micros(i) * 15 * kMinute, test::meterReading(int(meter), i, 15)});
    }
    QCOMPARE(importRows(*m_db, names, rows).rowsNew, 300'000u);
    for (std::size_t meter = 0; meter < names.size(); ++meter) {
        const Points stored = query(*m_db, {names[meter], {}, {}, 0});
        QCOMPARE(stored.times.size(), std::size_t(100'000));
        for (std::size_t i = 0; i < stored.times.size(); ++i) {
            if (stored.times[i] != t0 + Micros(i) * 15 * kMinute
                || stored.values[i] != test::meterReading(int(meter), i, 15))
                QFAIL(qPrintable(QString("%1: point %2 is wrong").arg(names[meter].c_str()).arg(i)));
        }
    }
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));
}

void TestStorage::schemaFourIsMigrated()
{
    // A database as schema 4 left it (cell_floor, cells of 16, 256 and
    // 4096 s) gets cells at its series' cadences when a server opens it:
    // every series stored by the tests above, right, and nothing else.
    m_cluster.scalar("ALTER TABLE series DROP COLUMN cell_width; ALTER TABLE series ADD COLUMN cell_floor integer; "
                     "UPDATE series SET cell_floor = 0; "
                     "UPDATE rollups SET width = 16 WHERE width = 512; "
                     "DELETE FROM schema_migrations WHERE version = 5; SELECT 1");
    storage::Database::Options options{m_cluster.conninfo()};
    storage::Database reopened(options);
    reopened.open();
    QCOMPARE(reopened.schemaVersion(), 5);
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE cell_width IS NULL AND point_count > 1"),
             std::string("0"));
    QCOMPARE(cellWidthsOf(m_cluster, "quarter-hour b"),
             std::string("131072,134217728,2097152,32768,33554432,524288,8388608"));
}

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
