#include "storage/aggregate.h"

#include "storage/cadence.h"
#include "storage/errors.h"
#include "storage/pg_connection.h"
#include "storage/series_kind.h"
#include "storage/series_store.h"
#include "storage/sql_arrays.h"
#include "storage/sql_time.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>

namespace meterscope::storage {

namespace {

using timeutil::Micros;

// Usage values of one (series, bucket), as a statement sums them.
struct Sums {
    std::uint64_t count = 0;
    std::uint64_t usages = 0;
    std::uint64_t resets = 0;
    double total = 0;
    double min = 0;
    double max = 0;

    void add(double usage)
    {
        min = usages ? std::min(min, usage) : usage;
        max = usages ? std::max(max, usage) : usage;
        total += usage;
        ++usages;
    }
};

struct Found {
    std::int32_t id;
    SeriesTotals totals;
    std::map<std::size_t, Sums> sums; // by bucket index
};

// Sums of decimal readings in binary floating point end in noise
// (15603.289999999985 for readings of two decimals): totals, means and
// costs keep 12 significant digits, far more than any meter has.
double significant(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.12g", value);
    return std::strtod(text, nullptr);
}

} // namespace

std::vector<SeriesTotals> aggregate(Database &db, const TotalsRequest &request)
{
    checkRange(request.start, request.end);
    Database::Lease lease = db.acquire();
    // One snapshot for every statement: an import committing meanwhile is
    // in all of them or in none.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(*lease, "aggregate");

    std::vector<Found> found;
    {
        const pqxx::result rows = txn.exec_params(
            "SELECT id, " + summaryColumns() + " FROM series WHERE name = ANY($1::text[])", textArray(request.series));
        std::map<std::string, pqxx::row::size_type> byName;
        for (pqxx::row::size_type i = 0; i < rows.size(); ++i)
            byName[rows[i][1].as<std::string>()] = i;
        for (const std::string &name : request.series) {
            const auto at = byName.find(name);
            if (at == byName.end())
                throw NotFound("no series named '" + name + "'");
            const pqxx::row row = rows[at->second];
            found.push_back({row[0].as<std::int32_t>(), {summaryFrom(row, 1), 0, {}}, {}});
        }
    }

    // The range: what was asked, within the first reading of any of the
    // series and just after the last.
    std::optional<Micros> first, last;
    for (const Found &f : found) {
        if (f.totals.series.first)
            first = std::min(first.value_or(*f.totals.series.first), *f.totals.series.first);
        if (f.totals.series.last)
            last = std::max(last.value_or(*f.totals.series.last), *f.totals.series.last);
    }
    // Buckets before the first reading or after the last would be empty:
    // a range far beyond the readings (int64 min, say) costs nothing.
    const Micros from = first ? std::max(request.start.value_or(*first), *first) : 0;
    const Micros to = first ? std::min(request.end.value_or(*last + 1), *last + 1) : 0;
    if (from >= to) {
        std::vector<SeriesTotals> out;
        for (Found &f : found)
            out.push_back(std::move(f.totals));
        return out;
    }
    std::vector<Micros> edges;
    try {
        edges = timeutil::bucketEdges(from, to, request.by, request.zone, kMaxBuckets);
    } catch (const std::length_error &e) {
        throw InvalidRequest(e.what());
    }

    std::vector<std::int32_t> all, registers, others;
    std::map<std::int32_t, Found *> byId;
    for (Found &f : found) {
        all.push_back(f.id);
        (f.totals.series.kind == SeriesKind::Cumulative ? registers : others).push_back(f.id);
        byId[f.id] = &f;
    }
    const std::string edgeArray = timeArray(edges);
    const std::string fromText = sqlTime(from), toText = sqlTime(to);

    for (const auto &[id, cadence] : cadences(txn, all, from, to))
        byId.at(id)->totals.cadence = cadence;

    // Interval and instant series: their readings are the usage values.
    if (!others.empty()) {
        for (const pqxx::row &row : txn.exec_params(
                 "SELECT series_id, width_bucket(time, $2::timestamptz[]), count(*), sum(value), min(value), "
                 "max(value) FROM points WHERE series_id = ANY($1::integer[]) AND time >= $3::timestamptz "
                 "AND time < $4::timestamptz GROUP BY 1, 2",
                 idArray(others), edgeArray, fromText, toText)) {
            Sums &sums = byId.at(row[0].as<std::int32_t>())->sums[row[1].as<std::size_t>() - 1];
            sums.count = sums.usages = row[2].as<std::uint64_t>();
            sums.total = row[3].as<double>();
            sums.min = row[4].as<double>();
            sums.max = row[5].as<double>();
        }
    }
    // Registers: the differences of consecutive readings, each in the
    // bucket of the later one; a drop is a reset.
    if (!registers.empty()) {
        for (const pqxx::row &row : txn.exec_params(
                 "SELECT series_id, width_bucket(time, $2::timestamptz[]), count(*), "
                 "count(d) FILTER (WHERE d >= 0), count(*) FILTER (WHERE d < 0), "
                 "coalesce(sum(d) FILTER (WHERE d >= 0), 0), min(d) FILTER (WHERE d >= 0), "
                 "max(d) FILTER (WHERE d >= 0) FROM ("
                 " SELECT series_id, time, value - lag(value) OVER (PARTITION BY series_id ORDER BY time) AS d"
                 " FROM points WHERE series_id = ANY($1::integer[]) AND time >= $3::timestamptz"
                 " AND time < $4::timestamptz) AS p GROUP BY 1, 2",
                 idArray(registers), edgeArray, fromText, toText)) {
            Sums &sums = byId.at(row[0].as<std::int32_t>())->sums[row[1].as<std::size_t>() - 1];
            sums.count = row[2].as<std::uint64_t>();
            sums.usages = row[3].as<std::uint64_t>();
            sums.resets = row[4].as<std::uint64_t>();
            sums.total = row[5].as<double>();
            sums.min = row[6].is_null() ? 0 : row[6].as<double>();
            sums.max = row[7].is_null() ? 0 : row[7].as<double>();
        }
        // The first interval of the range runs from the last reading before it.
        for (const pqxx::row &row : txn.exec_params(
                 "SELECT i.id, f.t, f.value - b.value FROM unnest($1::integer[]) AS i (id) "
                 "CROSS JOIN LATERAL (SELECT value FROM points WHERE series_id = i.id AND time < $2::timestamptz "
                 " ORDER BY time DESC LIMIT 1) AS b "
                 "CROSS JOIN LATERAL (SELECT "
                     + epochUs("time")
                     + " AS t, value FROM points WHERE series_id = i.id"
                       " AND time >= $2::timestamptz AND time < $3::timestamptz ORDER BY time LIMIT 1) AS f",
                 idArray(registers), fromText, toText)) {
            const std::size_t bucket
                = std::size_t(std::upper_bound(edges.begin(), edges.end(), row[1].as<Micros>()) - edges.begin()) - 1;
            Sums &sums = byId.at(row[0].as<std::int32_t>())->sums[bucket];
            const double usage = row[2].as<double>();
            if (usage < 0)
                ++sums.resets;
            else
                sums.add(usage);
        }
    }
    txn.commit();

    std::vector<SeriesTotals> out;
    for (Found &f : found) {
        SeriesTotals &totals = f.totals;
        const SeriesSummary &series = totals.series;
        if (!series.first || *series.first >= to || *series.last < from) {
            out.push_back(std::move(totals));
            continue;
        }
        // Readings are expected from the series' first reading (or the
        // range's start) every cadence, to its last one.
        const Micros spanStart = std::max(from, *series.first);
        const Micros spanEnd = std::min(to, *series.last + std::max<Micros>(totals.cadence, 1));
        const Micros anchor = *series.first;
        const auto bucketOf = [&](Micros time) {
            return std::size_t(std::upper_bound(edges.begin(), edges.end(), time) - edges.begin()) - 1;
        };
        for (std::size_t b = bucketOf(spanStart); b <= bucketOf(spanEnd - 1); ++b) {
            BucketTotal bucket;
            bucket.start = edges[b];
            bucket.end = edges[b + 1];
            const auto at = f.sums.find(b);
            const Sums sums = at == f.sums.end() ? Sums{} : at->second;
            bucket.count = sums.count;
            bucket.resets = sums.resets;
            bucket.expected = totals.cadence > 0
                                  ? expectedReadings(std::max(bucket.start, spanStart), std::min(bucket.end, spanEnd),
                                                     anchor, totals.cadence)
                                  : sums.count;
            if (bucket.count == 0 && bucket.expected == 0)
                continue;
            if (sums.usages > 0) {
                bucket.mean = significant(sums.total / double(sums.usages));
                bucket.total = series.kind == SeriesKind::Instant ? *bucket.mean : significant(sums.total);
                bucket.min = sums.min;
                bucket.max = sums.max;
                if (request.price && series.kind != SeriesKind::Instant)
                    bucket.cost = significant(*bucket.total * *request.price);
            }
            totals.buckets.push_back(bucket);
        }
        out.push_back(std::move(totals));
    }
    return out;
}

} // namespace meterscope::storage
