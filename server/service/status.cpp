#include "service/status.h"

#include "ingest/csv_reader.h"
#include "logging/log.h"
#include "storage/embedded_cluster.h"
#include "storage/errors.h"
#include "storage/sql_message.h"

#include <pqxx/except>

namespace meterscope::service {

namespace {

grpc::Status fromSqlState(const pqxx::sql_error &e, const char *call)
{
    const std::string state = e.sqlstate();
    const std::string message = storage::sqlMessage(e.what());
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
    } catch (const storage::Conflict &e) {
        return {grpc::StatusCode::ALREADY_EXISTS, e.what()};
    } catch (const storage::InvalidRequest &e) {
        return {grpc::StatusCode::INVALID_ARGUMENT, e.what()};
    } catch (const storage::Unavailable &e) {
        return {grpc::StatusCode::UNAVAILABLE, e.what()};
    } catch (const pqxx::broken_connection &e) {
        MS_LOG(Warning) << call << ": lost the database connection: " << storage::firstLine(e.what());
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
