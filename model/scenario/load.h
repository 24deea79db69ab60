// From a scenario document to validated parameters.
#pragma once

#include "scenario/document.h"
#include "scenario/params.h"

namespace careabm::scenario {

// Reads and validates every key; throws InputError (file, line, key) on the first problem,
// including keys that the format does not know.
Params load_params(const Document& doc);

}  // namespace careabm::scenario
