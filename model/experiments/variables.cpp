#include "experiments/variables.h"

#include <stdexcept>

namespace careabm::experiments {

namespace {
const std::vector<std::string> kCellDims = {"year", "subregion", "branch", "occupation"};
const std::vector<std::string> kFlowDims = {"year", "subregion", "branch", "occupation", "flow"};
const std::vector<std::string> kProgrammeDims = {"year", "programme"};
const std::vector<std::string> kWorkplaceDims = {"year", "subregion", "branch"};
const std::vector<std::string> kClientDims = {"year", "subregion", "need", "setting"};
const std::vector<std::string> kSubregionDims = {"year", "subregion"};
const std::vector<std::string> kInterventionDims = {"year", "intervention"};
}  // namespace

std::vector<VariableSpec> output_variables(const Params& p) {
  using R = RunResult;
  std::vector<VariableSpec> v = {
      {"workforce", "headcount", kCellDims, &R::headcount, "1",
       "active workers at the end of the year (upgrading workers included; reserve and trainees not)",
       "active workers"},
      {"workforce", "reserve", kCellDims, &R::reserve, "1",
       "qualified people out of the sector who may return (stille reserve), by their last cell",
       "reserve: qualified people out of the sector"},
      {"workforce", "self_employed", kCellDims, &R::self_employed, "1",
       "active self-employed workers (included in headcount)", "active self-employed workers"},
      {"workforce", "flows", kFlowDims, &R::flows, "1",
       "flows during the year, in.* into and out.* out of the cell",
       "workers moving in or out during the year"},
      {"workforce", "fte", kCellDims, &R::fte, "1",
       "supply: contract hours / full-time hours x (1 - sickness absence), active workers, plus the "
       "working share of BBL trainees",
       "supply in full-time equivalents"},
      {"workforce", "trainee_fte", kCellDims, &R::trainee_fte, "1",
       "working share of BBL trainees (included in /workforce/fte)",
       "BBL trainees' supply in full-time equivalents"},
      {"demand", "fte", kCellDims, &R::demand, "1",
       "demand for workers (client-driven in the nursing-home and home-care branches when the scenario "
       "has clients; calibrated to base-year supply x (1 + vacancy ratio))",
       "demand in full-time equivalents"},
      {"shortage", "fte", kCellDims, &R::shortage_fte, "1", "demand - supply (negative = surplus)",
       "shortage in full-time equivalents"},
      {"shortage", "persons", kCellDims, &R::shortage_persons, "1",
       "shortage in FTE / FTE per worker of the cell", "shortage in persons"},
      {"shortage", "unfilled", kCellDims, &R::unfilled, "1",
       "max(0, shortage/persons): the demand no one fills (summed over cells, surpluses do not offset it)",
       "unfilled demand in persons"},
      {"shortage", "surplus", kCellDims, &R::surplus, "1", "max(0, -shortage/persons)", "surplus in persons"},
  };
  if (p.training.enabled()) {
    v.push_back({"training", "enrolled", kProgrammeDims, &R::enrolled, "1",
                 "new trainees during the year (upgrading workers included)",
                 "new trainees during the year"});
    v.push_back({"training", "graduates", kProgrammeDims, &R::graduates, "1",
                 "graduates during the year, whether or not they enter the region's care sector",
                 "graduates during the year"});
    v.push_back({"training", "dropouts", kProgrammeDims, &R::dropouts, "1",
                 "trainees who stopped during the year (upgrading workers who left the sector included)",
                 "dropouts during the year"});
    v.push_back({"training", "students", kProgrammeDims, &R::students, "1",
                 "trainees studying at the end of the year: students[y] = students[y-1] + enrolled - "
                 "graduates - dropouts",
                 "trainees studying"});
    if (p.training.supervision.enabled) {
      v.push_back({"training", "supervision_ratio", kWorkplaceDims, &R::supervision_ratio, "1",
                   "trainees needing supervision per supervision place at the end of the year (> 1: over "
                   "capacity, dropout rises; inf: trainees, no places)",
                   "trainees per supervision place"});
    }
  }
  if (p.clients.enabled) {
    v.push_back({"clients", "count", kClientDims, &R::clients, "1",
                 "clients at the end of the year by need level and setting", "clients"});
    v.push_back({"clients", "waiting", kSubregionDims, &R::waiting, "1",
                 "clients waiting at home (full package) for a nursing-home place at the end of the year",
                 "clients waiting for a nursing-home place"});
    v.push_back({"clients", "capacity", kSubregionDims, &R::places, "1", "nursing-home places",
                 "nursing-home places"});
    v.push_back({"clients", "new", kSubregionDims, &R::clients_new, "1", "new clients during the year",
                 "new clients during the year"});
    v.push_back({"clients", "deaths", kSubregionDims, &R::clients_deaths, "1",
                 "clients who died during the year: count[y] = count[y-1] + new - deaths",
                 "deaths of clients during the year"});
    v.push_back({"clients", "informal_share", kSubregionDims, &R::informal_share, "1",
                 "share of home-care demand covered by informal care",
                 "share of home-care demand covered by informal care"});
  }
  if (!p.interventions.empty()) {
    v.push_back(
        {"interventions", "units", kInterventionDims, &R::intervention_units, "1",
         "units of each intervention in the year, the unit of its cost_per_unit (scenarios/README.md)",
         "units of each intervention"});
    v.push_back({"interventions", "cost", kInterventionDims, &R::intervention_cost, "1",
                 "cost of each intervention in the year: units x cost_per_unit",
                 "intervention cost in euros"});
  }
  return v;
}

std::vector<std::string> dimension_labels(const Params& p, const std::string& dim) {
  if (dim == "year") {
    std::vector<std::string> years;
    for (int y = p.start_year; y <= p.end_year; ++y) years.push_back(std::to_string(y));
    return years;
  }
  if (dim == "subregion") return p.cat.subregions;
  if (dim == "branch") return p.cat.branches;
  if (dim == "occupation") return p.cat.occupations;
  if (dim == "flow") return flow_labels();
  if (dim == "need") return p.clients.needs;
  if (dim == "setting") return p.clients.settings;
  if (dim == "programme") {
    std::vector<std::string> names;
    for (const auto& g : p.training.programmes) names.push_back(g.name);
    return names;
  }
  if (dim == "intervention") {
    std::vector<std::string> names;
    for (const auto& v : p.interventions) names.push_back(v.name);
    return names;
  }
  throw std::invalid_argument("unknown dimension " + dim);
}

}  // namespace careabm::experiments
