#pragma once

#include <stdexcept>

namespace meterscope::storage {

/// The database cannot be reached or went away; retrying later may work.
class Unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A series (or other named thing) that does not exist.
class NotFound : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A request that cannot be served as asked (bad range, bad name).
class InvalidRequest : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A change that would clash with what is stored (a name already taken).
class Conflict : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace meterscope::storage
