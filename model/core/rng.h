// Counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3", SC'11).
//
// Every random decision in careabm is a pure function of
// (seed, replication, year, agent uid, event kind), so results do not depend
// on thread or rank count, and two scenarios run with the same seed share
// their random numbers (common random numbers).
#pragma once

#include <array>
#include <cstdint>

namespace careabm::rng {

using Block = std::array<std::uint32_t, 4>;
using Key = std::array<std::uint32_t, 2>;

// One Philox4x32 block with 10 rounds. Known-answer vectors in tests/unit/test_rng.cpp.
inline Block philox4x32_10(Block ctr, Key key) {
  constexpr std::uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = std::uint64_t{kMul0} * ctr[0];
    const std::uint64_t p1 = std::uint64_t{kMul1} * ctr[2];
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    ctr = {hi1 ^ ctr[1] ^ key[0], lo1, hi0 ^ ctr[3] ^ key[1], lo0};
    key[0] += kWeyl0;
    key[1] += kWeyl1;
  }
  return ctr;
}

// Kinds of random event. Each process draws from its own kind, so adding a
// draw to one process never shifts another's numbers. Values are part of the
// reproducibility contract: append, never renumber.
enum class Event : std::uint32_t {
  init_age = 1,
  init_tenure = 2,
  init_hours = 3,
  outflow = 10,   // 10-12, 17: until 0.3, before worker_year; no longer drawn
  transfer = 11,
  reentry = 12,
  inflow_attributes = 13,
  reserve_exit = 14,
  employment_switch = 15,
  inflow_extra = 16,
  mobility = 17,
  recruitment = 18,             // reserve: word 0 hired, word 1 branch; outside pool: word 0 rounds the count
  recruitment_attributes = 19,  // a recruit from the outside pool: branch, age, hours, sex
  training_progress = 20,
  training_enrolment = 21,  // trainees: word 0 branch, 1 age; upgrade enrolment of the year's newcomers: word 0
  graduate_entry = 22,
  // The worker pass (simulation/worker_pass.h): one block per worker-year for
  // all its kernels, expanded to eight words (Words below):
  //   0 outflow: leaving;                  a reserve member: returning (reentry)
  //   1 outflow: where a leaver goes;      a stayer: occupational mobility;
  //                                        a returner: whether it looks for an
  //                                        open job, and which (reentry, seekers)
  //   2 outflow: retiring in the year of the pension age's whole part
  //   3 upgrade enrolment (training), of a worker or of a returner
  //   4 transfer: branch   5 transfer: subregion   6 transfer: employee <-> self-employed
  //   7 transfer: whether a branch changer looks for an open job, and which (seekers)
  // A word serves two decisions only where they exclude each other (a worker
  // leaves or stays; a reserve member is neither), so every decision has a
  // word of its own.
  worker_year = 23,
  client_incidence = 30,
  client_progression = 31,
  client_death = 32,  // 30-32: until 0.2, before client_year; no longer drawn
  client_year = 33,   // word 0: death, word 1: need progression
  design = 40,
  bootstrap = 41,
  intervention_uptake = 50,
};

// The stream of one (seed, replication): draws are addressed by (year, uid, event).
class Stream {
 public:
  Stream(std::uint64_t seed, std::uint32_t replication)
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        replication_(replication) {}

  // Four independent 32-bit words for one decision of one agent in one year.
  Block draw(int year, std::uint64_t uid, Event event) const {
    return philox4x32_10({static_cast<std::uint32_t>(uid), static_cast<std::uint32_t>(uid >> 32),
                          counter_word(year, event), replication_},
                         key_);
  }

  // The parts of the counter and key (for lane-parallel drawing, rng_batch.h).
  static std::uint32_t counter_word(int year, Event event) {
    return (static_cast<std::uint32_t>(year) << 16) ^ static_cast<std::uint32_t>(event);
  }
  std::uint32_t replication() const { return replication_; }
  const Key& key() const { return key_; }

 private:
  Key key_;
  std::uint32_t replication_;
};

// Four more words from one block, for a pass that needs more than four
// decisions per agent-year (Event::worker_year): words 4-7 are two 64-bit
// values, each the splitmix64 finaliser (Steele, Lea and Flood, "Fast
// splittable pseudorandom number generators", OOPSLA'14) of a different mix
// of the block's 128 bits. They depend on every word of the block, so a
// decision taken on one word leaves them uniform; their statistical checks
// are in tests/unit/test_rng.cpp.
inline std::uint64_t splitmix64_finalise(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
inline std::array<std::uint32_t, 4> expand(std::uint32_t w0, std::uint32_t w1, std::uint32_t w2, std::uint32_t w3) {
  const std::uint64_t a = (std::uint64_t{w1} << 32) | w0, b = (std::uint64_t{w3} << 32) | w2;
  const std::uint64_t h0 = splitmix64_finalise(a ^ (b * 0x9E3779B97F4A7C15ull) ^ 0x2545F4914F6CDD1Dull);
  const std::uint64_t h1 = splitmix64_finalise(b ^ (a * 0xD1B54A32D192ED03ull) ^ 0x632BE59BD9B4E019ull);
  return {static_cast<std::uint32_t>(h0), static_cast<std::uint32_t>(h0 >> 32), static_cast<std::uint32_t>(h1),
          static_cast<std::uint32_t>(h1 >> 32)};
}

// A 32-bit word as a double strictly inside (0, 1).
inline double to_unit(std::uint32_t word) { return (static_cast<double>(word) + 0.5) * 0x1p-32; }

// A probability as a 32-bit threshold: `word < threshold(p)` happens with probability p
// (exactly, up to rounding of p to a multiple of 2^-32).
inline std::uint64_t threshold(double p) {
  if (p <= 0.0) return 0;
  if (p >= 1.0) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(p * 0x1p32 + 0.5);
}

}  // namespace careabm::rng
