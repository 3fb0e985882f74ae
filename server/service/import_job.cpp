#include "service/import_job.h"

#include "ingest/cell_text.h"
#include "service/status.h"
#include "service/validation.h"
#include "service/wire.h"
#include "time/instant.h"
#include "time/zone.h"

#include <openssl/evp.h>

namespace meterscope::service {

/// SHA-256 of an upload, fed as it arrives.
class ContentHash {
public:
    ContentHash()
        : m_context(EVP_MD_CTX_new())
    {
        if (!m_context || EVP_DigestInit_ex(m_context, EVP_sha256(), nullptr) != 1)
            throw std::runtime_error("cannot start a SHA-256 digest");
    }
    ~ContentHash() { EVP_MD_CTX_free(m_context); }
    ContentHash(const ContentHash &) = delete;
    ContentHash &operator=(const ContentHash &) = delete;

    void update(std::string_view bytes) { EVP_DigestUpdate(m_context, bytes.data(), bytes.size()); }
    /// The digest (32 bytes); call once.
    std::string finish()
    {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_DigestFinal_ex(m_context, digest, &length);
        return std::string(reinterpret_cast<const char *>(digest), length);
    }

private:
    EVP_MD_CTX *m_context;
};

namespace {

// IANA names are short ("America/Argentina/ComodRivadavia" is among the longest).
constexpr std::size_t kMaxZoneName = 64;
constexpr std::size_t kMaxImportId = 128;
constexpr std::size_t kMaxTimeFormat = 100;
constexpr int kMaxMissingTokens = 100;
constexpr std::size_t kMaxUnit = 50;
// A dry run's sample: enough for a preview, bounded for absurdly wide files.
constexpr std::uint32_t kMaxSampleRecords = 100;
constexpr std::size_t kMaxSampleCells = 200;
constexpr int kMaxSampleReadings = 2000;

StatusError invalid(const std::string &message)
{
    return StatusError(grpc::StatusCode::INVALID_ARGUMENT, message);
}

ingest::ReaderOptions readerOptions(const v1::ImportOptions &options, const ImportLimits &settings)
{
    ingest::ReaderOptions out;
    out.fileName = options.file_name();
    out.seriesName = options.series();
    out.timeZone = options.timezone().empty() ? settings.defaultTimeZone : options.timezone();
    out.timeFormat = options.time_format();
    out.maxLineLength = settings.maxLineLength;
    const std::string &delimiter = options.delimiter();
    if (delimiter == "\\t" || delimiter == "tab")
        out.delimiter = '\t';
    else if (delimiter.size() == 1 && (delimiter == "," || delimiter == ";" || delimiter == "\t"))
        out.delimiter = delimiter[0];
    else if (!delimiter.empty())
        throw ingest::ReaderError("unsupported delimiter " + quoted(delimiter) + "; use ',', ';' or tab");
    out.timeColumns.assign(options.time_column().begin(), options.time_column().end());
    out.valueColumns.assign(options.value_column().begin(), options.value_column().end());
    out.seriesColumn = options.series_column();
    if (options.has_skip_lines())
        out.skipLines = options.skip_lines();
    out.missingTokens.assign(options.missing().begin(), options.missing().end());
    out.unit = options.unit();
    out.sampleRecords = options.dry_run() ? options.sample_records() : 0;
    switch (options.epoch_unit()) {
    case v1::EPOCH_UNIT_SECONDS:
        out.epochUnit = ingest::EpochUnit::Seconds;
        break;
    case v1::EPOCH_UNIT_MILLISECONDS:
        out.epochUnit = ingest::EpochUnit::Milliseconds;
        break;
    case v1::EPOCH_UNIT_MICROSECONDS:
        out.epochUnit = ingest::EpochUnit::Microseconds;
        break;
    default:
        out.epochUnit = ingest::EpochUnit::Auto;
        break;
    }
    return out;
}

void addIssue(google::protobuf::RepeatedPtrField<v1::LineIssue> *list, std::uint64_t line, std::string_view reason)
{
    if (std::size_t(list->size()) >= ImportJob::kMaxListed)
        return;
    v1::LineIssue *issue = list->Add();
    issue->set_line(line);
    issue->set_reason(std::string(reason));
}

} // namespace

void checkImportOptions(const v1::ImportOptions &options)
{
    if (!options.series().empty())
        checkSeriesName(options.series(), "field 'series'");
    if (const std::string &zone = options.timezone(); !zone.empty()) {
        bool known = zone.size() <= kMaxZoneName;
        try {
            if (known)
                timeutil::Zone::byName(zone);
        } catch (const std::invalid_argument &) {
            known = false;
        }
        if (!known)
            throw invalid("field 'timezone': unknown time zone " + quoted(zone)
                          + "; use an IANA name such as Europe/Berlin, or UTC");
    }
    if (!v1::EpochUnit_IsValid(options.epoch_unit()))
        throw invalid("field 'epoch_unit': " + std::to_string(options.epoch_unit())
                      + " is not an epoch unit (0 auto, 1 seconds, 2 milliseconds, 3 microseconds)");
    if (options.import_id().size() > kMaxImportId)
        throw invalid("field 'import_id' is longer than " + std::to_string(kMaxImportId) + " bytes");
    if (options.time_format().size() > kMaxTimeFormat)
        throw invalid("field 'time_format' is longer than " + std::to_string(kMaxTimeFormat) + " bytes");
    if (options.time_column_size() > 2)
        throw invalid("field 'time_column': give one time column, or a date column and a time-of-day column, not "
                      + std::to_string(options.time_column_size()));
    if (options.missing_size() > kMaxMissingTokens)
        throw invalid("field 'missing' has more than " + std::to_string(kMaxMissingTokens) + " tokens");
    if (options.unit().size() > kMaxUnit)
        throw invalid("field 'unit' is longer than " + std::to_string(kMaxUnit) + " bytes");
    if (options.sample_records() > kMaxSampleRecords)
        throw invalid("field 'sample_records': at most " + std::to_string(kMaxSampleRecords) + " records, not "
                      + std::to_string(options.sample_records()));
    if (options.sample_records() > 0 && !options.dry_run())
        throw invalid("field 'sample_records' is for dry runs only (set dry_run)");
}

ImportJob::ImportJob(storage::Database &db, const v1::ImportOptions &options, const ImportLimits &settings)
    : m_options(options)
    , m_settings(settings)
    , m_started(std::chrono::steady_clock::now())
    , m_writer(db)
    , m_hash(std::make_unique<ContentHash>())
{
    m_reader.emplace(readerOptions(options, settings), static_cast<ingest::ReaderSink &>(*this));
    m_report.set_file_name(options.file_name());
    m_report.set_dry_run(options.dry_run());
    if (!options.import_id().empty() && !options.dry_run())
        m_earlier = storage::findImport(db, options.import_id());
}

ImportJob::~ImportJob() = default;

void ImportJob::feed(std::string_view bytes)
{
    m_bytes += bytes.size();
    if (m_settings.maxImportBytes > 0 && m_bytes > m_settings.maxImportBytes)
        throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          quoted(m_options.file_name()) + " is larger than this server accepts ("
                              + std::to_string(m_settings.maxImportBytes)
                              + " bytes, see --max-import-size); nothing was stored");
    m_hash->update(bytes);
    if (!m_earlier)
        m_reader->feed(bytes);
}

v1::ImportProgress ImportJob::progress() const
{
    const ingest::ReaderStats &stats = m_reader->stats();
    v1::ImportProgress out;
    out.set_bytes_processed(m_bytes);
    out.set_rows_read(stats.readings);
    out.set_rows_accepted(stats.accepted);
    out.set_rows_skipped(stats.missing + stats.rejected);
    return out;
}

v1::ImportReport ImportJob::replay(const storage::StoredImport &earlier, const std::string &hash) const
{
    // Imports from before hashes were kept replay as they always did.
    if (!earlier.contentHash.empty() && earlier.contentHash != hash)
        throw StatusError(grpc::StatusCode::ALREADY_EXISTS,
                          "the import id " + quoted(m_options.import_id()) + " was used before for "
                              + quoted(earlier.fileName)
                              + " with different content; nothing of this file was stored (send it with a new id)");
    v1::ImportReport report;
    if (!report.ParseFromString(earlier.report))
        report.set_file_name(earlier.fileName);
    report.set_replayed(true);
    return report;
}

v1::ImportReport ImportJob::finish(const std::function<bool()> &stillWanted)
{
    const std::string hash = m_hash->finish();
    if (m_earlier)
        return replay(*m_earlier, hash);
    m_reader->finish();
    if (!m_options.import_id().empty() && !m_options.dry_run()) {
        if (const std::optional<storage::StoredImport> earlier
            = m_writer.claim(m_options.import_id(), m_options.file_name(), hash))
            return replay(*earlier, hash);
    }
    const ingest::ReaderStats &stats = m_reader->stats();
    const storage::MergeResult merged = m_writer.merge(kMaxListed);

    m_report.set_bytes_read(m_bytes);
    m_report.set_rows_read(stats.readings);
    m_report.set_rows_missing(stats.missing);
    m_report.set_rows_rejected(stats.rejected);
    m_report.set_rows_duplicate(merged.rowsDuplicate);
    m_report.set_rows_new(merged.rowsNew);
    m_report.set_rows_updated(merged.rowsUpdated);
    m_report.set_rows_unchanged(merged.rowsUnchanged);
    m_report.set_rows_imported(merged.rowsNew + merged.rowsUpdated + merged.rowsUnchanged);
    for (const storage::Duplicate &d : merged.duplicates) {
        addIssue(m_report.mutable_warnings(), d.laterLine,
                 "same time as line " + std::to_string(d.earlierLine) + " for series '" + m_stored[d.column] + "' ("
                     + timeutil::formatIso(d.time) + "); the later line wins");
    }
    m_report.set_warnings_total(merged.rowsDuplicate);
    for (const storage::SeriesSummary &summary : m_writer.summaries())
        toProto(summary, m_report.add_series());
    m_report.set_duration_ms(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_started).count());
    if (m_options.dry_run())
        return m_report;
    if (stillWanted && !stillWanted())
        throw StatusError(grpc::StatusCode::CANCELLED,
                          "the import ended before it was committed (cancelled, or the connection broke); nothing of "
                          "this file was stored");
    m_writer.commit(m_options.import_id(), m_report.SerializeAsString());
    return m_report;
}

void ImportJob::layout(const ingest::LayoutReport &layout)
{
    toProto(layout, m_report.mutable_layout());
}

void ImportJob::columns(const std::vector<ingest::SeriesInfo> &added)
{
    for (const ingest::SeriesInfo &info : added) {
        checkSeriesName(info.name, m_options.file_name().empty() ? "the input" : quoted(m_options.file_name()));
        m_series.push_back(info.name);
        m_units.push_back(info.unit);
        m_writerColumn.push_back(kNotStored);
    }
}

// A series reaches the writer with its first reading: one whose every
// cell was missing or rejected is never created.
void ImportJob::reading(std::size_t series, timeutil::Micros time, double value, std::uint64_t line)
{
    std::size_t &column = m_writerColumn[series];
    if (column == kNotStored) {
        column = m_stored.size();
        m_stored.push_back(m_series[series]);
        m_writer.setColumns({m_series[series]}, {m_units[series]});
    }
    m_writer.add(column, time, value, line);
    if (line <= m_lastSampledLine && m_report.sample_readings_size() < kMaxSampleReadings) {
        v1::SampleReading *sample = m_report.add_sample_readings();
        sample->set_line(line);
        sample->set_series(m_series[series]);
        sample->set_time_us(time);
        sample->set_value(value);
    }
}

void ImportJob::sampled(std::uint64_t line, const std::vector<std::string_view> &cells)
{
    m_lastSampledLine = line;
    v1::SampleRecord *record = m_report.add_sample_records();
    record->set_line(line);
    for (std::size_t i = 0; i < cells.size() && i < kMaxSampleCells; ++i)
        record->add_cells(ingest::toUtf8(cells[i]));
}

void ImportJob::missing(std::size_t, std::uint64_t line, std::string_view reason)
{
    addIssue(m_report.mutable_missing(), line, reason);
}

void ImportJob::rejected(std::uint64_t line, std::uint64_t, std::string_view reason)
{
    addIssue(m_report.mutable_rejected(), line, reason);
}

} // namespace meterscope::service
