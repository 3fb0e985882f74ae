#include "storage/change_feed.h"

#include "logging/log.h"
#include "storage/pg_connection.h"
#include "storage/errors.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace meterscope::storage {

namespace {

// How a notification names the kind of its change; Points says nothing, as
// before kinds existed.
constexpr std::pair<ChangeKind, const char *> kKindWords[] = {
    {ChangeKind::Removed, "removed"},
    {ChangeKind::Deleted, "deleted"},
    {ChangeKind::Renamed, "renamed"},
};

} // namespace

void notifyChange(pqxx::transaction_base &txn, std::int32_t seriesId, timeutil::Micros first, timeutil::Micros last,
                  ChangeKind kind, const std::string &newName)
{
    // "<series> <first> <last> <xid>[ <kind>[ <new name>]]": the xid lets a
    // subscriber tell whether its backfill snapshot already saw this change.
    std::string word;
    for (const auto &[k, w] : kKindWords) {
        if (k == kind)
            word = std::string(" ") + w;
    }
    if (kind == ChangeKind::Renamed)
        word += " " + newName;
    txn.exec_params("SELECT pg_notify($1, $2 || ' ' || pg_current_xact_id()::text || $3)", ChangeFeed::kChannel,
                    std::to_string(seriesId) + " " + std::to_string(first) + " " + std::to_string(last), word);
}

Snapshot::Snapshot(const std::string &text)
{
    const char *p = text.data();
    const char *end = p + text.size();
    p = std::from_chars(p, end, m_xmin).ptr + 1;
    p = std::from_chars(p, end, m_xmax).ptr + 1;
    while (p < end) {
        std::uint64_t xid = 0;
        p = std::from_chars(p, end, xid).ptr + 1;
        m_inProgress.push_back(xid);
    }
}

bool Snapshot::sees(std::uint64_t xid) const
{
    if (xid < m_xmin)
        return true;
    if (xid >= m_xmax)
        return false;
    return std::find(m_inProgress.begin(), m_inProgress.end(), xid) == m_inProgress.end();
}

void ReadSnapshots::add(std::optional<timeutil::Micros> upTo, Snapshot snapshot)
{
    m_pages.push_back({upTo, std::move(snapshot)});
}

std::optional<std::pair<timeutil::Micros, timeutil::Micros>> ReadSnapshots::unseen(const Change &change) const
{
    if (m_pages.empty())
        return std::pair{change.first, change.last};
    // The last page that did not see the change bounds what must be sent
    // again; should snapshots ever not grow monotonically, this sends more,
    // never less.
    const auto blind = std::find_if(m_pages.rbegin(), m_pages.rend(),
                                    [&](const Page &page) { return !page.snapshot.sees(change.xid); });
    if (blind == m_pages.rend())
        return std::nullopt;
    if (!blind->upTo)
        return std::pair{change.first, change.last};
    if (change.first > *blind->upTo)
        return std::nullopt;
    return std::pair{change.first, std::min(change.last, *blind->upTo)};
}

Subscription::Wait Subscription::wait(std::chrono::milliseconds timeout, std::vector<Change> &out)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait_for(lock, timeout, [&] { return !m_pending.empty() || m_overflowed || m_closed || m_resync; });
    if (m_closed)
        return Wait::Closed;
    if (m_overflowed)
        return Wait::Overflowed;
    if (m_resync) {
        m_resync = false;
        m_pending.clear();
        return Wait::Resync;
    }
    if (m_pending.empty())
        return Wait::Timeout;
    out.assign(m_pending.begin(), m_pending.end());
    m_pending.clear();
    return Wait::Changes;
}

std::size_t Subscription::pending()
{
    std::lock_guard lock(m_mutex);
    return m_pending.size();
}

bool Subscription::push(const Change &change)
{
    bool overflowed = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_overflowed)
            return false;
        if (m_pending.size() >= m_maxPending)
            overflowed = m_overflowed = true;
        else
            m_pending.push_back(change);
    }
    m_changed.notify_one();
    if (overflowed && m_onOverflow)
        m_onOverflow();
    return overflowed;
}

void Subscription::resync()
{
    {
        std::lock_guard lock(m_mutex);
        m_resync = true;
    }
    m_changed.notify_one();
}

void Subscription::close()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_changed.notify_one();
}

namespace {

class Receiver final : public pqxx::notification_receiver {
public:
    Receiver(pqxx::connection_base &conn, std::function<void(const std::string &)> handler)
        : pqxx::notification_receiver(conn, ChangeFeed::kChannel)
        , m_handler(std::move(handler))
    {
    }
    void operator()(const std::string &payload, int) override { m_handler(payload); }

private:
    std::function<void(const std::string &)> m_handler;
};

} // namespace

ChangeFeed::ChangeFeed(Database &db, std::size_t maxPending)
    : m_db(db)
    , m_maxPending(maxPending)
{
}

ChangeFeed::~ChangeFeed()
{
    close();
}

void ChangeFeed::start()
{
    m_thread = std::thread([this] { run(); });
}

void ChangeFeed::close()
{
    forEach([](Subscription &s) { s.close(); });
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

void ChangeFeed::run()
{
    auto backoff = std::chrono::milliseconds(100);
    bool lost = false;
    while (!m_stop) {
        try {
            std::unique_ptr<PgConnection> conn = m_db.connect();
            Receiver receiver(*conn, [this](const std::string &payload) { dispatch(payload); });
            // The LISTEN is in place now; what was committed while it was not
            // must be picked up by re-reading.
            if (lost) {
                MS_LOG(Info) << "change feed reconnected; subscribers catch up";
                forEach([](Subscription &s) { s.resync(); });
            }
            backoff = std::chrono::milliseconds(100);
            while (!m_stop)
                conn->await_notification(0, 200000);
        } catch (const std::exception &e) {
            if (!lost)
                MS_LOG(Warning) << "change feed lost its database connection (" << e.what() << "); retrying";
            lost = true;
            for (auto waited = std::chrono::milliseconds(0); waited < backoff && !m_stop;
                 waited += std::chrono::milliseconds(50))
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
        }
    }
}

void ChangeFeed::dispatch(const std::string &payload)
{
    Change change;
    std::istringstream in(payload);
    std::string word;
    if (!(in >> change.seriesId >> change.first >> change.last >> change.xid)) {
        MS_LOG(Warning) << "ignoring a malformed change notification '" << payload << "'";
        return;
    }
    if (in >> word) {
        const auto known = std::find_if(std::begin(kKindWords), std::end(kKindWords),
                                        [&](const auto &entry) { return word == entry.second; });
        if (known == std::end(kKindWords)) {
            MS_LOG(Warning) << "ignoring a change notification of unknown kind '" << payload << "'";
            return;
        }
        change.kind = known->first;
        if (change.kind == ChangeKind::Renamed) {
            in.get();
            std::getline(in, change.newName, '\0');
        }
    }
    std::lock_guard lock(m_mutex);
    const auto [begin, end] = m_subscriptions.equal_range(change.seriesId);
    for (auto it = begin; it != end; ++it) {
        if (const std::shared_ptr<Subscription> s = it->second.lock(); s && s->push(change))
            ++m_overflowed;
    }
}

void ChangeFeed::forEach(const std::function<void(Subscription &)> &action)
{
    std::lock_guard lock(m_mutex);
    for (auto &[id, weak] : m_subscriptions) {
        if (const std::shared_ptr<Subscription> s = weak.lock())
            action(*s);
    }
}

std::shared_ptr<Subscription> ChangeFeed::subscribe(std::int32_t seriesId, std::function<void()> onOverflow)
{
    auto subscription = std::make_shared<Subscription>(seriesId, m_maxPending, std::move(onOverflow));
    std::lock_guard lock(m_mutex);
    if (m_closed)
        subscription->close();
    m_subscriptions.emplace(seriesId, subscription);
    return subscription;
}

void ChangeFeed::unsubscribe(const std::shared_ptr<Subscription> &subscription)
{
    std::lock_guard lock(m_mutex);
    const auto [begin, end] = m_subscriptions.equal_range(subscription->seriesId());
    for (auto it = begin; it != end;) {
        const std::shared_ptr<Subscription> s = it->second.lock();
        it = (!s || s == subscription) ? m_subscriptions.erase(it) : std::next(it);
    }
}

std::size_t ChangeFeed::subscribers()
{
    std::lock_guard lock(m_mutex);
    return m_subscriptions.size();
}

ChangeFeed::Stats ChangeFeed::stats()
{
    Stats stats;
    forEach([&](Subscription &s) {
        ++stats.subscribers;
        stats.maxLag = std::max(stats.maxLag, s.pending());
    });
    stats.overflowed = m_overflowed;
    return stats;
}

} // namespace meterscope::storage
