// The aggregates of one replication: stocks and flows per
// (year, subregion, branch, occupation), laid out as in the HDF5 contract.
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/params.h"

namespace careabm {

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

  RunResult() = default;
  RunResult(int years_, int cells_)
      : years(years_), cells(cells_),
        headcount(std::size_t(years_) * cells_), reserve(headcount.size()),
        self_employed(headcount.size()), fte(headcount.size()),
        flows(headcount.size() * kFlowCount), demand(headcount.size()),
        shortage_fte(headcount.size()), shortage_persons(headcount.size()) {}

  std::size_t at(int t, int cell) const { return std::size_t(t) * cells + cell; }
  std::int64_t& flow(int t, int cell, int f) { return flows[at(t, cell) * kFlowCount + f]; }
  std::int64_t flow(int t, int cell, int f) const { return flows[at(t, cell) * kFlowCount + f]; }
};

}  // namespace careabm
