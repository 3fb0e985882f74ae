#pragma once

#include "ingest/csv_reader.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <vector>

namespace meterscope::test {

/// What one series received, in file order.
struct SeriesTally {
    std::size_t readings = 0;
    std::size_t missing = 0;
    timeutil::Micros firstTime = 0;
    timeutil::Micros lastTime = 0;
    double firstValue = 0;
    double lastValue = 0;
};

/// Writes what the CSV reader reports as the lines a user would read:
///   "columns: a, b [kWh]"                       new series (with a unit)
///   "<line> <series> <UTC time> <value>"        an accepted reading
///   "<line> <series> missing: <reason>"
///   "<line> rejected <readings>: <reason>"
///   "<line> sampled: <cell>|<cell>"            one of ReaderOptions::sampleRecords
/// and keeps the layout it reported and a tally per series.
class RecordingSink : public ingest::ReaderSink {
public:
    QStringList events;
    std::vector<ingest::LayoutReport> layouts;
    std::vector<ingest::SeriesInfo> series;
    std::vector<SeriesTally> tallies;

    void layout(const ingest::LayoutReport &layout) override;
    void columns(const std::vector<ingest::SeriesInfo> &added) override;
    void reading(std::size_t series, timeutil::Micros time, double value, std::uint64_t line) override;
    void missing(std::size_t series, std::uint64_t line, std::string_view reason) override;
    void rejected(std::uint64_t line, std::uint64_t readings, std::string_view reason) override;
    void sampled(std::uint64_t line, const std::vector<std::string_view> &cells) override;
};

struct ReaderOutcome {
    QStringList events;
    ingest::ReaderStats stats;
    QString error; // ReaderError::what(), empty when the file was read
    /// What the reader reported as its layout; empty when it reported none.
    std::vector<ingest::LayoutReport> layouts;
    std::vector<ingest::SeriesInfo> series;
    std::vector<SeriesTally> tallies;
};

bool sameStats(const ingest::ReaderStats &a, const ingest::ReaderStats &b);

/// Reads `input` in chunks of `chunkSize` bytes.
ReaderOutcome readWithChunks(const QByteArray &input, const ingest::ReaderOptions &options, qsizetype chunkSize);

/// Reads `input` whole, byte by byte and in 7-byte chunks: it fails the
/// running test when how the file is cut changes anything, or when
/// readings != accepted + missing + rejected.
ReaderOutcome readCsv(const QByteArray &input, const ingest::ReaderOptions &options = {});
/// readCsv() under the short name the data-driven reader tests use.
inline ReaderOutcome read(const QByteArray &input, const ingest::ReaderOptions &options = {})
{
    return readCsv(input, options);
}

/// Data-driven reader cases: columns `input` (QByteArray), `options`
/// (ReaderOptions) and `expected` (the events, as RecordingSink writes
/// them), checked by checkEvents() against readCsv().
void addEventColumns();
void checkEvents();

/// Reader options that differ from the defaults in one field, for cases.
namespace readeroptions {
ingest::ReaderOptions named(const char *fileName);
ingest::ReaderOptions inZone(const char *zone);
ingest::ReaderOptions withFormat(const char *format, const char *zone = "");
ingest::ReaderOptions withUnit(ingest::EpochUnit unit);
ingest::ReaderOptions withSeriesName(const char *name, const char *fileName = "");
ingest::ReaderOptions withDelimiter(char delimiter);
ingest::ReaderOptions withMaxLineLength(std::size_t length);
} // namespace readeroptions

} // namespace meterscope::test

// ReaderOptions as a column of data-driven tests.
Q_DECLARE_METATYPE(meterscope::ingest::ReaderOptions)
