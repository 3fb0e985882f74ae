#pragma once

// Storage tests without a server: rows written through ImportWriter and
// points read back through PointStream, on a test cluster's database.
#include "storage/database.h"
#include "storage/import_writer.h"
#include "storage/series_store.h"
#include "support/clients.h"

#include <memory>
#include <string>
#include <vector>

namespace meterscope::test {

class TestCluster;

/// The cluster's database opened (and migrated) in the storage mode the
/// test runs in (hypertableMode()).
std::unique_ptr<storage::Database> openDatabase(const TestCluster &cluster);

/// A column of anything PointStream::next() writes into.
template<typename T>
struct Column {
    std::vector<T> items;
    void Add(T v) { items.push_back(v); }
};

/// Every point PointStream gives for `request`, read `batch` at a time.
Points query(storage::Database &db, storage::PointStream::Request request, std::size_t batch = 1000);

/// A reading of the import's column `column`.
struct Row {
    std::size_t column;
    timeutil::Micros time;
    double value;
};

/// Imports `rows` into `series` (the columns) in one ImportWriter, and
/// commits unless told not to.
storage::MergeResult importRows(storage::Database &db, const std::vector<std::string> &series,
                                const std::vector<Row> &rows, bool commit = true);

} // namespace meterscope::test
