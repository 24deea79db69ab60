// The memory check every command that simulates makes before it starts
// (experiments/memory.h), with the command line's own names for what it overrides.
#pragma once

#include "cli/options.h"
#include "experiments/memory.h"

namespace careabm::cli {

// Throws InputError when `estimate` exceeds --max-memory (default: the machine's
// memory). A replication count that came from -r is blamed on -r, not on the
// override careabm made of it.
void require_memory(experiments::MemoryEstimate estimate, const Options& o);

}  // namespace careabm::cli
