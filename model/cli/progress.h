// A progress bar on a terminal (stderr); silent when stderr is not a TTY or with --quiet.
#pragma once

#include <string>

namespace careabm::cli {

class Progress {
 public:
  Progress(std::string label, bool quiet);
  void update(int done, int total);
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
};

}  // namespace careabm::cli
