#include "support/reader_recording.h"

#include "time/instant.h"

#include <QTest>

#include <charconv>

namespace meterscope::test {

namespace {

QString text(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

bool sameStats(const ingest::ReaderStats &a, const ingest::ReaderStats &b)
{
    return a.bytes == b.bytes && a.lines == b.lines && a.records == b.records && a.readings == b.readings
           && a.accepted == b.accepted && a.missing == b.missing && a.rejected == b.rejected && a.header == b.header
           && a.delimiter == b.delimiter;
}

void RecordingSink::layout(const ingest::LayoutReport &layout)
{
    layouts.push_back(layout);
}

void RecordingSink::columns(const std::vector<ingest::SeriesInfo> &added)
{
    QStringList names;
    for (const ingest::SeriesInfo &info : added) {
        series.push_back(info);
        tallies.emplace_back();
        names << text(info.name) + (info.unit.empty() ? QString() : " [" + text(info.unit) + "]");
    }
    events << "columns: " + names.join(", ");
}

void RecordingSink::reading(std::size_t index, timeutil::Micros time, double value, std::uint64_t line)
{
    SeriesTally &tally = tallies.at(index);
    if (tally.readings++ == 0) {
        tally.firstTime = time;
        tally.firstValue = value;
    }
    tally.lastTime = time;
    tally.lastValue = value;
    char digits[32];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    events << QStringLiteral("%1 %2 %3 %4")
                  .arg(line)
                  .arg(text(series.at(index).name), QString::fromStdString(timeutil::formatIso(time)),
                       QString::fromLatin1(digits, int(end - digits)));
}

void RecordingSink::missing(std::size_t index, std::uint64_t line, std::string_view reason)
{
    ++tallies.at(index).missing;
    events << QStringLiteral("%1 %2 missing: %3").arg(line).arg(text(series.at(index).name), text(reason));
}

void RecordingSink::rejected(std::uint64_t line, std::uint64_t readings, std::string_view reason)
{
    events << QStringLiteral("%1 rejected %2: %3").arg(line).arg(readings).arg(text(reason));
}

void RecordingSink::sampled(std::uint64_t line, const std::vector<std::string_view> &cells)
{
    QStringList texts;
    for (std::string_view cell : cells)
        texts << text(cell);
    events << QStringLiteral("%1 sampled: %2").arg(line).arg(texts.join('|'));
}

ReaderOutcome readWithChunks(const QByteArray &input, const ingest::ReaderOptions &options, qsizetype chunkSize)
{
    ReaderOutcome outcome;
    RecordingSink sink;
    try {
        ingest::CsvReader reader(options, sink);
        for (qsizetype at = 0; at < input.size(); at += chunkSize)
            reader.feed(std::string_view(input.constData() + at, std::size_t(std::min(chunkSize, input.size() - at))));
        reader.finish();
        outcome.stats = reader.stats();
    } catch (const ingest::ReaderError &e) {
        outcome.error = QString::fromUtf8(e.what());
    }
    outcome.events = sink.events;
    outcome.layouts = sink.layouts;
    outcome.series = sink.series;
    outcome.tallies = sink.tallies;
    return outcome;
}

ReaderOutcome readCsv(const QByteArray &input, const ingest::ReaderOptions &options)
{
    const ReaderOutcome whole = readWithChunks(input, options, std::max<qsizetype>(input.size(), 1));
    // Byte by byte costs a call per byte: only for small inputs.
    for (const qsizetype chunkSize : {qsizetype(1), qsizetype(7)}) {
        if (chunkSize == 1 && input.size() > 200'000)
            continue;
        const ReaderOutcome chunked = readWithChunks(input, options, chunkSize);
        if (chunked.events != whole.events || chunked.error != whole.error || !sameStats(chunked.stats, whole.stats)) {
            qWarning() << "chunks of" << chunkSize << "gave" << chunked.events.mid(0, 20) << chunked.error
                       << "instead of" << whole.events.mid(0, 20) << whole.error;
            QTest::qFail("the result depends on the chunk size", __FILE__, __LINE__);
        }
    }
    const ingest::ReaderStats &s = whole.stats;
    if (s.readings != s.accepted + s.missing + s.rejected)
        QTest::qFail("readings != accepted + missing + rejected", __FILE__, __LINE__);
    return whole;
}

void addEventColumns()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<ingest::ReaderOptions>("options");
    QTest::addColumn<QStringList>("expected");
}

void checkEvents()
{
    QFETCH(QByteArray, input);
    QFETCH(ingest::ReaderOptions, options);
    QFETCH(QStringList, expected);
    const ReaderOutcome outcome = readCsv(input, options);
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.events, expected);
}

namespace readeroptions {

ingest::ReaderOptions named(const char *fileName)
{
    ingest::ReaderOptions options;
    options.fileName = fileName;
    return options;
}

ingest::ReaderOptions inZone(const char *zone)
{
    ingest::ReaderOptions options;
    options.timeZone = zone;
    return options;
}

ingest::ReaderOptions withFormat(const char *format, const char *zone)
{
    ingest::ReaderOptions options;
    options.timeFormat = format;
    options.timeZone = zone;
    return options;
}

ingest::ReaderOptions withUnit(ingest::EpochUnit unit)
{
    ingest::ReaderOptions options;
    options.epochUnit = unit;
    return options;
}

ingest::ReaderOptions withSeriesName(const char *name, const char *fileName)
{
    ingest::ReaderOptions options;
    options.seriesName = name;
    options.fileName = fileName;
    return options;
}

ingest::ReaderOptions withDelimiter(char delimiter)
{
    ingest::ReaderOptions options;
    options.delimiter = delimiter;
    return options;
}

ingest::ReaderOptions withMaxLineLength(std::size_t length)
{
    ingest::ReaderOptions options;
    options.maxLineLength = length;
    return options;
}

} // namespace readeroptions

} // namespace meterscope::test
