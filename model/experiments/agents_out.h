// `careabm run --agents-out YEAR,...`: the workers of the asked years, streamed to the
// output file a replication at a time (analysis/README.md, "Output layouts"):
// /agents/<year>/<column> along the dimension /agents/<year>/agent_<year>, the
// replications one after the other in replication order, whatever order they finish
// in. Only the replications that finished before an earlier one are held in memory.
//
//   AgentsOut agents(file, p);                 // creates the (empty) columns
//   ... add(r, result.agents) from each replication's thread as it finishes ...
//   agents.finish();                           // every replication is in
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "core/run_result.h"
#include "io/h5_writer.h"
#include "scenario/params.h"

namespace careabm::experiments {

class AgentsOut {
 public:
  AgentsOut(io::H5Writer& out, const Params& p);
  ~AgentsOut();

  // Replication r's snapshots (one per year of p.agents_out, in that order). Safe to
  // call from several threads; the one whose replication is next writes it and any
  // that wait behind it, the others return at once.
  void add(int replication, std::vector<AgentSnapshot> snapshots);
  // Checks that replications 0..R-1 are all written and closes the columns.
  void finish(int replications);

 private:
  void write(int replication, const std::vector<AgentSnapshot>& snapshots);

  std::vector<int> years_;
  std::vector<std::unique_ptr<io::H5Columns>> tables_;  // one per year
  std::mutex mutex_;
  std::map<int, std::vector<AgentSnapshot>> waiting_;  // finished before their turn
  int next_ = 0;
  bool writing_ = false;
};

}  // namespace careabm::experiments
