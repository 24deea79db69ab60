#include "experiments/tables.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "stats/statistics.h"

namespace careabm::experiments {

namespace {
std::string cell_text(const stats::Interval& i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f [%.0f, %.0f]", i.mean, i.lo, i.hi);
  return buf;
}
}  // namespace

namespace {

// totals[y][c][rep] of one set of runs, with c == C the (net) total over all
// columns and c == C + 1 the unfilled total: the positive parts of the cells only.
std::vector<std::vector<std::vector<double>>> column_totals(int Y, int subregions, int B, int O, int replications,
                                                            const std::vector<double>& persons, ShortageColumns columns) {
  const int C = columns == ShortageColumns::occupation ? O : B;
  const std::size_t per_rep = std::size_t(Y) * subregions * B * O;
  std::vector<std::vector<std::vector<double>>> totals(
      Y, std::vector<std::vector<double>>(C + 2, std::vector<double>(replications, 0.0)));
  for (int r = 0; r < replications; ++r)
    for (int y = 0; y < Y; ++y)
      for (int s = 0; s < subregions; ++s)
        for (int b = 0; b < B; ++b)
          for (int o = 0; o < O; ++o) {
            const double v = persons[r * per_rep + ((std::size_t(y) * subregions + s) * B + b) * O + o];
            totals[y][columns == ShortageColumns::occupation ? o : b][r] += v;
            totals[y][C][r] += v;
            totals[y][C + 1][r] += std::fmax(0.0, v);
          }
  return totals;
}

}  // namespace

void print_shortage_table(std::ostream& out, const std::vector<int>& years,
                          const std::vector<std::string>& branch_names, const std::vector<std::string>& occupations,
                          int subregions, int replications, const std::vector<double>& persons,
                          ShortageColumns columns, const std::vector<double>* with_parameters) {
  const int Y = static_cast<int>(years.size()), O = static_cast<int>(occupations.size());
  const int B = static_cast<int>(branch_names.size());
  const auto& labels = columns == ShortageColumns::occupation ? occupations : branch_names;
  const int C = static_cast<int>(labels.size());
  const std::size_t expected = std::size_t(replications) * std::size_t(Y) * std::size_t(subregions) * B * O;
  if (replications < 1 || subregions < 1 || persons.size() != expected ||
      (with_parameters && with_parameters->size() != expected)) {
    throw std::invalid_argument("print_shortage_table: " + std::to_string(persons.size()) + " values for " +
                                std::to_string(expected) + " cells");
  }
  const auto totals = column_totals(Y, subregions, B, O, replications, persons, columns);
  const auto drawn = with_parameters ? column_totals(Y, subregions, B, O, replications, *with_parameters, columns)
                                     : decltype(totals){};

  std::vector<std::string> header = labels;
  header.push_back("total");
  header.push_back("unfilled");
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> width(header.size() + 1, 4);
  for (std::size_t c = 0; c < header.size(); ++c) width[c + 1] = header[c].size();
  auto add_row = [&](std::string first, const std::vector<std::vector<double>>& by_column) {
    std::vector<std::string> row{std::move(first)};
    for (int c = 0; c <= C + 1; ++c) row.push_back(cell_text(stats::interval(by_column[c], 0.95)));
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    rows.push_back(std::move(row));
  };
  for (int y = 0; y < Y; ++y) {
    add_row(std::to_string(years[y]) + (with_parameters ? " simulation" : ""), totals[y]);
    if (with_parameters) add_row("     + parameters", drawn[y]);
  }
  out << "Shortage in persons by " << (columns == ShortageColumns::occupation ? "occupation" : "branch")
      << " (demand - supply; negative = surplus): mean over " << replications
      << " replications [95% interval over replications]; total nets surpluses against shortages, unfilled "
         "sums only the cells short of staff (the demand no one fills)\n";
  if (with_parameters) {
    out << "Each year: the scenario's values (interval: simulation noise only), then every replication with its "
           "own draw of the uncertain parameters (interval: parameters and simulation together)\n";
  }
  out << std::left << std::setw(int(width[0])) << "year";
  for (std::size_t c = 0; c < header.size(); ++c) out << "  " << std::right << std::setw(int(width[c + 1])) << header[c];
  out << "\n";
  for (const auto& row : rows) {
    out << std::left << std::setw(int(width[0])) << row[0];
    for (std::size_t c = 1; c < row.size(); ++c) out << "  " << std::right << std::setw(int(width[c])) << row[c];
    out << "\n";
  }
}

void print_shortage_summary(std::ostream& out, const io::ShortageTables& t, const std::string& file) {
  const bool compare = t.kind == io::OutputKind::compare;
  const std::size_t per = t.per_scenario();
  for (std::size_t k = 0; k < t.scenarios.size(); ++k) {
    out << (compare ? "compare, scenario " : "scenario ") << t.scenarios[k] << " (" << file << ")\n";
    const auto slice = [&](const std::vector<double>& all) {
      return std::vector<double>(all.begin() + long(k * per), all.begin() + long((k + 1) * per));
    };
    const std::vector<double> mine = slice(t.persons);
    const std::vector<double> mine_drawn = t.drawn.empty() ? std::vector<double>() : slice(t.drawn);
    for (const auto columns : {ShortageColumns::occupation, ShortageColumns::branch}) {
      print_shortage_table(out, t.years, t.branches, t.occupations, static_cast<int>(t.subregions.size()),
                           static_cast<int>(t.replications), mine, columns, t.drawn.empty() ? nullptr : &mine_drawn);
      out << "\n";
    }
  }
  if (compare) out << "the differences and costs are under /difference and /cost (careabm report, or analysis/README.md)\n";
}

}  // namespace careabm::experiments
