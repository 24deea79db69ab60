// Inputs over time: any number or table of numbers by category in a scenario
// may be a yearly series instead (scenarios/README.md, "Inputs over time"):
//
//   pension_age = { series = { 2016 = 65.5, 2024 = 67, 2028 = 67.25 } }
//   enrolment = { series = "data/vig-intake.csv" }    # columns year + one per category
//   growth.hospital = { series = { 2022 = 0.02, 2030 = 0.01 }, interpolation = "step" }
//
// Values between the given years are interpolated linearly (or held until the
// next given year with interpolation = "step"); before the first and after the
// last given year the nearest value holds. A scenario with series is loaded
// once per simulated year, with every series replaced by its value of that
// year (a number, or a table of numbers for a CSV with category columns), so
// every value is validated like any other, and an error names the file and
// line of the series entry (or CSV row) it came from.
#pragma once

#include <string>
#include <vector>

#include "scenario/document.h"

namespace careabm::scenario {

struct SeriesPoint {
  int year;
  std::vector<double> values;  // one (a number) or one per column (a table)
  std::string file;            // where the point was written
  int line = 0;
};

struct Series {
  std::vector<std::string> path;      // key path of the series node
  std::vector<std::string> columns;   // empty: a number; else the table's keys (CSV category columns)
  std::vector<SeriesPoint> points;    // increasing years
  bool step = false;
  std::vector<double> at(int year, std::string& file, int& line) const;  // interpolated value(s), and where from
};

// Every series in the document (validated: years whole and increasing, values
// numbers, the CSV's columns); InputError with file, line and key otherwise.
std::vector<Series> find_series(const Document& doc);

// Replaces every series of `doc` (a working copy) by its value in `year`.
void set_year(Document& doc, const std::vector<Series>& series, int year);

}  // namespace careabm::scenario
