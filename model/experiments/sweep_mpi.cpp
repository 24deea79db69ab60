#include "experiments/sweep_mpi.h"

#include <cstdlib>
#include <stdexcept>

#ifdef CAREABM_HAVE_MPI
#include <mpi.h>
#endif

namespace careabm::sweep::mpi {

#ifdef CAREABM_HAVE_MPI

namespace {

// Message tags. A point message is [point, parameter values...]; a result is
// [point, outputs...]; a failure is [input_error, point] followed by the text.
enum Tag : int { kReady = 1, kResult = 2, kFailed = 3, kFailedText = 4, kPoint = 5, kStop = 6 };

// Launchers export these; a singleton MPI_Init outside mpirun is avoided on purpose
// (it would start a runtime daemon for nothing).
bool launched_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"}) {
    if (std::getenv(name)) return true;
  }
  return false;
}

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

int count_of(const MPI_Status& status, MPI_Datatype type) {
  int n = 0;
  check(MPI_Get_count(&status, type, &n), "MPI_Get_count");
  return n;
}

}  // namespace

Session::Session(int* argc, char*** argv) {
  if (!launched_by_mpirun()) return;
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  initialised_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() {
  if (initialised_) MPI_Finalize();
}

bool built_with_mpi() { return true; }

bool poll_worker(FromWorker& m) {
  int waiting = 0;
  MPI_Status status;
  check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status), "MPI_Iprobe");
  if (!waiting) return false;
  m = FromWorker{};
  m.worker = status.MPI_SOURCE;
  switch (status.MPI_TAG) {
    case kReady:
      m.kind = FromWorker::ready;
      check(MPI_Recv(&m.slots, 1, MPI_INT, m.worker, kReady, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
      return true;
    case kResult: {
      std::vector<double> buffer(count_of(status, MPI_DOUBLE));
      check(MPI_Recv(buffer.data(), static_cast<int>(buffer.size()), MPI_DOUBLE, m.worker, kResult,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "MPI_Recv");
      m.kind = FromWorker::result;
      m.point = static_cast<long>(buffer.at(0));
      m.values.assign(buffer.begin() + 1, buffer.end());
      return true;
    }
    case kFailed: {
      long header[2];
      check(MPI_Recv(header, 2, MPI_LONG, m.worker, kFailed, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
      MPI_Status text_status;
      check(MPI_Probe(m.worker, kFailedText, MPI_COMM_WORLD, &text_status), "MPI_Probe");
      std::string text(count_of(text_status, MPI_CHAR), '\0');
      check(MPI_Recv(text.data(), static_cast<int>(text.size()), MPI_CHAR, m.worker, kFailedText,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "MPI_Recv");
      m.kind = FromWorker::failed;
      m.input_error = header[0] != 0;
      m.point = header[1];
      m.message = std::move(text);
      return true;
    }
    default: throw std::runtime_error("MPI: unexpected message tag " + std::to_string(status.MPI_TAG));
  }
}

void send_point(int worker, long point, const std::vector<double>& parameters) {
  std::vector<double> buffer;
  buffer.reserve(parameters.size() + 1);
  buffer.push_back(static_cast<double>(point));  // exact: points < 2^53
  buffer.insert(buffer.end(), parameters.begin(), parameters.end());
  check(MPI_Send(buffer.data(), static_cast<int>(buffer.size()), MPI_DOUBLE, worker, kPoint, MPI_COMM_WORLD),
        "MPI_Send");
}

void send_stop(int worker) { check(MPI_Send(nullptr, 0, MPI_INT, worker, kStop, MPI_COMM_WORLD), "MPI_Send"); }

bool poll_coordinator(FromCoordinator& m) {
  int waiting = 0;
  MPI_Status status;
  check(MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status), "MPI_Iprobe");
  if (!waiting) return false;
  m = FromCoordinator{};
  if (status.MPI_TAG == kStop) {
    check(MPI_Recv(nullptr, 0, MPI_INT, 0, kStop, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
    m.kind = FromCoordinator::stop;
    return true;
  }
  if (status.MPI_TAG != kPoint) throw std::runtime_error("MPI: unexpected message tag " + std::to_string(status.MPI_TAG));
  std::vector<double> buffer(count_of(status, MPI_DOUBLE));
  check(MPI_Recv(buffer.data(), static_cast<int>(buffer.size()), MPI_DOUBLE, 0, kPoint, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE),
        "MPI_Recv");
  m.kind = FromCoordinator::work;
  m.point = static_cast<long>(buffer.at(0));
  m.parameters.assign(buffer.begin() + 1, buffer.end());
  return true;
}

void send_ready(int slots) { check(MPI_Send(&slots, 1, MPI_INT, 0, kReady, MPI_COMM_WORLD), "MPI_Send"); }

void send_result(long point, const std::vector<double>& values) {
  std::vector<double> buffer;
  buffer.reserve(values.size() + 1);
  buffer.push_back(static_cast<double>(point));
  buffer.insert(buffer.end(), values.begin(), values.end());
  check(MPI_Send(buffer.data(), static_cast<int>(buffer.size()), MPI_DOUBLE, 0, kResult, MPI_COMM_WORLD),
        "MPI_Send");
}

void send_failure(long point, bool input_error, const std::string& message) {
  long header[2] = {input_error ? 1L : 0L, point};
  check(MPI_Send(header, 2, MPI_LONG, 0, kFailed, MPI_COMM_WORLD), "MPI_Send");
  check(MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, kFailedText, MPI_COMM_WORLD),
        "MPI_Send");
}

#else  // no MPI: one rank; the message functions are unreachable.

namespace {
[[noreturn]] void unavailable() { throw std::logic_error("careabm was built without MPI"); }
}  // namespace

Session::Session(int*, char***) {}
Session::~Session() = default;
bool built_with_mpi() { return false; }
bool poll_worker(FromWorker&) { unavailable(); }
void send_point(int, long, const std::vector<double>&) { unavailable(); }
void send_stop(int) { unavailable(); }
bool poll_coordinator(FromCoordinator&) { unavailable(); }
void send_ready(int) { unavailable(); }
void send_result(long, const std::vector<double>&) { unavailable(); }
void send_failure(long, bool, const std::string&) { unavailable(); }

#endif

}  // namespace careabm::sweep::mpi
