#include "storage/embedded_cluster.h"

#include "logging/log.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace meterscope::storage {

namespace {

constexpr int kPort = 5432;
constexpr const char *kSuperuser = "meterscope";
constexpr const char *kDatabase = "meterscope";

std::string quoteConnValue(const std::string &value)
{
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

std::string percentEncode(const std::string &value)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

bool processAlive(pid_t pid)
{
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

// The child side of every process we start: its own process group, clean
// signal state, output into PostgreSQL's log, and no privileges to spare.
[[noreturn]] void execChild(const std::vector<std::string> &argv, int logFd, bool dropPrivileges, uid_t uid, gid_t gid,
                            pid_t parent, bool dieWithParent)
{
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD})
        ::signal(sig, SIG_DFL);
    // systemd's readiness socket is meterscoped's; PostgreSQL would report
    // itself ready there too.
    ::unsetenv("NOTIFY_SOCKET");
    if (logFd >= 0) {
        ::dup2(logFd, STDOUT_FILENO);
        ::dup2(logFd, STDERR_FILENO);
    }
    const int devNull = ::open("/dev/null", O_RDONLY);
    if (devNull >= 0)
        ::dup2(devNull, STDIN_FILENO);
    ::close_range(3, ~0U, 0);
    if (dropPrivileges) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
            ::_exit(126);
    }
    // Set after the credential change, which would clear it.
    if (dieWithParent) {
        ::prctl(PR_SET_PDEATHSIG, SIGINT);
        if (::getppid() != parent)
            ::_exit(1);
    }
    if (::chdir("/") != 0)
        ::_exit(126);
    std::vector<char *> args;
    for (const std::string &arg : argv)
        args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
}

} // namespace

EmbeddedCluster::EmbeddedCluster(Options options)
    : m_options(std::move(options))
{
    m_pgdata = m_options.dataDir / "postgres";
}

EmbeddedCluster::~EmbeddedCluster()
{
    stop();
    if (m_lockFd >= 0)
        ::close(m_lockFd);
}

fs::path EmbeddedCluster::binDir()
{
    if (const char *env = std::getenv("METERSCOPE_PG_BINDIR"); env && *env)
        return env;
    std::error_code ec;
    int best = -1;
    fs::path bestDir;
    for (const auto &entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const std::string name = entry.path().filename().string();
        const int version = std::atoi(name.c_str());
        if (version > best && fs::exists(entry.path() / "bin" / "postgres", ec)) {
            best = version;
            bestDir = entry.path() / "bin";
        }
    }
    if (!bestDir.empty())
        return bestDir;
    if (const char *path = std::getenv("PATH")) {
        std::string_view rest(path);
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const fs::path dir(std::string(rest.substr(0, colon)));
            if (fs::exists(dir / "postgres", ec) && fs::exists(dir / "initdb", ec))
                return dir;
            rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        }
    }
    throw ClusterError("PostgreSQL's server programs (initdb, postgres) were not found; install the "
                       "postgresql package or set METERSCOPE_PG_BINDIR, or use --database");
}

bool EmbeddedCluster::timescaledbInstalled()
{
    std::error_code ec;
    const fs::path pgConfig = binDir() / "pg_config";
    if (!fs::exists(pgConfig, ec))
        return false;
    FILE *out = ::popen(("'" + pgConfig.string() + "' --pkglibdir --sharedir 2>/dev/null").c_str(), "r");
    if (!out)
        return false;
    char buffer[4096];
    std::vector<std::string> dirs;
    while (::fgets(buffer, sizeof buffer, out)) {
        std::string line(buffer);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.pop_back();
        dirs.push_back(line);
    }
    const bool ok = ::pclose(out) == 0 && dirs.size() == 2;
    return ok && fs::exists(fs::path(dirs[0]) / "timescaledb.so", ec)
           && fs::exists(fs::path(dirs[1]) / "extension" / "timescaledb.control", ec);
}

void EmbeddedCluster::start()
{
    resolveAccount();
    prepareDirectories();
    lockDataDir();
    initdbIfNeeded();
    clearStaleLock();
    launch();
    waitReady();
    ensureDatabase();
}

void EmbeddedCluster::resolveAccount()
{
    if (::geteuid() != 0)
        return;
    std::string user = m_options.clusterUser;
    if (user.empty()) {
        if (const char *env = std::getenv("METERSCOPE_CLUSTER_USER"); env && *env)
            user = env;
    }
    const std::vector<std::string> candidates
        = user.empty() ? std::vector<std::string>{"meterscope", "postgres"} : std::vector<std::string>{user};
    for (const std::string &name : candidates) {
        if (const passwd *pw = ::getpwnam(name.c_str()); pw && pw->pw_uid != 0) {
            m_dropPrivileges = true;
            m_uid = pw->pw_uid;
            m_gid = pw->pw_gid;
            m_user = name;
            MS_LOG(Info) << "running as root: the embedded PostgreSQL runs as user '" << name << "'";
            return;
        }
    }
    if (!user.empty())
        throw ClusterError("PostgreSQL refuses to run as root and the account '" + user
                           + "' does not exist (or is root); name an existing unprivileged account");
    throw ClusterError("meterscoped is running as root, and PostgreSQL refuses to run as root; create an "
                       "unprivileged account for it (useradd --system meterscope) or run meterscoped as an "
                       "ordinary user");
}

void EmbeddedCluster::prepareDirectories()
{
    const fs::path dir = m_options.dataDir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw ClusterError("cannot create the data directory " + dir.string() + " (" + ec.message()
                           + "); choose another --data-dir");
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw ClusterError("the data directory " + dir.string()
                           + " is not writable; fix its permissions or choose another --data-dir");
    const std::string socket = (m_pgdata / (".s.PGSQL." + std::to_string(kPort))).string();
    if (socket.size() >= 100)
        throw ClusterError("the data directory path " + dir.string()
                           + " is too long for PostgreSQL's Unix socket; choose a shorter --data-dir");
    if (!fs::exists(m_pgdata)) {
        fs::create_directory(m_pgdata, ec);
        if (ec)
            throw ClusterError("cannot create " + m_pgdata.string() + " (" + ec.message() + ")");
    }
    if (!m_dropPrivileges) {
        ::chmod(m_pgdata.c_str(), 0700);
        return;
    }
    if (::chown(m_pgdata.c_str(), m_uid, m_gid) != 0 || ::chmod(m_pgdata.c_str(), 0700) != 0)
        throw ClusterError("cannot hand " + m_pgdata.string() + " to user '" + m_user + "' (" + std::strerror(errno)
                           + ")");
    // Every parent folder must let the cluster's account through.
    const pid_t child = ::fork();
    if (child == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(m_gid) != 0 || ::setuid(m_uid) != 0)
            ::_exit(2);
        ::_exit(::access(m_pgdata.c_str(), R_OK | W_OK | X_OK) == 0 ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw ClusterError("PostgreSQL must run as user '" + m_user + "' (not root), which cannot reach "
                           + m_pgdata.string()
                           + "; choose a --data-dir that user can reach (such as "
                             "/var/lib/meterscope) or run meterscoped as an ordinary user");
}

void EmbeddedCluster::lockDataDir()
{
    if (m_lockFd >= 0)
        return;
    // Held for this process's lifetime: with it, any postmaster still
    // running in the folder can only be an orphan of a crashed server.
    const fs::path path = m_options.dataDir / "meterscoped.lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        throw ClusterError("cannot create " + path.string() + " (" + std::strerror(errno)
                           + "); choose another --data-dir");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        throw ClusterError("another meterscoped is already using the data directory " + m_options.dataDir.string()
                           + "; stop it or choose another --data-dir");
    }
    m_lockFd = fd;
}

int EmbeddedCluster::runAsClusterUser(const std::vector<std::string> &argv, bool toLog)
{
    const int logFd = toLog ? ::open(logFile().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child < 0)
        throw ClusterError(std::string("cannot start ") + argv[0] + ": " + std::strerror(errno));
    if (child == 0)
        execChild(argv, logFd, m_dropPrivileges, m_uid, m_gid, parent, false);
    if (logFd >= 0)
        ::close(logFd);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) { }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void EmbeddedCluster::initdbIfNeeded()
{
    std::error_code ec;
    if (fs::exists(m_pgdata / "PG_VERSION", ec))
        return;
    if (!fs::is_empty(m_pgdata, ec))
        throw ClusterError(m_pgdata.string()
                           + " exists but is not a PostgreSQL data directory; move it away or choose another "
                             "--data-dir");
    MS_LOG(Info) << "creating the embedded PostgreSQL cluster in " << m_pgdata.string();
    const int rc = runAsClusterUser({(binDir() / "initdb").string(), "-D", m_pgdata.string(), "-U", kSuperuser,
                                     "--auth=trust", "--encoding=UTF8", "--locale=C"},
                                    true);
    if (rc != 0) {
        // Leave an empty folder so the next start tries again from scratch.
        for (const auto &entry : fs::directory_iterator(m_pgdata, ec))
            fs::remove_all(entry.path(), ec);
        throw ClusterError("initdb failed (exit " + std::to_string(rc) + ") in " + m_pgdata.string() + ": " + logTail()
                           + " (full log: " + logFile().string() + ")");
    }
}

void EmbeddedCluster::clearStaleLock()
{
    const fs::path lock = m_pgdata / "postmaster.pid";
    std::ifstream in(lock);
    if (!in)
        return;
    pid_t pid = 0;
    in >> pid;
    in.close();
    std::error_code ec;
    const fs::path cwd = fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
    const bool ours = processAlive(pid) && !ec && fs::equivalent(cwd, m_pgdata, ec);
    if (!ours) {
        MS_LOG(Info) << "removing a stale postmaster.pid (pid " << pid << " is gone)";
        fs::remove(lock, ec);
        return;
    }
    // A postmaster of this folder survived its previous owner: stop it
    // cleanly, then start our own.
    MS_LOG(Warning) << "stopping an orphaned PostgreSQL (pid " << pid << ") left running in " << m_pgdata.string();
    for (const auto &[signal, seconds] : {std::pair{SIGINT, 30}, {SIGQUIT, 5}, {SIGKILL, 5}}) {
        ::kill(pid, signal);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (processAlive(pid) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (!processAlive(pid))
            break;
    }
    if (fs::exists(lock, ec) && !processAlive(pid))
        fs::remove(lock, ec);
}

void EmbeddedCluster::launch()
{
    std::vector<std::string> argv = {(binDir() / "postgres").string(),
                                     "-D",
                                     m_pgdata.string(),
                                     "-k",
                                     m_pgdata.string(),
                                     "-p",
                                     std::to_string(kPort),
                                     "-c",
                                     "listen_addresses=",
                                     "-c",
                                     "unix_socket_permissions=0700"};
    std::vector<std::string> settings = m_options.settings;
    if (m_options.preloadTimescaledb && timescaledbInstalled())
        settings.insert(settings.begin(), {"shared_preload_libraries=timescaledb", "timescaledb.telemetry_level=off"});
    for (const std::string &setting : settings) {
        argv.push_back("-c");
        argv.push_back(setting);
    }
    const int logFd = ::open(logFile().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child < 0)
        throw ClusterError(std::string("cannot start postgres: ") + std::strerror(errno));
    if (child == 0)
        execChild(argv, logFd, m_dropPrivileges, m_uid, m_gid, parent, true);
    if (logFd >= 0)
        ::close(logFd);
    m_pid = child;
}

void EmbeddedCluster::waitReady()
{
    const std::string conn = "host=" + quoteConnValue(m_pgdata.string()) + " port=" + std::to_string(kPort)
                             + " dbname=postgres user=" + kSuperuser + " connect_timeout=2";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    int attempts = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!running()) {
            // After a crash, the old backends may hold the shared memory for
            // a moment; PostgreSQL refuses to start until they are gone.
            if (++attempts < 20 && logTail().find("shared memory") != std::string::npos) {
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
                launch();
                continue;
            }
            throw ClusterError("PostgreSQL did not start in " + m_pgdata.string() + ": " + logTail()
                               + " (full log: " + logFile().string() + ")");
        }
        if (PQping(conn.c_str()) == PQPING_OK)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop();
    throw ClusterError("PostgreSQL did not become ready within 60 s in " + m_pgdata.string()
                       + " (log: " + logFile().string() + ")");
}

void EmbeddedCluster::ensureDatabase()
{
    const std::string conn = "host=" + quoteConnValue(m_pgdata.string()) + " port=" + std::to_string(kPort)
                             + " dbname=postgres user=" + kSuperuser;
    PGconn *pg = PQconnectdb(conn.c_str());
    std::string error;
    if (PQstatus(pg) != CONNECTION_OK) {
        error = PQerrorMessage(pg);
    } else {
        PGresult *exists = PQexec(pg, "SELECT 1 FROM pg_database WHERE datname = 'meterscope'");
        const bool missing = PQresultStatus(exists) == PGRES_TUPLES_OK && PQntuples(exists) == 0;
        PQclear(exists);
        if (missing) {
            PGresult *created = PQexec(pg, "CREATE DATABASE meterscope");
            if (PQresultStatus(created) != PGRES_COMMAND_OK)
                error = PQerrorMessage(pg);
            PQclear(created);
        }
    }
    PQfinish(pg);
    if (!error.empty())
        throw ClusterError("cannot create the meterscope database in the embedded cluster: " + error);
}

bool EmbeddedCluster::running()
{
    if (m_pid <= 0)
        return false;
    int status = 0;
    const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid || (r < 0 && errno == ECHILD)) {
        m_pid = 0;
        return false;
    }
    return true;
}

void EmbeddedCluster::stop(int timeoutSeconds)
{
    if (!running())
        return;
    for (const auto &[signal, seconds] : {std::pair{SIGINT, timeoutSeconds}, {SIGQUIT, 5}, {SIGKILL, 5}}) {
        ::kill(m_pid, signal);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (!running())
            return;
        MS_LOG(Warning) << "PostgreSQL did not stop in time; sending signal " << signal;
    }
}

std::string EmbeddedCluster::connectionString() const
{
    return "host=" + quoteConnValue(m_pgdata.string()) + " port=" + std::to_string(kPort) + " dbname=" + kDatabase
           + " user=" + kSuperuser;
}

std::string EmbeddedCluster::connectionUri() const
{
    return std::string("postgresql://") + kSuperuser + "@/" + kDatabase + "?host=" + percentEncode(m_pgdata.string())
           + "&port=" + std::to_string(kPort);
}

std::string EmbeddedCluster::logTail() const
{
    // The last few lines are what explains a failed start; the log itself
    // may have grown over months.
    std::ifstream in(logFile(), std::ios::binary | std::ios::ate);
    const std::streamoff size = in.tellg();
    in.seekg(std::max<std::streamoff>(0, size - 4096));
    std::string line, last;
    std::vector<std::string> lines;
    while (std::getline(in, line)) {
        if (!line.empty())
            lines.push_back(line);
    }
    const std::size_t from = lines.size() > 3 ? lines.size() - 3 : 0;
    for (std::size_t i = from; i < lines.size(); ++i)
        last += (last.empty() ? "" : " | ") + lines[i];
    return last.empty() ? std::string("no output") : last;
}

} // namespace meterscope::storage
