#include "service/status.h"

#include "ingest/csv_reader.h"
#include "logging/log.h"
#include "storage/embedded_cluster.h"
#include "storage/errors.h"

#include <pqxx/except>

#include <cstring>

namespace meterscope::service {

namespace {

// PostgreSQL's messages may quote the input that failed; never in full.
constexpr std::size_t kMaxDetail = 200;

std::string firstLine(const std::string &text)
{
    std::string line = text.substr(0, text.find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
        line.pop_back();
    if (line.size() > kMaxDetail) {
        line.resize(kMaxDetail);
        // Not in the middle of a UTF-8 sequence.
        while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xc0) == 0x80)
            line.pop_back();
        if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xc0)
            line.pop_back();
        line += "…";
    }
    return line;
}

// PostgreSQL's message with its DETAIL and HINT, which often say what to
// do (#13); CONTEXT and the statement are for the server log only.
std::string sqlMessage(const std::string &text)
{
    std::string out = firstLine(text);
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at)) {
        const std::string line = firstLine(text.substr(++at));
        for (const char *field : {"DETAIL:", "HINT:"}) {
            if (line.rfind(field, 0) == 0) {
                const std::size_t body = line.find_first_not_of(' ', std::strlen(field));
                if (body != std::string::npos)
                    out += std::string("; ") + field + " " + line.substr(body);
            }
        }
    }
    return out;
}

grpc::Status fromSqlState(const pqxx::sql_error &e, const char *call)
{
    const std::string state = e.sqlstate();
    const std::string message = sqlMessage(e.what());
    if (state == "53100")
        return {grpc::StatusCode::RESOURCE_EXHAUSTED,
                "the database is out of disk space; nothing of this request was stored (" + message + ")"};
    if (state.rfind("53", 0) == 0)
        return {grpc::StatusCode::RESOURCE_EXHAUSTED, "the database is out of resources (" + message + ")"};
    // Program limits: a value too large for an index, too many columns.
    if (state.rfind("54", 0) == 0)
        return {grpc::StatusCode::RESOURCE_EXHAUSTED,
                "the request exceeds a limit of the database; nothing of it was stored (" + message + ")"};
    if (state == "57014" && message.find("timeout") != std::string::npos)
        return {grpc::StatusCode::RESOURCE_EXHAUSTED, "the database gave up waiting (" + message + ")"};
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03")
        return {grpc::StatusCode::UNAVAILABLE, "the database went away (" + message + "); try again"};
    if (state == "57014")
        return {grpc::StatusCode::CANCELLED, "the database statement was cancelled"};
    if (state == "40001" || state == "40P01")
        return {grpc::StatusCode::ABORTED, "a concurrent change got in the way (" + message + "); try again"};
    if (state.rfind("22", 0) == 0)
        return {grpc::StatusCode::INVALID_ARGUMENT, message};
    MS_LOG(Error) << call << ": database error " << state << ": " << e.what() << " (query: " << e.query() << ")";
    return {grpc::StatusCode::INTERNAL, "internal database error (SQLSTATE " + state + "); see the server log"};
}

} // namespace

grpc::Status toStatus(std::exception_ptr error, const char *call)
{
    try {
        std::rethrow_exception(error);
    } catch (const StatusError &e) {
        return {e.code(), e.what()};
    } catch (const ingest::ReaderError &e) {
        return {grpc::StatusCode::INVALID_ARGUMENT, e.what()};
    } catch (const storage::NotFound &e) {
        return {grpc::StatusCode::NOT_FOUND, e.what()};
    } catch (const storage::InvalidRequest &e) {
        return {grpc::StatusCode::INVALID_ARGUMENT, e.what()};
    } catch (const storage::Unavailable &e) {
        return {grpc::StatusCode::UNAVAILABLE, e.what()};
    } catch (const pqxx::broken_connection &e) {
        MS_LOG(Warning) << call << ": lost the database connection: " << firstLine(e.what());
        return {grpc::StatusCode::UNAVAILABLE,
                "lost the connection to the database; nothing of this request was stored, try again"};
    } catch (const pqxx::in_doubt_error &e) {
        MS_LOG(Error) << call << ": commit in doubt: " << e.what();
        return {grpc::StatusCode::UNAVAILABLE,
                "the database connection broke while committing; the import may or may not be stored: ask the "
                "server about its import id (GetImport; meterscope-cli does so by itself)"};
    } catch (const pqxx::sql_error &e) {
        return fromSqlState(e, call);
    } catch (const std::invalid_argument &e) {
        return {grpc::StatusCode::INVALID_ARGUMENT, e.what()};
    } catch (const std::exception &e) {
        MS_LOG(Error) << call << ": unexpected error: " << e.what();
        return {grpc::StatusCode::INTERNAL, "internal error; see the server log"};
    } catch (...) {
        MS_LOG(Error) << call << ": unexpected non-standard exception";
        return {grpc::StatusCode::INTERNAL, "internal error; see the server log"};
    }
}

} // namespace meterscope::service
