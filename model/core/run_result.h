// The aggregates of one replication: stocks and flows per
// (year, subregion, branch, occupation), laid out as in the HDF5 contract.
#pragma once

#include <cstdint>
#include <vector>

#include "core/flows.h"

namespace careabm {

// Agent microdata at the end of one year (`careabm run --agents-out YEAR,...`):
// one entry per worker in the store (active, upgrading or reserve), as columns.
struct AgentSnapshot {
  int year = 0;
  std::vector<std::int64_t> uid;
  std::vector<std::int8_t> state, employment, female;  // state: WorkerState; employment: Employment
  std::vector<std::int32_t> subregion, branch, occupation, qualification, age, tenure, years_in_reserve;
  std::vector<double> hours;
};

struct RunResult {
  int years = 0, cells = 0;
  std::vector<std::int64_t> headcount;      // [year][cell]: active workers
  std::vector<std::int64_t> reserve;        // [year][cell]: qualified, out of the sector, may return
  std::vector<std::int64_t> self_employed;  // [year][cell]: active self-employed workers
  std::vector<double> fte;                  // [year][cell]: supply
  std::vector<std::int64_t> flows;          // [year][cell][flow]
  std::vector<double> demand;               // [year][cell]
  std::vector<double> shortage_fte;         // [year][cell]: demand - supply
  std::vector<double> shortage_persons;     // [year][cell]: shortage_fte / FTE per person in the cell
  std::vector<double> unfilled;             // [year][cell]: max(0, shortage_persons): demand no one fills
  std::vector<double> surplus;              // [year][cell]: max(0, -shortage_persons)
  std::vector<double> trainee_fte;          // [year][cell]: working share of BBL trainees (in fte too)

  // Training (sized by size_training): [year][programme] and [year][subregion][branch].
  int programmes = 0, workplaces = 0;
  std::vector<std::int64_t> enrolled;   // new trainees during the year
  std::vector<std::int64_t> graduates;  // graduated during the year (entering the sector or not)
  std::vector<std::int64_t> dropouts;   // dropped out during the year (upgraders leaving the sector included)
  std::vector<std::int64_t> students;   // studying at the end of the year
  std::vector<double> supervision_ratio;  // trainees per supervision place, end of the year
  std::vector<double> supervision_trainees, supervision_places;  // the ratio's parts (not in the output file)

  // Clients (sized by size_clients): [year][subregion][need][setting] and [year][subregion].
  int subregions = 0, needs = 0, settings = 0;
  std::vector<std::int64_t> clients;
  std::vector<std::int64_t> clients_new, clients_deaths, waiting, places;
  std::vector<double> informal_share;  // share of home-care demand covered by informal care

  void size_training(int programmes_, int workplaces_) {
    programmes = programmes_, workplaces = workplaces_;
    const std::size_t n = std::size_t(years) * programmes_;
    enrolled.assign(n, 0), graduates.assign(n, 0), dropouts.assign(n, 0), students.assign(n, 0);
    supervision_ratio.assign(std::size_t(years) * workplaces_, 0.0);
    supervision_trainees.assign(supervision_ratio.size(), 0.0),
        supervision_places.assign(supervision_ratio.size(), 0.0);
  }
  void size_clients(int subregions_, int needs_, int settings_) {
    subregions = subregions_, needs = needs_, settings = settings_;
    clients.assign(std::size_t(years) * subregions_ * needs_ * settings_, 0);
    const std::size_t n = std::size_t(years) * subregions_;
    clients_new.assign(n, 0), clients_deaths.assign(n, 0), waiting.assign(n, 0), places.assign(n, 0);
    informal_share.assign(n, 0.0);
  }
  std::size_t programme_at(int t, int prog) const { return std::size_t(t) * programmes + prog; }
  std::size_t workplace_at(int t, int sb) const { return std::size_t(t) * workplaces + sb; }
  std::size_t subregion_at(int t, int s) const { return std::size_t(t) * subregions + s; }
  std::size_t client_at(int t, int s, int need, int setting) const {
    return ((std::size_t(t) * subregions + s) * needs + need) * settings + setting;
  }

  // Interventions (sized by size_interventions): [year][intervention].
  int interventions = 0;
  std::vector<double> intervention_units;  // units of each intervention's cost (scenarios/README.md)
  std::vector<double> intervention_cost;   // euro: units x cost per unit
  void size_interventions(int n) {
    interventions = n;
    intervention_units.assign(std::size_t(years) * n, 0.0);
    intervention_cost.assign(std::size_t(years) * n, 0.0);
  }
  std::size_t intervention_at(int t, int k) const { return std::size_t(t) * interventions + k; }

  std::vector<AgentSnapshot> agents;  // only for the years asked for

  RunResult() = default;
  RunResult(int years_, int cells_)
      : years(years_),
        cells(cells_),
        headcount(std::size_t(years_) * cells_),
        reserve(headcount.size()),
        self_employed(headcount.size()),
        fte(headcount.size()),
        flows(headcount.size() * kFlowCount),
        demand(headcount.size()),
        shortage_fte(headcount.size()),
        shortage_persons(headcount.size()),
        unfilled(headcount.size()),
        surplus(headcount.size()),
        trainee_fte(headcount.size()) {}

  std::size_t at(int t, int cell) const { return std::size_t(t) * cells + cell; }
  std::int64_t& flow(int t, int cell, int f) { return flows[at(t, cell) * kFlowCount + f]; }
  std::int64_t flow(int t, int cell, int f) const { return flows[at(t, cell) * kFlowCount + f]; }
};

}  // namespace careabm
