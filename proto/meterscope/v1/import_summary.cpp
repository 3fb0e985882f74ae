#include "meterscope/v1/import_summary.h"

namespace meterscope::v1 {

std::string importSummary(const ImportReport &report)
{
    using std::to_string;
    std::string out = report.file_name() + ": " + (report.dry_run() ? "dry run, would have " : "")
                      + to_string(report.rows_imported()) + " rows imported (" + to_string(report.rows_new()) + " new, "
                      + to_string(report.rows_updated()) + " updated, " + to_string(report.rows_unchanged())
                      + " unchanged), " + to_string(report.rows_missing()) + " missing, "
                      + to_string(report.rows_rejected()) + " rejected";
    if (report.rows_duplicate() > 0)
        out += ", " + to_string(report.rows_duplicate()) + " duplicates replaced";
    if (report.replayed())
        out += " (imported before with this id; nothing done now)";
    else
        out += " in " + to_string(report.duration_ms()) + " ms";
    return out;
}

} // namespace meterscope::v1
