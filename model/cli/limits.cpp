#include "cli/limits.h"

namespace careabm::cli {

void require_memory(experiments::MemoryEstimate estimate, const Options& o) {
  if (estimate.key == "run.replications" && estimate.file == "--set") {
    for (const char* name : {"-r", "--replications"}) {
      if (o.value(name)) estimate.key = name, estimate.file.clear(), estimate.line = 0;
    }
  }
  experiments::require_memory(estimate, experiments::memory_limit(max_memory_option(o)));
}

}  // namespace careabm::cli
