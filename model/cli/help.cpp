#include "cli/help.h"

#include <algorithm>

namespace careabm::cli {

namespace {

OptionHelp output(const std::string& value, const std::string& default_value) {
  return {{"-o", "--output"}, value, "where to write the output", default_value};
}
const OptionHelp kReplications{{"-r", "--replications"}, "N", "replications of each simulation", "the scenario's run.replications"};
const OptionHelp kThreads{{"--threads"}, "T", "simulations run at once",
                          "SLURM_CPUS_PER_TASK, else OMP_NUM_THREADS, else the CPUs this process may run on"};
const OptionHelp kSet{{"--set"}, "KEY=VALUE", "override a scenario key with a TOML value (repeatable)", "none"};
const OptionHelp kMaxMemory{{"--max-memory"}, "SIZE", "refuse to start if the estimated memory exceeds SIZE (e.g. 8G, 512M)",
                            "the machine's physical memory"};
const OptionHelp kForce{{"--force"}, "", "overwrite an existing output", "an existing output is an error"};
const OptionHelp kProgress{{"--progress"}, "bar|lines|none",
                           "progress on stderr: a bar with elapsed time and ETA, a line every 10% or minute, or nothing",
                           "CAREABM_PROGRESS, else bar on a terminal and none otherwise"};
const OptionHelp kQuiet{{"--quiet"}, "", "no progress (the same as --progress none)", "off"};
const OptionHelp kUncertainty{{"--uncertainty"}, "", "also run with each replication's parameters drawn from [uncertainty]",
                              "off"};

}  // namespace

const std::vector<CommandHelp>& commands() {
  static const std::vector<CommandHelp> list = {
      {"run",
       "careabm run SCENARIO.toml [-o OUT.h5] [-r REPS] [--seed S] [--threads T]\n"
       "            [--set key.path=value ...] [--agents-out YEAR,...] [--uncertainty] [--max-memory SIZE]\n"
       "            [--force] [--progress MODE] [--quiet]",
       "run the scenario's replications; print the shortage tables and write OUT.h5",
       {output("OUT.h5", "SCENARIO.h5 (the scenario's file name) in the current directory"), kReplications,
        {{"--seed"}, "S", "the random seed", "the scenario's run.seed"}, kThreads, kSet,
        {{"--agents-out"}, "YEAR,...", "also write the workers of these years (microdata, /agents)", "none"},
        kUncertainty, kMaxMemory, kForce, kProgress, kQuiet}},
      {"check", "careabm check SCENARIO.toml [--set key.path=value ...] [--threads T] [--max-memory SIZE]",
       "validate the scenario; print it resolved, and the memory `run` would need",
       {kSet, {{"--threads"}, "T", "the simulations `run` would run at once, for the memory estimate", kThreads.default_value},
        kMaxMemory}},
      {"compare",
       "careabm compare BASE.toml ALT.toml [ALT2.toml ...] [-o OUT.h5] [-r REPS] [--threads T] [--uncertainty]\n"
       "            [--max-memory SIZE] [--force] [--progress MODE] [--quiet]",
       "paired replications (common random numbers): each alternative - base, with costs",
       {output("OUT.h5", "BASE-compare.h5 in the current directory"),
        {{"-r", "--replications"}, "N", "replications of every scenario", "the base scenario's run.replications"}, kThreads,
        kUncertainty, kMaxMemory, kForce, kProgress, kQuiet}},
      {"size-cohorts",
       "careabm size-cohorts SCENARIO.toml --programme P --occupation O --by YEAR [--goal G] [-r REPS]\n"
       "            [--from YEAR] [--max-extra N] [--set key.path=value ...] [--threads T] [-o OUT.h5]\n"
       "            [--max-memory SIZE] [--force] [--progress MODE] [--quiet]",
       "the smallest extra yearly enrolment that brings the shortage to the goal, with a 95% interval and its cost",
       {{{"--programme"}, "P", "the programme that enrols the extra trainees (not an upgrade programme)", "required"},
        {{"--occupation"}, "O", "the occupation whose shortage (persons) is the goal's", "required"},
        {{"--by"}, "YEAR", "the year in which the goal must hold", "required"},
        {{"--goal"}, "G", "the largest acceptable mean shortage in persons", "0"},
        kReplications,
        {{"--from"}, "YEAR", "the first year of extra enrolment",
         "the first simulated year that is after the start year and not before the current calendar year, so it "
         "follows today's date; give --from for a reproducible answer"},
        {{"--max-extra"}, "N", "the largest extra enrolment a year to try",
         "10 x the programme's yearly enrolment, at least 1000, at most 65535"},
        kSet, kThreads, output("OUT.h5", "SCENARIO-cohorts.h5 in the current directory"), kMaxMemory, kForce, kProgress,
        kQuiet}},
      {"calibrate",
       "careabm calibrate SCENARIO.toml --targets TARGETS.toml [-o FITTED.toml] [-r REPS]\n"
       "            [--threads T] [--max-evaluations N] [--parameters KEY,...] [--max-memory SIZE]\n"
       "            [--force] [--progress MODE] [--quiet]",
       "fit the scenario's free parameters ([calibration] free) to targets; write a fitted scenario",
       {{{"--targets"}, "TARGETS.toml", "the targets to fit", "required"},
        output("FITTED.toml", "SCENARIO-fitted.toml beside the scenario"), kReplications, kThreads,
        {{"--max-evaluations"}, "N", "stop after this many evaluations of the objective", "120"},
        {{"--parameters"}, "KEY,...", "fit only these of the free parameters", "every free parameter"}, kMaxMemory,
        kForce, kProgress, kQuiet}},
      {"sweep",
       "careabm sweep SWEEP.toml [-o OUT.h5] [--threads T] [--resume] [--max-memory SIZE] [--force]\n"
       "            [--progress MODE] [--quiet]",
       "run a parameter sweep over threads (distributed: mpirun -n N careabm sweep ...)",
       {output("OUT.h5", "SWEEP.h5 (the sweep's file name) in the current directory"),
        {{"--threads"}, "T", "points run at once by each rank",
         "the sweep file's threads; else SLURM_CPUS_PER_TASK, else OMP_NUM_THREADS, else under mpirun 1 and "
         "otherwise the CPUs this process may run on"},
        {{"--resume"}, "", "continue an interrupted sweep from its checkpoint OUT.h5.partial/", "off"},
        {{"--stop-after"}, "N", "hand out N points, then stop as an interruption does (for testing --resume)",
         "run every point"},
        kMaxMemory, {{"--force"}, "", "overwrite an existing output, or start over from a checkpoint", kForce.default_value},
        kProgress, kQuiet}},
      {"analyze", "careabm analyze SWEEP.h5 [--bootstrap B] [--force]",
       "Sobol' or Morris sensitivity indices of a finished sweep, added to the file",
       {{{"--bootstrap"}, "B", "bootstrap resamples for the Sobol' intervals (0: none)", "1000"},
        {{"--force"}, "", "replace the indices the file holds already", "indices already present are an error"}}},
      {"summary", "careabm summary OUT.h5", "key results of an output file (or a sweep's checkpoint) as a table", {}},
      {"report", "careabm report OUT.h5 [-o DIR] [--svg]",
       "figures and a self-contained HTML page, DIR/index.html",
       {output("DIR", "OUT_report/ beside OUT.h5"),
        {{"--svg"}, "", "also write the figures as SVG", "PNG only"}}},
  };
  return list;
}

const CommandHelp* find_command(const std::string& name) {
  const auto& list = commands();
  const auto at = std::find_if(list.begin(), list.end(), [&](const CommandHelp& c) { return c.name == name; });
  return at == list.end() ? nullptr : &*at;
}

std::string help_text(const CommandHelp& command) {
  std::string text = "usage:\n  " + command.synopsis + "\n\n" + command.summary + "\n\noptions:\n";
  std::vector<std::string> heads;
  std::size_t width = std::string("-h, --help").size();
  for (const auto& option : command.options) {
    std::string head;
    for (const auto& spelling : option.spellings) head += (head.empty() ? "" : ", ") + spelling;
    if (!option.value.empty()) head += " " + option.value;
    width = std::max(width, head.size());
    heads.push_back(head);
  }
  const auto line = [&](const std::string& head, const std::string& description) {
    text += "  " + head + std::string(width - head.size() + 2, ' ') + description + "\n";
  };
  for (std::size_t i = 0; i < heads.size(); ++i) {
    line(heads[i], command.options[i].description + " (default: " + command.options[i].default_value + ")");
  }
  line("-h, --help", "print this help and exit");
  return text;
}

}  // namespace careabm::cli
