// #15: the M4 summary cells against a real throwaway PostgreSQL cluster:
// widths that follow each series' cadence, kept right by every kind of
// import, the queries drawn from them, and the migration that made them.
#include "storage/database.h"
#include "support/database_checks.h"
#include "support/meter_exports.h"
#include "support/storage_rows.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QTest>

#include <cmath>
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

class TestSummaryCells : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
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

void TestSummaryCells::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    m_db = test::openDatabase(m_cluster);
}

void TestSummaryCells::summariesMatchThePoints()
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

void TestSummaryCells::downsampleFromSummaries()
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

void TestSummaryCells::cellsFollowTheCadence()
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

void TestSummaryCells::readingsOneAtATimeGetCells()
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

void TestSummaryCells::manySeriesAtATimeAreWrittenRight()
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

void TestSummaryCells::schemaFourIsMigrated()
{
    // A database as schema 4 left it (cell_floor, cells of 16, 256 and
    // 4096 s, no kinds) gets cells at its series' cadences when a server
    // opens it: every series stored by the tests above, right, and nothing
    // else; and each series a kind (#16).
    m_cluster.scalar(
        "ALTER TABLE series DROP COLUMN cell_width; ALTER TABLE series ADD COLUMN cell_floor integer; "
        "ALTER TABLE series DROP COLUMN kind, DROP COLUMN gap_threshold_us; UPDATE series SET cell_floor = 0; "
        "UPDATE rollups SET width = 16 WHERE width = 512; "
        "DELETE FROM schema_migrations WHERE version >= 5; SELECT 1");
    storage::Database::Options options{m_cluster.conninfo()};
    storage::Database reopened(options);
    reopened.open();
    QCOMPARE(reopened.schemaVersion(), 6);
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE kind IS NULL"), std::string("0"));
    QCOMPARE(m_cluster.scalar("SELECT kind FROM series WHERE name = 'quarter-hour b'"), std::string("interval"));
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE cell_width IS NULL AND point_count > 1"),
             std::string("0"));
    QCOMPARE(cellWidthsOf(m_cluster, "quarter-hour b"),
             std::string("131072,134217728,2097152,32768,33554432,524288,8388608"));
}

QTEST_GUILESS_MAIN(TestSummaryCells)
#include "tst_summary_cells.moc"
