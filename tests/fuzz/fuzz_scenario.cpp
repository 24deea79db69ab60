// libFuzzer target: the scenario loader (scenario_input.h) on arbitrary
// input. Built with CAREABM_FUZZ=ON and clang; README.md, "Fuzzing".
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "scenario_input.h"

namespace {

// The directory the inputs are written to, removed at exit (never destroyed
// before that: the exit handler uses it).
const std::filesystem::path* dir = nullptr;

void remove_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(*dir, ignored);
}

const std::filesystem::path& work_dir() {
  if (!dir) {
    dir = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                    ("careabm-fuzz-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir);
    std::atexit(remove_dir);
  }
  return *dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string problem =
      careabm::fuzz::check_input(std::string_view(reinterpret_cast<const char*>(data), size), work_dir());
  if (!problem.empty()) {
    std::fprintf(stderr, "careabm-fuzz-scenario: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
