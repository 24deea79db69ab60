#include "experiments/agents_out.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/interrupt.h"
#include "io/cf.h"

namespace careabm::experiments {

namespace {

using Type = io::H5Columns::Type;

// A column of the microdata: its name, type, what it holds and, for a coded column,
// the meaning of each code (CF flag_values 0..n-1 with flag_meanings).
struct ColumnSpec {
  const char* name;
  Type type;
  const char* long_name;
  const char* units;
  std::string description;
  std::vector<std::string> codes;
};

// Column names differ from every dimension's name ("subregion_code", not "subregion"),
// which netCDF readers such as R's ncdf4 require.
std::vector<ColumnSpec> columns(const Params& p) {
  return {
      {"replication_index", Type::int32, "replication", "1", "replication the agent belongs to", {}},
      {"uid",
       Type::int64,
       "agent uid",
       "1",
       "agent uid (derived from its origin; stable across scenarios)",
       {}},
      {"state",
       Type::int8,
       "worker state",
       "1",
       "0 active, 1 in upgrade training, 2 reserve",
       {"active", "in_upgrade_training", "reserve"}},
      {"subregion_code", Type::int32, "subregion", "1", "index into /subregion", p.cat.subregions},
      {"branch_code", Type::int32, "branch", "1", "index into /branch", p.cat.branches},
      {"occupation_code", Type::int32, "occupation (the job held)", "1",
       "index into /occupation: the job held", p.cat.occupations},
      {"qualification_code", Type::int32, "qualification", "1",
       "index into /occupation: the occupation the worker is qualified for", p.cat.occupations},
      {"age", Type::int32, "age", "year", "age in years", {}},
      {"female", Type::int8, "sex", "1", "1 female, 0 male", {"male", "female"}},
      {"tenure", Type::int32, "years in the sector", "year", "years in the sector", {}},
      {"years_in_reserve",
       Type::int32,
       "years since leaving the sector",
       "year",
       "years since leaving (reserve members; 0 for the others)",
       {}},
      {"employment",
       Type::int8,
       "employment type",
       "1",
       "0 employee, 1 self-employed",
       {"employee", "self_employed"}},
      {"hours", Type::float64, "contract hours per week", "h week-1", "contract hours per week", {}},
  };
}

}  // namespace

AgentsOut::AgentsOut(io::H5Writer& out, const Params& p, int max_waiting)
    : years_(p.agents_out), max_waiting_(std::max(1, max_waiting)) {
  for (const int year : years_) {
    const std::string group = "/agents/" + std::to_string(year);
    auto table = std::make_unique<io::H5Columns>(out, group, "agent_" + std::to_string(year));
    for (const ColumnSpec& c : columns(p)) {
      table->add(c.name, c.type);
      const std::string path = table->path(c.name);
      io::cf::describe(out, path, c.long_name, c.units);
      out.attr(path, "description", c.description);
      if (!c.codes.empty()) io::cf::flags(out, path, c.codes, c.type == Type::int8);
    }
    tables_.push_back(std::move(table));
  }
}

AgentsOut::~AgentsOut() = default;

void AgentsOut::add(int replication, std::vector<AgentSnapshot> snapshots) {
  std::unique_lock lock(mutex_);
  // The next replication never waits (the writer needs it); later ones wait for room.
  // Replications start in order, so the next one is always running or already here.
  room_.wait(lock, [&] {
    return replication == next_ || abandoned_ || static_cast<int>(waiting_.size()) < max_waiting_;
  });
  waiting_.emplace(replication, std::move(snapshots));
  if (writing_) return;  // the thread writing now takes this one too when its turn comes
  writing_ = true;
  try {
    for (auto next = waiting_.find(next_); next != waiting_.end(); next = waiting_.find(next_)) {
      const std::vector<AgentSnapshot> ready = std::move(next->second);
      waiting_.erase(next);
      room_.notify_all();
      lock.unlock();  // other replications finish (and queue) while this one is written
      write(next_, ready);
      lock.lock();
      ++next_;
      room_.notify_all();
    }
  } catch (...) {
    if (!lock.owns_lock()) lock.lock();
    writing_ = false;
    abandoned_ = true;  // nothing more is written: release the threads waiting for room
    room_.notify_all();
    throw;
  }
  writing_ = false;
}

void AgentsOut::abandon() {
  const std::lock_guard lock(mutex_);
  abandoned_ = true;
  room_.notify_all();
}

void AgentsOut::write(int replication, const std::vector<AgentSnapshot>& snapshots) {
  if (snapshots.size() != years_.size())
    throw std::logic_error("agents-out: snapshots do not match the years");
  for (std::size_t k = 0; k < years_.size(); ++k) {
    throw_if_interrupted();  // a signal while writing stops here, and the temporary file goes
    const AgentSnapshot& a = snapshots[k];
    io::H5Columns& t = *tables_[k];
    const std::vector<std::int32_t> index(a.uid.size(), static_cast<std::int32_t>(replication));
    t.append("replication_index", std::span<const std::int32_t>(index));
    t.append("uid", std::span<const std::int64_t>(a.uid));
    t.append("state", std::span<const std::int8_t>(a.state));
    t.append("subregion_code", std::span<const std::int32_t>(a.subregion));
    t.append("branch_code", std::span<const std::int32_t>(a.branch));
    t.append("occupation_code", std::span<const std::int32_t>(a.occupation));
    t.append("qualification_code", std::span<const std::int32_t>(a.qualification));
    t.append("age", std::span<const std::int32_t>(a.age));
    t.append("female", std::span<const std::int8_t>(a.female));
    t.append("tenure", std::span<const std::int32_t>(a.tenure));
    t.append("years_in_reserve", std::span<const std::int32_t>(a.years_in_reserve));
    t.append("employment", std::span<const std::int8_t>(a.employment));
    t.append("hours", std::span<const double>(a.hours));
  }
}

void AgentsOut::finish(int replications) {
  const std::lock_guard lock(mutex_);
  if (next_ != replications || !waiting_.empty() || writing_)
    throw std::logic_error("agents-out: " + std::to_string(next_) + " of " + std::to_string(replications) +
                           " replications written");
  for (auto& table : tables_) table->finish();
}

}  // namespace careabm::experiments
