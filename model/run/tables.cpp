#include "run/tables.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "run/statistics.h"

namespace careabm::run {

namespace {
std::string cell_text(const Interval& i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f [%.0f, %.0f]", i.mean, i.lo, i.hi);
  return buf;
}
}  // namespace

void print_shortage_table(std::ostream& out, const std::vector<int>& years,
                          const std::vector<std::string>& occupations, int subregions, int branches,
                          int replications, const std::vector<double>& persons) {
  const int Y = static_cast<int>(years.size()), O = static_cast<int>(occupations.size());
  const std::size_t per_rep = std::size_t(Y) * subregions * branches * O;
  // totals[y][o][rep], with o == O the total over occupations
  std::vector<std::vector<std::vector<double>>> totals(
      Y, std::vector<std::vector<double>>(O + 1, std::vector<double>(replications, 0.0)));
  for (int r = 0; r < replications; ++r)
    for (int y = 0; y < Y; ++y)
      for (int sb = 0; sb < subregions * branches; ++sb)
        for (int o = 0; o < O; ++o) {
          const double v = persons[r * per_rep + (std::size_t(y) * subregions * branches + sb) * O + o];
          totals[y][o][r] += v;
          totals[y][O][r] += v;
        }

  std::vector<std::string> header = occupations;
  header.push_back("total");
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> width(header.size() + 1, 4);
  for (std::size_t c = 0; c < header.size(); ++c) width[c + 1] = header[c].size();
  for (int y = 0; y < Y; ++y) {
    std::vector<std::string> row{std::to_string(years[y])};
    for (int o = 0; o <= O; ++o) row.push_back(cell_text(interval(totals[y][o], 0.95)));
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    rows.push_back(std::move(row));
  }
  out << "Shortage in persons (demand - supply; negative = surplus): mean over " << replications
      << " replications [95% interval over replications]\n";
  out << std::left << std::setw(int(width[0])) << "year";
  for (std::size_t c = 0; c < header.size(); ++c) out << "  " << std::right << std::setw(int(width[c + 1])) << header[c];
  out << "\n";
  for (const auto& row : rows) {
    out << std::left << std::setw(int(width[0])) << row[0];
    for (std::size_t c = 1; c < row.size(); ++c) out << "  " << std::right << std::setw(int(width[c])) << row[c];
    out << "\n";
  }
}

}  // namespace careabm::run
