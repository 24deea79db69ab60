// Progress of a long command on stderr, in one of three modes:
//   bar    a bar redrawn in place, with the elapsed time and an ETA (a terminal);
//   lines  a line at every 10% of the work, at the first progress a minute or more
//          after the previous line, and where it ended (logs of batch jobs, where
//          a redrawn bar is noise);
//   none   nothing.
// progress_mode() picks the mode: --quiet is none; else --progress MODE; else the
// environment's CAREABM_PROGRESS; else bar when stderr is a terminal, none otherwise.
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include "cli/options.h"

namespace careabm::cli {

enum class ProgressMode { bar, lines, none };

ProgressMode progress_mode(const Options& o);

class Progress {
 public:
  using Clock = std::function<double()>;  // seconds since any fixed moment

  Progress(std::string label, const Options& o);
  // For tests: any stream and clock (default: a steady clock).
  Progress(std::string label, ProgressMode mode, std::FILE* out, Clock clock = {});

  // `done` of `total` units of the current stage are finished.
  void update(long done, long total);
  // A new stage with its own label, total and ETA (the elapsed time runs on).
  void stage(std::string label);
  void finish();

 private:
  void draw_bar(long done, long total, double now);
  void print_line(long done, long total, double now);
  std::string times(long done, long total, double now) const;

  std::string label_;
  ProgressMode mode_;
  std::FILE* out_;
  Clock clock_;
  double started_ = 0, stage_started_ = 0, last_line_ = 0;
  int last_tenth_ = 0;  // lines: the last 10% step printed in this stage (the first line is at 10%)
  long last_done_ = -1, last_total_ = -1, printed_done_ = -1;
  bool drawn_ = false;
};

// "0:42", "12:05", "3:02:10": a duration in seconds.
std::string format_duration(double seconds);

}  // namespace careabm::cli
