#include "support/storage_rows.h"

#include "support/test_cluster.h"

namespace meterscope::test {

std::unique_ptr<storage::Database> openDatabase(const TestCluster &cluster)
{
    storage::Database::Options options{cluster.conninfo()};
    if (hypertableMode())
        options.storage = storage::Database::Storage::Timescaledb;
    auto db = std::make_unique<storage::Database>(options);
    db->open();
    return db;
}

Points query(storage::Database &db, storage::PointStream::Request request, std::size_t batch)
{
    storage::PointStream stream(db, std::move(request));
    Column<timeutil::Micros> times;
    Column<double> values;
    while (stream.next(times, values, batch)) { }
    return {times.items, values.items};
}

storage::MergeResult importRows(storage::Database &db, const std::vector<std::string> &series,
                                const std::vector<Row> &rows, bool commit)
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

} // namespace meterscope::test
