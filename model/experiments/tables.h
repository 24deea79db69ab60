// Printed tables of key results (for `careabm run` and `careabm summary`).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "io/output_readers.h"

namespace careabm::experiments {

// Shortage in persons by year (rows) and occupation or branch (columns, plus
// the net total and the unfilled total: the sum over cells of max(0, shortage),
// which a surplus elsewhere does not offset), each as the mean over
// replications with its 95% interval over replications. With
// `with_parameters` (the runs with drawn parameters, same layout), every year
// gets a second row: the interval from parameters and simulation together,
// below the simulation-only one. `persons` is [replication][year][subregion][branch][occupation]
// and must hold exactly that many values (std::invalid_argument otherwise: a caller's bug,
// since files are checked when read, io/output_readers.h).
enum class ShortageColumns { occupation, branch };
void print_shortage_table(std::ostream& out, const std::vector<int>& years,
                          const std::vector<std::string>& branches, const std::vector<std::string>& occupations,
                          int subregions, int replications, const std::vector<double>& persons,
                          ShortageColumns columns, const std::vector<double>* with_parameters = nullptr);

// `careabm summary` of a run or compare file: both tables (by occupation, by branch) of
// each scenario, headed by the scenario's name and the file.
void print_shortage_summary(std::ostream& out, const io::ShortageTables& tables, const std::string& file);

}  // namespace careabm::experiments
