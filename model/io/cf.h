// The attributes of the CF conventions (CF-1.8) that careabm's outputs carry, so that
// xarray, ncdump, R's ncdf4 and CF tools label and interpret every variable:
// long_name (what is counted), units (a UDUNITS-2 string: counts of persons and FTE
// are "1", durations "year"; analysis/README.md, "Units and CF attributes"), and on coded columns
// flag_values with flag_meanings.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/h5_writer.h"

namespace careabm::io::cf {

// The root attribute `Conventions`.
inline constexpr std::string_view kConventions = "CF-1.8";

// long_name and units of the variable (or coordinate) at path.
void describe(H5Writer& out, const std::string& path, std::string_view long_name, std::string_view units);

// Values of scenario keys along a `parameter` axis (a sweep's /design and /parameter_bounds, the
// drawn /uncertainty/... values) keep each key's own units, which differ from key to key; CF gives
// a variable one units, and "1" would call them dimensionless, so these variables have long_name
// and no units. Their description says so with kParameterUnits.
void parameter_values(H5Writer& out, const std::string& path, std::string_view long_name);
inline constexpr std::string_view kParameterUnits =
    "each parameter's column keeps the units of its scenario key (no units attribute: they differ between keys)";

// flag_values 0..meanings.size()-1 (in the type of the variable) and flag_meanings,
// the meanings joined by blanks, each made of CF's characters (letters, digits and
// _-.+@; any other character becomes '_').
void flags(H5Writer& out, const std::string& path, const std::vector<std::string>& meanings, bool int8);
std::string flag_meanings(const std::vector<std::string>& meanings);

}  // namespace careabm::io::cf
