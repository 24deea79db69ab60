// Damaged and hand-edited output files. Every command that reads an output back
// (summary, analyze, report) refuses each one with exit 2 and one message naming the
// file and the dataset or root attribute at fault: never exit 1, never a signal, never a
// table computed from a buffer of the wrong size. The readers sweep resume can use
// (io::read_sweep) refuse damaged checkpoints the same way.
//
// The corpus is made here: small real outputs of the example scenarios, each copy
// damaged with the HDF5 C API or by overwriting or cutting its bytes.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../unit/test_support.h"
#include "core/errors.h"
#include "experiments/tables.h"
#include "io/h5_reader.h"
#include "io/output_readers.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// Opens a file for editing through the HDF5 C API; every edit must succeed.
class Editor {
 public:
  explicit Editor(const fs::path& path) : file_(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)) {
    REQUIRE_MESSAGE(file_ >= 0, "test setup: cannot open " << path);
  }
  ~Editor() { H5Fclose(file_); }
  Editor(const Editor&) = delete;
  Editor& operator=(const Editor&) = delete;

  bool exists(const std::string& path) const { return H5Lexists(file_, path.c_str(), H5P_DEFAULT) > 0; }

  void group(const std::string& path) {
    const hid_t group = H5Gcreate2(file_, path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE_MESSAGE(group >= 0, "test setup: cannot create group " << path);
    H5Gclose(group);
  }

  void remove(const std::string& path) {
    REQUIRE_MESSAGE(H5Ldelete(file_, path.c_str(), H5P_DEFAULT) >= 0, "test setup: cannot remove " << path);
  }

  // A contiguous dataset of `shape` (empty: a scalar) stored as `type`, holding `values`
  // (one value fills it); replaces whatever is at path.
  void numbers(const std::string& path, const std::vector<hsize_t>& shape, hid_t type, std::vector<double> values) {
    replace(path);
    const hsize_t n = std::accumulate(shape.begin(), shape.end(), hsize_t{1}, std::multiplies<>());
    if (values.size() == 1) values.assign(n, values.front());
    REQUIRE(values.size() == n);
    const hid_t space = shape.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(int(shape.size()), shape.data(), nullptr);
    const hid_t dataset = H5Dcreate2(file_, path.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE_MESSAGE(dataset >= 0, "test setup: cannot create " << path);
    REQUIRE(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
    H5Dclose(dataset);
    H5Sclose(space);
  }

  // A chunked dataset of `shape` with no chunk written: HDF5 stores nothing for it, so
  // a file can declare any size at no cost. This is what a sparse or hostile file does.
  void sparse(const std::string& path, const std::vector<hsize_t>& shape, hid_t type) {
    replace(path);
    std::vector<hsize_t> chunk(shape.size(), 1);
    chunk.back() = std::min<hsize_t>(shape.back(), 1024);
    const hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
    REQUIRE(H5Pset_chunk(plist, int(chunk.size()), chunk.data()) >= 0);
    const hid_t space = H5Screate_simple(int(shape.size()), shape.data(), nullptr);
    const hid_t dataset = H5Dcreate2(file_, path.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT);
    REQUIRE_MESSAGE(dataset >= 0, "test setup: cannot create " << path);
    H5Dclose(dataset);
    H5Sclose(space);
    H5Pclose(plist);
  }

  // Variable-length string labels of rank 1; replaces whatever is at path.
  void strings(const std::string& path, const std::vector<std::string>& labels) {
    replace(path);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hsize_t n = labels.size();
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t dataset = H5Dcreate2(file_, path.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE_MESSAGE(dataset >= 0, "test setup: cannot create " << path);
    std::vector<const char*> pointers;
    for (const auto& label : labels) pointers.push_back(label.c_str());
    REQUIRE(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) >= 0);
    H5Dclose(dataset);
    H5Sclose(space);
    H5Tclose(type);
  }

  // Makes the dataset at path a dimension scale named `name`.
  void make_scale(const std::string& path, const std::string& name) {
    const hid_t dataset = H5Dopen2(file_, path.c_str(), H5P_DEFAULT);
    REQUIRE(H5DSset_scale(dataset, name.c_str()) >= 0);
    H5Dclose(dataset);
  }

  // Attaches the scale at scale_path to axis `axis` of the dataset at path.
  void attach(const std::string& path, const std::string& scale_path, unsigned axis) {
    const hid_t dataset = H5Dopen2(file_, path.c_str(), H5P_DEFAULT);
    const hid_t scale = H5Dopen2(file_, scale_path.c_str(), H5P_DEFAULT);
    REQUIRE_MESSAGE(H5DSattach_scale(dataset, scale, axis) >= 0, "test setup: cannot attach " << scale_path);
    H5Dclose(scale);
    H5Dclose(dataset);
  }

  // Attaches the root scales `dims` to the axes of the dataset at path.
  void attach_all(const std::string& path, const std::vector<std::string>& dims) {
    for (unsigned axis = 0; axis < dims.size(); ++axis) attach(path, "/" + dims[axis], axis);
  }

  void attr_integer(const std::string& name, std::int64_t value) { attr(name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value); }
  void attr_number(const std::string& name, double value) { attr(name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value); }
  void attr_text(const std::string& name, const std::string& text) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, text.size() + 1);
    attr(name, type, type, text.c_str());
    H5Tclose(type);
  }
  void drop_attr(const std::string& name) { REQUIRE(H5Adelete(file_, name.c_str()) >= 0); }

  // Where the raw values of a contiguous dataset, or the first chunk of a chunked one,
  // start in the file, and how many bytes they take.
  std::pair<haddr_t, hsize_t> raw_bytes(const std::string& path) {
    const hid_t dataset = H5Dopen2(file_, path.c_str(), H5P_DEFAULT);
    const hid_t plist = H5Dget_create_plist(dataset);
    std::pair<haddr_t, hsize_t> out{0, 0};
    if (H5Pget_layout(plist) == H5D_CHUNKED) {
      hsize_t offset[H5S_MAX_RANK];
      unsigned filter_mask = 0;
      const hid_t space = H5Dget_space(dataset);
      REQUIRE(H5Dget_chunk_info(dataset, space, 0, offset, &filter_mask, &out.first, &out.second) >= 0);
      H5Sclose(space);
    } else {
      out.first = H5Dget_offset(dataset);
      out.second = H5Dget_storage_size(dataset);
    }
    H5Pclose(plist);
    H5Dclose(dataset);
    REQUIRE(out.first != HADDR_UNDEF);
    REQUIRE(out.second > 0);
    return out;
  }

 private:
  void replace(const std::string& path) {
    if (exists(path)) remove(path);
  }
  void attr(const std::string& name, hid_t file_type, hid_t mem_type, const void* value) {
    if (H5Aexists(file_, name.c_str()) > 0) H5Adelete(file_, name.c_str());
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(file_, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(attribute >= 0);
    REQUIRE(H5Awrite(attribute, mem_type, value) >= 0);
    H5Aclose(attribute);
    H5Sclose(space);
  }

  hid_t file_;
};

using Edit = std::function<void(Editor&)>;

// Overwrites `count` bytes at `offset` with a pattern that is no valid value or stream.
void scribble(const fs::path& file, std::uint64_t offset, std::uint64_t count) {
  std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(out);
  out.seekp(std::streamoff(offset));
  for (std::uint64_t i = 0; i < count; ++i) out.put(static_cast<char>(i % 2 ? 0xff : 0x5a));
}

// The output files the corpus starts from, made once.
struct Originals {
  fs::path dir, run, compare, cohorts, sweep, analysed, partial, sweep_file;

  Originals() : dir(test::temp_dir("damaged-originals")) {
    run = dir / "run.h5";
    compare = dir / "compare.h5";
    cohorts = dir / "cohorts.h5";
    sweep = dir / "sweep.h5";
    analysed = dir / "analysed.h5";
    sweep_file = dir / "s.toml";
    const auto pipeline = test::example("pipeline.toml").string();
    const auto minimal = test::example("minimal.toml").string();
    require_ok("run " + q(pipeline) + " -r 2 --quiet -o " + q(run));
    require_ok("compare " + q(minimal) + " " + q(minimal) + " -r 2 --quiet -o " + q(compare));
    require_ok("size-cohorts " + q(test::data("cohorts-linear.toml")) +
               " --programme vig_school --occupation vig --by 2030 --from 2023 --goal 10 -r 2 --quiet -o " + q(cohorts));
    test::write_text(sweep_file, "scenario = \"" + minimal + "\"\nseed = 11\nreplications = 2\n"
                                 "[design]\nkind = \"saltelli\"\nbase_samples = 4\n"
                                 "[[parameters]]\nkey = \"outflow.rate.vig\"\nlower = 0.06\nupper = 0.12\n"
                                 "[[parameters]]\nkey = \"inflow.career_switchers.per_year.vig\"\nlower = 10\nupper = 60\n"
                                 "[[outputs]]\nname = \"shortage_2031\"\nvariable = \"shortage/persons\"\nyear = 2031\n");
    require_ok("sweep " + q(sweep_file) + " --quiet -o " + q(sweep));
    fs::copy_file(sweep, analysed);
    require_ok("analyze " + q(analysed) + " --bootstrap 20");
    const auto stopped = test::run_program("sweep " + q(sweep_file) + " --quiet --stop-after 3 -o " + q(dir / "p.h5"), dir);
    REQUIRE_MESSAGE(stopped.status == 130, stopped.output);
    partial = dir / "p.h5.partial";
    REQUIRE(fs::exists(partial));
  }
  void require_ok(const std::string& args) const {
    const auto result = test::run_program(args, dir);
    REQUIRE_MESSAGE(result.status == 0, args << "\n" << result.output);
  }
};

const Originals& originals() {
  static const Originals files;
  return files;
}

enum Command : unsigned { summary = 1, analyze = 2, report = 4 };

struct Damage {
  const char* what;
  fs::path Originals::*from;
  std::function<void(const fs::path&)> damage;
  unsigned commands;  // which commands must refuse it
  std::string key;    // the dataset or attribute the message names ("" : the file only)
};

// Applies `edit` to the file through the HDF5 API.
std::function<void(const fs::path&)> edit(Edit e) {
  return [e](const fs::path& file) {
    Editor editor(file);
    e(editor);
  };
}

const std::vector<std::string> kCellDims = {"replication", "year", "subregion", "branch", "occupation"};

// A run file's /shortage/persons replaced by one of another shape, attached to the root scales `dims`.
Edit persons_shaped(const std::vector<hsize_t>& shape, const std::vector<std::string>& dims = {}) {
  return [=](Editor& e) {
    e.numbers("/shortage/persons", shape, H5T_IEEE_F64LE, {1.0});
    e.attach_all("/shortage/persons", dims);
  };
}

// The root dimension `name` replaced by labels, made a scale again (as h5py's make_scale does).
Edit labels(const std::string& name, const std::vector<std::string>& values) {
  return [=](Editor& e) {
    e.strings("/" + name, values);
    e.make_scale("/" + name, name);
  };
}

Edit years(const std::vector<double>& values) {
  return [=](Editor& e) {
    e.numbers("/year", {values.size()}, H5T_STD_I64LE, values);
    e.make_scale("/year", "year");
  };
}

std::vector<double> range(double first, std::size_t n) {
  std::vector<double> out(n);
  std::iota(out.begin(), out.end(), first);
  return out;
}

// Runs one command on the damaged file and checks the refusal.
void check_refused(const std::string& command, const fs::path& file, const std::string& key, const fs::path& dir) {
  std::string args = command + " " + q(file);
  if (command == "report") args += " -o " + q(dir / "report");
  const auto result = test::run_program(args, dir);
  INFO("careabm " << args << "\n" << result.output);
  CHECK(result.status == 2);
  CHECK(result.output.find(file.string()) != std::string::npos);
  if (!key.empty()) CHECK(result.output.find("'" + key + "'") != std::string::npos);
  CHECK(result.output.find("internal error") == std::string::npos);
  CHECK(result.output.find("Traceback") == std::string::npos);
  CHECK(std::count(result.output.begin(), result.output.end(), '\n') == 1);  // one message
  CHECK(!fs::exists(dir / "report" / "index.html"));
}

void run_corpus(const std::vector<Damage>& corpus, const std::string& tag) {
  const auto dir = test::temp_dir("damaged-" + tag);
  int n = 0;
  for (const auto& c : corpus) {
    INFO(c.what);
    const fs::path file = dir / ("case" + std::to_string(n++) + ".h5");
    fs::copy_file(originals().*c.from, file, fs::copy_options::overwrite_existing);
    c.damage(file);
    for (const auto& [bit, name] : {std::pair{summary, "summary"}, {analyze, "analyze"}, {report, "report"}}) {
      if (c.commands & bit) check_refused(name, file, c.key, dir);
    }
  }
}

}  // namespace

TEST_CASE("damaged run files: summary and report exit 2 naming the file and the dataset") {
  const unsigned both = summary | report;
  const std::size_t Y = 10;  // pipeline: 2022-2031
  const std::vector<Damage> corpus = {
      {"a longer /year (relabelled with h5py)", &Originals::run, edit(years(range(2022, Y + 5))), both,
       "/shortage/persons"},
      {"a shorter /year", &Originals::run, edit(years(range(2022, Y - 3))), both, "/shortage/persons"},
      {"a scalar /shortage/persons", &Originals::run, edit(persons_shaped({})), both, "/shortage/persons"},
      {"a rank-1 /shortage/persons", &Originals::run, edit(persons_shaped({2 * Y * 2 * 2 * 3}, {"replication"})),
       both, "/shortage/persons"},
      {"a rank-2 /shortage/persons", &Originals::run, edit(persons_shaped({2, Y}, {"replication", "year"})), both,
       "/shortage/persons"},
      {"/shortage/persons without dimension scales", &Originals::run, edit(persons_shaped({2, Y, 2, 2, 3})), both,
       "/shortage/persons"},
      {"/shortage/persons of strings", &Originals::run,
       edit([](Editor& e) { e.strings("/shortage/persons", {"a", "b"}); }), both, "/shortage/persons"},
      {"/shortage/persons missing", &Originals::run, edit([](Editor& e) { e.remove("/shortage/persons"); }), both,
       "/shortage/persons"},
      {"/shortage missing", &Originals::run, edit([](Editor& e) { e.remove("/shortage"); }), both,
       "/shortage/persons"},
      {"more branch labels", &Originals::run, edit(labels("branch", {"a", "b", "c", "d", "e", "f", "g"})), both,
       "/shortage/persons"},
      {"more occupation labels", &Originals::run,
       edit(labels("occupation", {"a", "b", "c", "d", "e", "f", "g", "h"})), both, "/shortage/persons"},
      {"fewer subregion labels", &Originals::run, edit(labels("subregion", {"north"})), both, "/shortage/persons"},
      {"no occupation labels", &Originals::run, edit(labels("occupation", {})), both, "/occupation"},
      {"/occupation missing", &Originals::run, edit([](Editor& e) { e.remove("/occupation"); }), both,
       "/occupation"},
      {"/occupation of numbers", &Originals::run,
       edit([](Editor& e) { e.numbers("/occupation", {5}, H5T_STD_I64LE, {1.0}); }), both, "/occupation"},
      {"/occupation of rank 2", &Originals::run,
       edit([](Editor& e) { e.numbers("/occupation", {5, 2}, H5T_STD_I64LE, {1.0}); }), both, "/occupation"},
      {"/year of strings", &Originals::run, edit(labels("year", std::vector<std::string>(Y, "2022"))), both, "/year"},
      {"/year of floating-point numbers", &Originals::run,
       edit([&](Editor& e) { e.numbers("/year", {Y}, H5T_IEEE_F64LE, range(2022, Y)); }), both, "/year"},
      {"years that do not increase", &Originals::run, edit(years(std::vector<double>(Y, 2022))), both, "/year"},
      {"/year garbled on disk", &Originals::run,
       [](const fs::path& f) {
         std::pair<haddr_t, hsize_t> at;
         {
           Editor e(f);
           at = e.raw_bytes("/year");
         }
         scribble(f, at.first, at.second);
       },
       both, "/year"},
      {"/shortage/persons garbled on disk (a compressed chunk)", &Originals::run,
       [](const fs::path& f) {
         std::pair<haddr_t, hsize_t> at;
         {
           Editor e(f);
           at = e.raw_bytes("/shortage/persons");
         }
         scribble(f, at.first, at.second);
       },
       both, "/shortage/persons"},
      {"no root attribute command", &Originals::run, edit([](Editor& e) { e.drop_attr("command"); }),
       both | analyze, "command"},
      {"an unknown command", &Originals::run, edit([](Editor& e) { e.attr_text("command", "frobnicate"); }),
       both | analyze, "command"},
      {"command as a number", &Originals::run, edit([](Editor& e) { e.attr_integer("command", 3); }), both | analyze,
       "command"},
      {"no root attribute replications", &Originals::run, edit([](Editor& e) { e.drop_attr("replications"); }), both,
       "replications"},
      {"replications as text", &Originals::run, edit([](Editor& e) { e.attr_text("replications", "two"); }), both,
       "replications"},
      {"more replications declared than held", &Originals::run,
       edit([](Editor& e) { e.attr_integer("replications", 100000000); }), both, "replications"},
      {"a sparse file declaring 10^8 replications", &Originals::run,
       edit([&](Editor& e) {
         e.attr_integer("replications", 100000000);
         e.sparse("/replication", {100000000}, H5T_STD_I64LE);
         e.make_scale("/replication", "replication");
         e.sparse("/shortage/persons", {100000000, Y, 2, 2, 3}, H5T_IEEE_F64LE);
         e.attach_all("/shortage/persons", kCellDims);
       }),
       both, "/shortage/persons"},
      {"a sparse /year of 10^9 labels", &Originals::run,
       edit([](Editor& e) {
         e.sparse("/year", {1000000000}, H5T_STD_I64LE);
         e.make_scale("/year", "year");
       }),
       both, "/year"},
      {"no root attribute scenario_name", &Originals::run, edit([](Editor& e) { e.drop_attr("scenario_name"); }),
       summary, "scenario_name"},
      {"/uncertainty/shortage/persons of another shape", &Originals::run,
       edit([&](Editor& e) {
         e.group("/uncertainty");
         e.group("/uncertainty/shortage");
         e.numbers("/uncertainty/shortage/persons", {2, Y}, H5T_IEEE_F64LE, {1.0});
         e.attach_all("/uncertainty/shortage/persons", {"replication", "year"});
       }),
       both, "/uncertainty/shortage/persons"},
      // What only the report reads.
      {"/workforce/flows of rank 5", &Originals::run, edit([&](Editor& e) {
         e.numbers("/workforce/flows", {2, Y, 2, 2, 3}, H5T_IEEE_F64LE, {1.0});
         e.attach_all("/workforce/flows", kCellDims);
       }),
       report, "/workforce/flows"},
      {"/demand/fte missing", &Originals::run, edit([](Editor& e) { e.remove("/demand/fte"); }), report, "/demand/fte"},
      {"more need labels than /clients/count has", &Originals::run,
       edit(labels("need", {"a", "b", "c", "d", "e", "f"})), report, "/clients/count"},
      {"/clients/waiting of strings", &Originals::run,
       edit([](Editor& e) { e.strings("/clients/waiting", {"x"}); }), report, "/clients/waiting"},
      {"/stat without p025 and p975 or p05 and p95", &Originals::run, edit(labels("stat", {"mean", "a", "b", "c", "d", "e"})),
       report, "/stat"},
      {"a sparse dataset of 10^9 values elsewhere", &Originals::run,
       edit([](Editor& e) {
         e.sparse("/big", {1000000000}, H5T_STD_I64LE);
         e.make_scale("/big", "big");
       }),
       report, "/big"},
  };
  run_corpus(corpus, "run");
}

TEST_CASE("damaged files that are not HDF5 any more: every reader exits 2 naming the file") {
  const auto dir = test::temp_dir("damaged-bytes");
  const auto truncated = dir / "truncated.h5", garbage = dir / "garbage.h5", empty = dir / "empty.h5";
  fs::copy_file(originals().run, truncated);
  fs::resize_file(truncated, fs::file_size(truncated) / 2);
  fs::copy_file(originals().run, garbage);
  scribble(garbage, 0, 4096);  // the superblock and the root group's header
  test::write_text(empty, "");
  for (const auto& file : {truncated, garbage, empty, dir / "missing.h5", dir}) {
    CAPTURE(file);
    for (const char* command : {"summary", "analyze", "report"}) check_refused(command, file, "", dir);
  }
}

TEST_CASE("damaged compare files: summary and report exit 2 naming the file and the dataset") {
  const unsigned both = summary | report;
  const std::vector<Damage> corpus = {
      {"more scenario labels than the datasets hold", &Originals::compare,
       edit(labels("scenario", {"minimal", "minimal-2", "third"})), both, "/shortage/persons"},
      {"/shortage/persons of a run file's rank", &Originals::compare, edit([](Editor& e) {
         e.numbers("/shortage/persons", {2, 10, 2, 2, 3}, H5T_IEEE_F64LE, {1.0});
         e.attach_all("/shortage/persons", kCellDims);
       }),
       both, "/shortage/persons"},
      {"/scenario missing", &Originals::compare, edit([](Editor& e) { e.remove("/scenario"); }), both, "/scenario"},
      {"alternatives that are not the scenarios after the base", &Originals::compare,
       edit(labels("alternative", {"other"})), report, "/alternative"},
      {"/difference/shortage/persons missing", &Originals::compare,
       edit([](Editor& e) { e.remove("/difference/shortage/persons"); }), report, "/difference/shortage/persons"},
      {"/difference/cost/total of strings", &Originals::compare,
       edit([](Editor& e) { e.strings("/difference/cost/total", {"lots"}); }), report, "/difference/cost/total"},
      {"/interval without lo95", &Originals::compare, edit(labels("interval", {"mean", "lo", "hi95"})), report,
       "/interval"},
  };
  run_corpus(corpus, "compare");
}

TEST_CASE("damaged size-cohorts files: summary and report exit 2 naming the file and the dataset") {
  const unsigned both = summary | report;
  const std::vector<Damage> corpus = {
      {"a rank-1 /cohorts/shortage", &Originals::cohorts, edit([](Editor& e) {
         e.numbers("/cohorts/shortage", {5}, H5T_IEEE_F64LE, {1.0});
         e.attach_all("/cohorts/shortage", {"candidate"});
       }),
       both, "/cohorts/shortage"},
      {"more candidate labels", &Originals::cohorts,
       edit([](Editor& e) {
         e.numbers("/candidate", {40}, H5T_STD_I64LE, range(0, 40));
         e.make_scale("/candidate", "candidate");
       }),
       both, "/cohorts/extra_enrolment"},
      {"a longer /year than the trajectory", &Originals::cohorts, edit(years(range(2022, 30))), both,
       "/cohorts/trajectory"},
      {"/stat without the mean", &Originals::cohorts, edit(labels("stat", {"a", "p025", "p05", "p50", "p95", "p975"})),
       both, "/stat"},
      {"answer as text", &Originals::cohorts, edit([](Editor& e) { e.attr_text("answer", "67"); }), both, "answer"},
      {"no by_year", &Originals::cohorts, edit([](Editor& e) { e.drop_attr("by_year"); }), both, "by_year"},
      {"replications inconsistent with /replication", &Originals::cohorts,
       edit([](Editor& e) { e.attr_integer("replications", 7); }), both, "replications"},
  };
  run_corpus(corpus, "cohorts");
}

TEST_CASE("damaged sweep files: summary, analyze and report exit 2 naming the file and the dataset") {
  const unsigned all = summary | analyze | report;
  const std::vector<Damage> corpus = {
      {"more /output labels (analyze overran the values)", &Originals::sweep,
       edit(labels("output", {"shortage_2031", "two", "three"})), all, "/outputs/values"},
      {"more /parameter labels", &Originals::sweep, edit(labels("parameter", {"a", "b", "c", "d"})), all,
       "base_samples"},
      {"points declared that the file does not hold", &Originals::sweep,
       edit([](Editor& e) { e.attr_integer("points", 17); }), all, "points"},
      {"base_samples that do not give the points", &Originals::sweep,
       edit([](Editor& e) { e.attr_integer("base_samples", 5); }), all, "base_samples"},
      {"no base_samples", &Originals::sweep, edit([](Editor& e) { e.drop_attr("base_samples"); }), analyze,
       "base_samples"},
      {"an unknown design", &Originals::sweep, edit([](Editor& e) { e.attr_text("design", "fractal"); }), all,
       "design"},
      {"/completed marking a point 7", &Originals::sweep, edit([](Editor& e) {
         e.numbers("/completed", {16}, H5T_STD_I8LE, {7.0});
         e.attach_all("/completed", {"point"});
       }),
       all, "/completed"},
      {"/completed of floating-point numbers", &Originals::sweep, edit([](Editor& e) {
         e.numbers("/completed", {16}, H5T_IEEE_F64LE, {1.0});
         e.attach_all("/completed", {"point"});
       }),
       all, "/completed"},
      {"a rank-2 /outputs/values", &Originals::sweep, edit([](Editor& e) {
         e.numbers("/outputs/values", {16, 2}, H5T_IEEE_F64LE, {1.0});
         e.attach_all("/outputs/values", {"point", "replication"});
       }),
       all, "/outputs/values"},
      {"/outputs/values missing", &Originals::sweep, edit([](Editor& e) { e.remove("/outputs/values"); }), all,
       "/outputs/values"},
      {"a sparse sweep declaring 10^9 points", &Originals::sweep,
       edit([](Editor& e) {
         e.attr_integer("points", 1000000000);
         e.attr_integer("base_samples", 250000000);
         e.sparse("/point", {1000000000}, H5T_STD_I64LE);
         e.make_scale("/point", "point");
         e.sparse("/completed", {1000000000}, H5T_STD_I8LE);
         e.attach_all("/completed", {"point"});
       }),
       all, "/completed"},
      {"/bound that is no dimension scale", &Originals::sweep,
       edit([](Editor& e) { e.strings("/bound", {"lo", "hi"}); }), analyze, "/bound"},
      {"stored Sobol' indices of another shape", &Originals::analysed,
       edit([](Editor& e) {
         e.numbers("/sensitivity/sobol_first", {3}, H5T_IEEE_F64LE, {0.5});
         e.attach_all("/sensitivity/sobol_first", {"parameter"});
       }),
       summary | report, "/sensitivity/sobol_first"},
  };
  run_corpus(corpus, "sweep");
}

TEST_CASE("each command handles every kind of output, or refuses the kind with exit 2") {
  const auto& o = originals();
  const auto dir = test::temp_dir("damaged-kinds");
  for (const auto& file : {o.run, o.compare, o.cohorts, o.sweep, o.analysed, o.partial}) {
    CAPTURE(file);
    const auto shown = test::run_program("summary " + q(file), dir);
    CHECK(shown.status == 0);
    CHECK(shown.output.find(file.string()) != std::string::npos);
  }
  CHECK(test::run_program("summary " + q(o.cohorts), dir).output.find("answer: 67") != std::string::npos);
  const auto analysed = test::run_program("summary " + q(o.analysed), dir).output;
  CHECK(analysed.find("16 of 16 points complete") != std::string::npos);
  CHECK(analysed.find("first-order S1") != std::string::npos);
  CHECK(test::run_program("summary " + q(o.partial), dir).output.find("3 of 16 points complete") != std::string::npos);
  CHECK(test::run_program("analyze " + q(o.partial), dir).status == 2);  // the checkpoint of an unfinished sweep
  for (const auto& file : {o.run, o.compare, o.cohorts}) check_refused("analyze", file, "command", dir);
}

TEST_CASE("analyze --force replaces stored results whatever their shape") {
  const auto dir = test::temp_dir("damaged-force");
  const auto file = dir / "a.h5";
  fs::copy_file(originals().analysed, file);
  {
    Editor e(file);
    e.numbers("/sensitivity/sobol_total", {3}, H5T_IEEE_F64LE, {0.5});
  }
  const auto redone = test::run_program("analyze " + q(file) + " --bootstrap 20 --force", dir);
  REQUIRE_MESSAGE(redone.status == 0, redone.output);
  const io::H5Reader in(file);
  CHECK(in.shape("/sensitivity/sobol_total") == std::vector<std::size_t>{1, 2});
  CHECK(in.dims("/sensitivity/sobol_total") == std::vector<std::string>{"output", "parameter"});
}

TEST_CASE("print_shortage_table refuses values that do not fill its cells") {
  std::ostringstream out;
  const std::vector<double> persons(2 * 3 * 2 * 2 * 3, 1.0);
  CHECK_NOTHROW(experiments::print_shortage_table(out, {2022, 2023, 2024}, {"a", "b"}, {"x", "y", "z"}, 2, 2, persons,
                                                  experiments::ShortageColumns::occupation));
  CHECK_THROWS_AS(experiments::print_shortage_table(out, {2022, 2023, 2024, 2025}, {"a", "b"}, {"x", "y", "z"}, 2, 2,
                                                    persons, experiments::ShortageColumns::occupation),
                  std::invalid_argument);
}

TEST_CASE("the read limit: no read allocates more values than it allows") {
  const auto dir = test::temp_dir("damaged-limit");
  const auto file = dir / "limit.h5";
  fs::copy_file(originals().run, file);
  io::H5Reader in(file);
  in.set_read_limit(1000);
  CHECK(in.read_double("/shortage/persons").size() == 2 * 10 * 2 * 2 * 3);
  in.set_read_limit(100);
  CHECK_THROWS_AS(in.read_double("/shortage/persons"), std::runtime_error);
  CHECK_THROWS_AS(in.read_double("/occupation"), std::runtime_error);  // strings are not numbers
  // The budget of an OutputFile covers everything read through it, labels included.
  const io::OutputFile small(file, 240 + 10 + 2 + 2 + 3);  // the values and the labels read
  CHECK_NOTHROW(io::read_shortage_tables(small));
  const io::OutputFile smaller(file, 240 + 10 + 2 + 2 + 2);
  CHECK_THROWS_AS(io::read_shortage_tables(smaller), InputError);
}
