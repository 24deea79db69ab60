// Stopping cleanly on SIGINT and SIGTERM (README.md, "Command line").
//
// install_interrupt_handlers() makes the first SIGINT or SIGTERM only set a
// flag. Long work checks it at safe points (between replications, between
// the datasets of an output file, before an output is renamed into place)
// and throws Interrupted there; unwinding removes the temporary output and
// the program exits 130. A second signal stops at once: the handler deletes
// the temporary files registered with register_temporary() and exits 130
// without unwinding, so even an impatient second Ctrl-C leaves nothing behind.
#pragma once

#include <stdexcept>
#include <string>

namespace careabm {

// Thrown at a safe point after SIGINT or SIGTERM arrived.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }

 private:
  int signal_;
};

// The exit status of an interrupted command, whichever of the two signals stopped it.
constexpr int kInterruptedExitStatus = 130;

// Installs the handlers for SIGINT and SIGTERM (idempotent).
void install_interrupt_handlers();

// The signal received since the handlers were installed (or since clear_interrupt()), or 0.
int interrupt_signal();

// Throws Interrupted if a signal arrived.
void throw_if_interrupted();

// Forgets a received signal (tests; a command never resumes after one).
void clear_interrupt();

// Files the second signal deletes before exiting. register_temporary() returns
// a slot for unregister_temporary(), or -1 when every slot is taken (the file
// is then only removed by unwinding). Paths longer than the slot are not kept.
int register_temporary(const std::string& path);
void unregister_temporary(int slot);

}  // namespace careabm
