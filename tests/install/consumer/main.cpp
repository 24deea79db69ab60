// Loads a scenario with the installed careabm library, simulates its first
// replication and prints the headcount of the first and the last year.
#include <cstdint>
#include <exception>
#include <iostream>
#include <numeric>

#include "core/errors.h"
#include "scenario/document.h"
#include "scenario/load.h"
#include "simulation/simulate.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer SCENARIO.toml\n";
    return 2;
  }
  try {
    const auto doc = careabm::scenario::Document::load(argv[1]);
    const careabm::Params p = careabm::scenario::load_params(doc);
    const careabm::RunResult r = careabm::simulate(p, 0);
    const auto cells = r.headcount.size() / static_cast<std::size_t>(p.years());
    const auto total = [&](std::size_t year) {
      const auto first = r.headcount.begin() + static_cast<std::ptrdiff_t>(year * cells);
      return std::accumulate(first, first + static_cast<std::ptrdiff_t>(cells), std::int64_t{0});
    };
    std::cout << "consumer: careabm " << CAREABM_VERSION << ", scenario " << p.name << ", headcount " << p.start_year
              << " " << total(0) << ", " << p.end_year << " " << total(static_cast<std::size_t>(p.years()) - 1) << "\n";
  } catch (const careabm::InputError& e) {
    std::cerr << "consumer: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
