// The message layer of distributed sweeps: rank 0 (the coordinator) hands out
// sweep points one at a time, worker ranks send back each point's outputs. Only
// the main thread of a rank calls MPI (MPI_THREAD_FUNNELED).
//
// Built with MPI when CMake found it (CAREABM_HAVE_MPI); MPI is initialised only
// when the program was started by mpirun/mpiexec (its environment says so), so a
// plain `careabm sweep` never touches MPI. Without either, Session is one rank and
// the message functions are never called.
#pragma once

#include <string>
#include <vector>

namespace careabm::sweep::mpi {

class Session {
 public:
  Session(int* argc, char*** argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool distributed() const { return size_ > 1; }

 private:
  bool initialised_ = false;
  int rank_ = 0;
  int size_ = 1;
};

// True when this build supports MPI.
bool built_with_mpi();

// ---- coordinator (rank 0)

struct FromWorker {
  enum Kind { ready, result, failed } kind = ready;
  int worker = 0;
  int slots = 0;               // ready: points the worker runs at once
  long point = -1;             // result, failed
  std::vector<double> values;  // result: [replication, output]
  bool input_error = false;    // failed: the point's parameters were bad input
  std::string message;         // failed
};

// Receives one message from any worker if one is waiting; false otherwise.
bool poll_worker(FromWorker& message);
void send_point(int worker, long point, const std::vector<double>& parameters);
void send_stop(int worker);

// ---- worker

struct FromCoordinator {
  enum Kind { work, stop } kind = stop;
  long point = -1;
  std::vector<double> parameters;
};

bool poll_coordinator(FromCoordinator& message);
void send_ready(int slots);
void send_result(long point, const std::vector<double>& values);
void send_failure(long point, bool input_error, const std::string& message);

}  // namespace careabm::sweep::mpi
