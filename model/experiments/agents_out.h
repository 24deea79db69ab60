// `careabm run --agents-out YEAR,...`: the workers of the asked years, streamed to the
// output file a replication at a time (analysis/README.md, "Output layouts"):
// /agents/<year>/<column> along the dimension /agents/<year>/agent_<year>, the
// replications one after the other in replication order, whatever order they finish
// in. Only the replications that finished before an earlier one are held in memory,
// and at most `max_waiting` of them: a thread whose replication would be one more
// waits (simulating nothing) until the writer has taken one, so memory stays bounded
// however slow compression is against many simulating threads.
//
//   AgentsOut agents(file, p, threads);        // creates the (empty) columns
//   ... add(r, result.agents) from each replication's thread as it finishes ...
//   agents.finish();                           // every replication is in
#pragma once

#include <condition_variable>
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
  // max_waiting: finished replications held at most, waiting for their turn (>= 1).
  AgentsOut(io::H5Writer& out, const Params& p, int max_waiting);
  ~AgentsOut();

  // Replication r's snapshots (one per year of p.agents_out, in that order). Safe to
  // call from several threads; the one whose replication is next writes it and any
  // that wait behind it, the others return at once (or first wait for room, see above).
  void add(int replication, std::vector<AgentSnapshot> snapshots);
  // A replication failed, so the run is ending: no add() waits for room any more.
  void abandon();
  // Checks that replications 0..R-1 are all written and closes the columns.
  void finish(int replications);

 private:
  void write(int replication, const std::vector<AgentSnapshot>& snapshots);

  std::vector<int> years_;
  std::vector<std::unique_ptr<io::H5Columns>> tables_;  // one per year
  int max_waiting_;
  std::mutex mutex_;
  std::condition_variable room_;  // a waiting replication was taken, or next_ moved on
  bool abandoned_ = false;
  std::map<int, std::vector<AgentSnapshot>> waiting_;  // finished before their turn
  int next_ = 0;
  bool writing_ = false;
};

}  // namespace careabm::experiments
