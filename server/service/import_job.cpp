#include "service/import_job.h"

#include "service/status.h"
#include "service/wire.h"
#include "time/instant.h"

namespace meterscope::service {

namespace {

ingest::ReaderOptions readerOptions(const v1::ImportOptions &options, const ImportSettings &settings)
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
        throw ingest::ReaderError("unsupported delimiter '" + delimiter + "'; use ',', ';' or tab");
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

ImportJob::ImportJob(storage::Database &db, const v1::ImportOptions &options, const ImportSettings &settings)
    : m_options(options)
    , m_settings(settings)
    , m_started(std::chrono::steady_clock::now())
    , m_writer(db)
{
    m_reader.emplace(readerOptions(options, settings), static_cast<ingest::ReaderSink &>(*this));
    m_report.set_file_name(options.file_name());
    m_report.set_dry_run(options.dry_run());
}

ImportJob::~ImportJob() = default;

std::optional<v1::ImportReport> ImportJob::replay()
{
    if (m_options.import_id().empty() || m_options.dry_run())
        return std::nullopt;
    const std::optional<std::string> saved = m_writer.claim(m_options.import_id(), m_options.file_name());
    if (!saved)
        return std::nullopt;
    v1::ImportReport report;
    report.ParseFromString(*saved);
    report.set_replayed(true);
    return report;
}

void ImportJob::feed(std::string_view bytes)
{
    const std::uint64_t total = m_reader->stats().bytes + bytes.size();
    if (m_settings.maxImportBytes > 0 && total > m_settings.maxImportBytes)
        throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          m_options.file_name() + " is larger than this server accepts ("
                              + std::to_string(m_settings.maxImportBytes)
                              + " bytes, see --max-import-size); nothing was stored");
    m_reader->feed(bytes);
}

v1::ImportProgress ImportJob::progress() const
{
    const ingest::ReaderStats &stats = m_reader->stats();
    v1::ImportProgress out;
    out.set_bytes_processed(stats.bytes);
    out.set_rows_read(stats.readings);
    out.set_rows_accepted(stats.accepted);
    out.set_rows_skipped(stats.missing + stats.rejected);
    return out;
}

v1::ImportReport ImportJob::finish()
{
    m_reader->finish();
    const ingest::ReaderStats &stats = m_reader->stats();
    const storage::MergeResult merged = m_writer.merge(kMaxListed);

    m_report.set_bytes_read(stats.bytes);
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
                 "same time as line " + std::to_string(d.earlierLine) + " for series '" + m_series[d.column] + "' ("
                     + timeutil::formatIso(d.time) + "); the later line wins");
    }
    m_report.set_warnings_total(merged.rowsDuplicate);
    for (const storage::SeriesSummary &summary : m_writer.summaries())
        toProto(summary, m_report.add_series());
    m_report.set_duration_ms(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_started).count());
    if (!m_options.dry_run())
        m_writer.commit(m_options.import_id(), m_report.SerializeAsString());
    return m_report;
}

void ImportJob::columns(const std::vector<std::string> &seriesNames)
{
    m_series = seriesNames;
    m_writer.setColumns(seriesNames);
}

void ImportJob::reading(std::size_t column, timeutil::Micros time, double value, std::uint64_t line)
{
    m_writer.add(column, time, value, line);
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
