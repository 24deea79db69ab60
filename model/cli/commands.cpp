#include "cli/commands.h"

#include <iostream>

#include "cli/options.h"
#include "cli/progress.h"
#include "core/errors.h"
#include "io/atomic_output.h"
#include "io/h5_reader.h"
#include "run/output.h"
#include "run/replications.h"
#include "run/tables.h"
#include "scenario/document.h"
#include "scenario/load.h"

namespace careabm::cli {

namespace fs = std::filesystem;

namespace {

std::string one_positional(const Options& o, const char* what) {
  if (o.positional.size() != 1) {
    throw InputError("", 0, "", std::string("expected exactly one ") + what + " (see careabm --help)");
  }
  return o.positional.front();
}

std::string command_line(int argc, char** argv) {
  std::string s = "careabm";
  for (int i = 1; i < argc; ++i) s += std::string(" ") + argv[i];
  return s;
}

std::vector<int> year_list(const Params& p) {
  std::vector<int> years;
  for (int y = p.start_year; y <= p.end_year; ++y) years.push_back(y);
  return years;
}

}  // namespace

int command_run(int argc, char** argv) {
  const Options o = parse(argc, argv, 2,
                          {"-o", "--output", "-r", "--replications", "--seed", "--threads", "--set",
                           "--agents-out"},
                          {"--force", "--quiet"});
  const fs::path scenario = one_positional(o, "scenario file");
  // -r and --seed are overrides like --set, so the stored resolved scenario records them.
  std::vector<std::string> sets = o.sets;
  for (const char* name : {"-r", "--replications"}) {
    if (o.value(name)) sets.push_back("run.replications=" + std::to_string(o.integer(name, 0, 1, 1000000)));
  }
  if (o.value("--seed")) sets.push_back("run.seed=" + std::to_string(o.integer("--seed", 0, 0, INT64_MAX)));
  const auto doc = scenario::Document::load(scenario, sets);
  const Params p = scenario::load_params(doc);
  const int threads = static_cast<int>(o.integer("--threads", run::default_threads(), 1, 4096));

  fs::path out_path = o.value("-o").value_or(o.value("--output").value_or(""));
  if (out_path.empty()) out_path = scenario.stem().string() + ".h5";
  io::AtomicOutput output(out_path, o.flag("--force"));

  Progress progress("running " + std::to_string(p.replications) + " replications", o.flag("--quiet"));
  const auto results = run::run_replications(p, threads, [&](int done, int total) { progress.update(done, total); });
  progress.finish();

  run::write_run_file(output.temp_path(), p, results, {command_line(argc, argv), doc.resolved_text()});
  output.commit();

  std::vector<double> persons;
  for (const auto& r : results) persons.insert(persons.end(), r.shortage_persons.begin(), r.shortage_persons.end());
  std::cout << "scenario " << p.name << ": " << p.start_year << "-" << p.end_year << ", seed " << p.seed << "\n";
  run::print_shortage_table(std::cout, year_list(p), p.cat.occupations, p.cat.S(), p.cat.B(),
                            p.replications, persons);
  std::cout << "wrote " << out_path.string() << "\n";
  return 0;
}

int command_check(int argc, char** argv) {
  const Options o = parse(argc, argv, 2, {"--set"}, {});
  const auto doc = scenario::Document::load(one_positional(o, "scenario file"), o.sets);
  const Params p = scenario::load_params(doc);
  std::size_t workers = 0;
  for (const auto& g : p.initial) workers += g.count;
  std::cout << doc.resolved_text();
  std::cerr << "scenario '" << p.name << "' is valid: " << p.cat.S() << " subregions, " << p.cat.B()
            << " branches, " << p.cat.O() << " occupations, " << workers << " initial workers, years "
            << p.start_year << "-" << p.end_year << "\n";
  return 0;
}

int command_summary(int argc, char** argv) {
  const Options o = parse(argc, argv, 2, {}, {});
  const fs::path path = one_positional(o, "output file");
  if (!fs::exists(path)) throw InputError(path.string(), 0, "", "file not found");
  const io::H5Reader reader(path);
  if (!reader.exists("/shortage/persons")) {
    throw InputError(path.string(), 0, "/shortage/persons", "not a careabm run output (dataset missing)");
  }
  std::vector<int> years;
  for (auto y : reader.read_int64("/year")) years.push_back(static_cast<int>(y));
  const auto occupations = reader.labels("occupation");
  const auto shape = reader.shape("/shortage/persons");
  std::cout << "scenario " << reader.root_attr_string("scenario_name") << " (" << path.string() << ")\n";
  run::print_shortage_table(std::cout, years, occupations, static_cast<int>(shape[2]),
                            static_cast<int>(shape[3]), static_cast<int>(shape[0]),
                            reader.read_double("/shortage/persons"));
  return 0;
}

}  // namespace careabm::cli
