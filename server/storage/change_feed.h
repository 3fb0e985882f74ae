#pragma once

#include "storage/database.h"
#include "time/micros.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pqxx {
class transaction_base;
}

namespace meterscope::storage {

/// What a committed change did to a series.
enum class ChangeKind {
    Points,  ///< points in [first, last] were inserted or updated
    Removed, ///< points in [first, last] were deleted
    Deleted, ///< the series is gone
    Renamed, ///< the series has another name now
};

/// One committed change of a series by transaction `xid`.
struct Change {
    std::int32_t seriesId = 0;
    timeutil::Micros first = 0;
    timeutil::Micros last = 0;
    std::uint64_t xid = 0;
    ChangeKind kind = ChangeKind::Points;
    /// Renamed: the name it has now.
    std::string newName;
};

/// Sends the news of a change to every server's change feed, delivered when
/// `txn` commits (with its transaction id). `newName`: for Renamed.
void notifyChange(pqxx::transaction_base &txn, std::int32_t seriesId, timeutil::Micros first, timeutil::Micros last,
                  ChangeKind kind = ChangeKind::Points, const std::string &newName = {});

/// A PostgreSQL snapshot ("xmin:xmax:xip,..."): tells whether a
/// transaction's changes were visible to a read that used it.
class Snapshot {
public:
    Snapshot() = default;
    /// Parses pg_current_snapshot()'s text form.
    explicit Snapshot(const std::string &text);
    bool sees(std::uint64_t xid) const;

private:
    std::uint64_t m_xmin = 0;
    std::uint64_t m_xmax = 0;
    std::vector<std::uint64_t> m_inProgress;
};

/// The snapshots of a read done in pages (a Subscribe backfill), each with
/// the times its page covered: which part of a change the read already
/// carried. A snapshot sees a committed transaction from some page on, so
/// the pages that did not see a change come first.
class ReadSnapshots {
public:
    /// A page read with `snapshot` covered the times up to `upTo`
    /// (inclusive; none = everything after the pages before).
    void add(std::optional<timeutil::Micros> upTo, Snapshot snapshot);

    /// The part [first, last] of `change` the read did not carry (with no
    /// page recorded: all of it); none when the read carried all of it.
    std::optional<std::pair<timeutil::Micros, timeutil::Micros>> unseen(const Change &change) const;

private:
    struct Page {
        std::optional<timeutil::Micros> upTo;
        Snapshot snapshot;
    };
    std::vector<Page> m_pages;
};

/// What one subscriber has been told and not yet handled. Bounded: a
/// subscriber that falls more than `maxPending` changes behind is marked
/// overflowed instead of buffering without end.
class Subscription {
public:
    /// `onOverflow` runs (on the feed's thread) the moment the subscriber
    /// falls too far behind, so a subscriber blocked on its client can be
    /// ended at once.
    Subscription(std::int32_t seriesId, std::size_t maxPending, std::function<void()> onOverflow = {})
        : m_seriesId(seriesId)
        , m_maxPending(maxPending)
        , m_onOverflow(std::move(onOverflow))
    {
    }
    std::int32_t seriesId() const { return m_seriesId; }
    std::size_t maxPending() const { return m_maxPending; }
    /// Changes told and not yet handled.
    std::size_t pending();

    enum class Wait { Changes, Timeout, Overflowed, Closed, Resync };

    /// Waits up to `timeout` for news; on Changes moves them into `out`.
    /// Resync means notifications may have been lost (the feed reconnected):
    /// re-read everything after the last point sent.
    Wait wait(std::chrono::milliseconds timeout, std::vector<Change> &out);

private:
    friend class ChangeFeed;
    /// True when this change made it overflow.
    bool push(const Change &change);
    void resync();
    void close();

    std::int32_t m_seriesId;
    std::size_t m_maxPending;
    std::function<void()> m_onOverflow;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Change> m_pending;
    bool m_overflowed = false;
    bool m_resync = false;
    bool m_closed = false;
};

/// The "new points" news of every server sharing the database: one LISTEN
/// connection per process, fanned out to the subscriptions in it. Imports
/// send the news with pg_notify inside their transaction, so it arrives
/// only once they commit.
class ChangeFeed {
public:
    static constexpr const char *kChannel = "meterscope_points";

    /// `maxPending`: how many changes a subscriber may fall behind.
    ChangeFeed(Database &db, std::size_t maxPending = 1024);
    ~ChangeFeed();

    /// Starts listening (in a thread of its own). Throws Unavailable.
    void start();
    /// Ends every subscription (Closed) and stops listening.
    void close();

    /// Registers a subscriber before it reads its backfill, so nothing
    /// committed after that read can be missed. `onOverflow`: see
    /// Subscription; it never runs once unsubscribe() returned.
    std::shared_ptr<Subscription> subscribe(std::int32_t seriesId, std::function<void()> onOverflow = {});
    void unsubscribe(const std::shared_ptr<Subscription> &subscription);

    /// How many changes a subscriber may fall behind.
    std::size_t maxPending() const { return m_maxPending; }

    /// How many subscriptions are open (for tests and logs).
    std::size_t subscribers();

    /// The subscribers now: how many, how far the slowest is behind (in
    /// changes not yet handled), and how many were ended for lagging.
    struct Stats {
        std::size_t subscribers = 0;
        std::size_t maxLag = 0;
        std::uint64_t overflowed = 0;
    };
    Stats stats();

private:
    void run();
    void dispatch(const std::string &payload);
    void forEach(const std::function<void(Subscription &)> &action);

    Database &m_db;
    std::size_t m_maxPending;
    std::atomic<std::uint64_t> m_overflowed{0};
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::multimap<std::int32_t, std::weak_ptr<Subscription>> m_subscriptions;
    bool m_closed = false;
};

} // namespace meterscope::storage
