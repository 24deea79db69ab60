// Seekers: the entrants of the worker pass who follow open jobs (returners
// from the reserve and branch changers; reentry.h, transfer.h) take them
// after the pass, one by one in the order recorded (chunk by chunk of the
// store: a chunk's branch changers, then its returners), from the jobs the
// year's flows so far have left open (processes/labour_market.h, OpenJobs).
// A returner takes an open job in its former subregion that its
// qualification may hold, a branch changer one of its occupation in another
// branch of its new subregion; where none is open, the former cell or the
// matrix's branch.
// Their flows are counted here (in.reentry; out.transfer and in.transfer),
// and the supervision tally of the worker pass follows their move. Parts of
// a split pass start at chunk boundaries and are joined in part order, so
// the order, and the result, is the same for any number of threads.
#include "processes/supervision.h"
#include "processes/year.h"

namespace careabm {

void seekers(WorkerStore& w, const Year& y, const std::vector<Seeker>& list, const SupervisionTally& supervision) {
  if (list.empty()) return;
  const Params& p = y.p;
  const int O = p.cat.O(), B = p.cat.B();
  const double follows = p.labour_market.vacancy_weight;
  OpenJobs open(p, y.vacancies, open_left(p, y.vacancies, y.out, y.t), true);
  for (const Seeker& k : list) {
    const std::size_t i = k.row;
    if (supervision.active()) supervision.count(w, i, -1);
    const int from = y.cell_of(w, i);
    int cell;
    if (k.to_subregion < 0) {  // a returner
      cell = open.place(from, w.subregion[i], w.qualification[i], follows, k.word);
      y.count(cell, kInReentry);
    } else {  // a branch changer
      const int rule = p.cat.cell(k.to_subregion, k.rule_branch, w.occupation[i]);
      cell = open.place_branch_changer(rule, k.to_subregion, w.occupation[i], w.branch[i], follows, k.word);
      open.release(from);
      y.count(from, kOutTransfer);
      y.count(cell, kInTransfer);
    }
    w.subregion[i] = static_cast<std::uint8_t>(cell / (O * B));
    w.branch[i] = static_cast<std::uint8_t>((cell / O) % B);
    w.occupation[i] = static_cast<std::uint8_t>(cell % O);
    if (supervision.active()) supervision.count(w, i, 1);
  }
}

}  // namespace careabm
