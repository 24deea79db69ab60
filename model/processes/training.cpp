// Training: the pipeline from enrolment to graduation (README.md, "The model"; scenarios/README.md, "[training]").
//
// Each year, in this order:
// 1. Supervision: the dropout multiplier of every (subregion, branch) from the
//    trainees there and the supervision places of its experienced workers
//    (processes/supervision.h), as they are before this year's outcomes (the
//    year loop counts the workers in its worker pass and after inflow).
// 2. Upgrading workers (state in_upgrade_training): a worker who left the
//    sector this year (outflow) counts as a dropout; the others drop out
//    (back to active in their old occupation), move to the next study year,
//    or graduate: the occupation (job and qualification) changes, counted
//    out.upgrade in the old cell and in.upgrade in the new one. Active
//    workers qualified as an `upgrade_from` occupation then enrol with the
//    programme's yearly rate (a rare event: the uniform is word 3 of the
//    worker's block of this year, rng::Event::worker_year, kept by the
//    worker pass's outflow or re-entry; only this year's newcomers draw a training_enrolment block).
// 3. Trainee agents: a year older; drop out (hazard of their study year x the
//    supervision multiplier of their workplace), move on, or graduate. A
//    graduate enters the sector with the programme's entry probability, as an
//    active worker of its occupation in the trainee's subregion and branch
//    (drawn from the programme's branch distribution at enrolment), or, with
//    a labour market, for a share vacancy_weight, in an open job of that
//    subregion that the qualification may hold, taken one by one from those
//    the year's flows so far left (labour_market.h, OpenJobs); counted in.graduates; the worker keeps the trainee's uid. Tenure starts at 0,
//    or at the programme's duration for a BBL programme (its trainees worked
//    in the sector all along).
// 4. New trainees: the programme's yearly enrolment per subregion (career-switcher
//    programmes: with the switchers who follow open jobs, labour_market.h; plus the
//    extra trainees of training_cohort interventions, y.adj), in study
//    year 1 (their first outcome is next year, so a D-year programme
//    enrolled in year y graduates in y + D).
// Counters: enrolled, graduates, dropouts per programme; students at year end.
#include <algorithm>
#include <cmath>
#include <vector>

#include "processes/supervision.h"
#include "processes/year.h"

namespace careabm {

namespace {

std::vector<double> dropout_multipliers(const SupervisionTally& workers, const TraineeStore& tr, const Params& p) {
  const auto& sup = p.training.supervision;
  std::vector<double> factor(std::size_t(p.cat.S()) * p.cat.B(), 1.0);
  if (!sup.enabled) return factor;
  const auto load = workers.load(tr, p);
  for (std::size_t sb = 0; sb < factor.size(); ++sb) {
    factor[sb] = supervision_dropout_factor(load.trainees[sb], load.capacity[sb], sup.dropout_elasticity);
  }
  return factor;
}

// Workers in upgrade training: dropout, next study year or graduation; then
// active workers of an upgrade_from occupation enrol (nobody who finished
// this year). Per agent, a chunk of rows at a time, split across threads.
void upgrading_workers(WorkerStore& w, const std::vector<double>& factor, const std::vector<std::uint32_t>& spare_word,
                       const Year& y) {
  const Params& p = y.p;
  const auto& progs = p.training.programmes;
  const int B = p.cat.B(), O = p.cat.O();
  // Upgrade programmes by the occupation they start from.
  std::vector<std::vector<int>> from(O);
  for (int g = 0; g < static_cast<int>(progs.size()); ++g) {
    if (progs[g].is_upgrade()) from[progs[g].upgrade_from].push_back(g);
  }
  std::vector<std::uint8_t> upgrades_from(O);  // 1 for occupations an upgrade programme starts from
  for (int o = 0; o < O; ++o) upgrades_from[o] = !from[o].empty();
  split_rows(y, w.size(), [&](const Year& part, int, std::size_t begin, std::size_t end) {
    std::uint8_t finished[rng::Chunk::kSize];  // by row in the chunk: dropped out or graduated this year
    for (std::size_t i0 = begin; i0 < end; i0 += rng::Chunk::kSize) {
      const std::size_t stop = std::min(end, i0 + rng::Chunk::kSize);
      std::fill(finished, finished + rng::Chunk::kSize, std::uint8_t{0});
      auto in_programme = [&](std::size_t i) {
        const int prog = w.programme[i];
        if (prog == WorkerStore::kNoProgramme) return false;
        if (w.state[i] != WorkerState::in_upgrade_training) {  // left the sector this year
          w.programme[i] = WorkerStore::kNoProgramme;
          part.count_dropout(prog);
          finished[i - i0] = 1;
          return false;
        }
        return true;
      };
      draw_rows(w.uid.data(), i0, stop, part, rng::Event::training_progress, in_programme,
                [&](std::size_t i, const rng::Block& d) {
                  const int prog = w.programme[i];
                  const Programme& g = progs[prog];
                  const double m = g.supervised ? factor[std::size_t(w.subregion[i]) * B + w.branch[i]] : 1.0;
                  if (rng::to_unit(d[0]) < std::fmin(1.0, g.dropout[w.study_year[i] - 1] * m)) {
                    w.state[i] = WorkerState::active;
                    w.programme[i] = WorkerStore::kNoProgramme;
                    part.count_dropout(prog);
                    finished[i - i0] = 1;
                  } else if (w.study_year[i] < g.duration) {
                    ++w.study_year[i];
                  } else {
                    const int old_cell = part.cell_of(w, i);
                    w.occupation[i] = static_cast<std::uint8_t>(g.occupation);
                    w.qualification[i] = static_cast<std::uint8_t>(g.occupation);
                    w.state[i] = WorkerState::active;
                    w.programme[i] = WorkerStore::kNoProgramme;
                    part.count(old_cell, kOutUpgrade);
                    part.count(part.cell_of(w, i), kInUpgrade);
                    part.count_graduate(prog);
                    finished[i - i0] = 1;
                  }
                });
      auto may_enrol = [&](std::size_t i) {
        return bool((finished[i - i0] == 0) & (w.state[i] == WorkerState::active) &
                    (upgrades_from[w.qualification[i]] != 0));
      };
      auto enrol = [&](std::size_t i, std::uint32_t word) {
        const double u = rng::to_unit(word);
        double cum = 0;
        for (int g : from[w.qualification[i]]) {
          cum += progs[g].upgrade_rate;
          if (u >= cum) continue;
          if (w.age[i] < progs[g].upgrade_max_age) {
            w.state[i] = WorkerState::in_upgrade_training;
            w.programme[i] = static_cast<std::uint8_t>(g);
            w.study_year[i] = 1;
            part.count_enrolled(g);
          }
          break;
        }
      };
      // A rare event: no block of its own for the workers of the worker
      // pass, whose outflow (or re-entry) block kept a word for it.
      const std::size_t kept_to = std::min(stop, std::max(i0, spare_word.size()));
      for (std::size_t i = i0; i < kept_to; ++i)
        if (may_enrol(i)) enrol(i, spare_word[i]);
      // This year's newcomers (inflow) draw one.
      if (kept_to < stop)
        draw_rows(w.uid.data(), kept_to, stop, part, rng::Event::training_enrolment, may_enrol,
                  [&](std::size_t i, const rng::Block& d) { enrol(i, d[0]); });
    }
  });
}

void trainees(TraineeStore& tr, WorkerStore& w, const std::vector<double>& factor, const Year& y) {
  const Params& p = y.p;
  const auto& progs = p.training.programmes;
  const int B = p.cat.B(), O = p.cat.O();
  RunResult& out = y.out;
  const auto female = rng::threshold(p.female_share);
  // Graduates take a job in their subregion: their programme's branch, or,
  // for a share vacancy_weight with a labour market, an open job among the
  // occupations their qualification may hold (processes/labour_market.h).
  const double w_vacancy = p.labour_market.vacancy_weight;
  OpenJobs open(p, y.vacancies, open_left(p, y.vacancies, y.out, y.t), true);  // what the year's flows so far left
  // Every trainee: the store holds none who finished (compacted last year).
  for_each_draw_all(tr.uid, y, rng::Event::training_progress, [&](std::size_t i, const rng::Block& d) {
    const int prog = tr.programme[i];
    const Programme& g = progs[prog];
    if (tr.age[i] < 255) ++tr.age[i];
    const double m = g.supervised ? factor[std::size_t(tr.subregion[i]) * B + tr.branch[i]] : 1.0;
    if (rng::to_unit(d[0]) < std::fmin(1.0, g.dropout[tr.study_year[i] - 1] * m)) {
      tr.done[i] = 1;
      ++out.dropouts[out.programme_at(y.t, prog)];
      return;
    }
    if (tr.study_year[i] < g.duration) {
      ++tr.study_year[i];
      return;
    }
    tr.done[i] = 1;
    ++out.graduates[out.programme_at(y.t, prog)];
    const auto e = y.rng.draw(y.year, tr.uid[i], rng::Event::graduate_entry);
    if (e[0] >= rng::threshold(g.entry_probability)) return;  // works elsewhere
    const int cell = open.place(p.cat.cell(tr.subregion[i], tr.branch[i], g.occupation), tr.subregion[i],
                                g.occupation, w_vacancy, e[2]);
    const int branch = (cell / O) % B;
    WorkerStore::New n_{};
    n_.uid = tr.uid[i];
    n_.subregion = tr.subregion[i];
    n_.branch = static_cast<std::uint8_t>(branch);
    n_.occupation = static_cast<std::uint8_t>(cell % O);
    n_.qualification = static_cast<std::uint8_t>(g.occupation);
    n_.age = tr.age[i];
    n_.tenure = static_cast<std::uint8_t>(g.bbl ? g.duration : 0);  // BBL: worked in the sector while training
    n_.hours = draw_hours(p, branch, e[1]);
    n_.employment = Employment::employee;
    n_.female = e[3] < female;
    w.add(n_);
    y.count(cell, kInGraduates);
  });
}

void enrolment(TraineeStore& tr, const Year& y) {
  const Params& p = y.p;
  const auto& progs = p.training.programmes;
  // The given enrolment, except that career-switcher programmes take the
  // switchers who follow open jobs into their occupation (labour_market.h).
  const auto expected = switcher_split(p, y.vacancies, y.t).enrolment;
  for (int g = 0; g < static_cast<int>(progs.size()); ++g) {
    if (progs[g].is_upgrade()) continue;
    for (int s = 0; s < p.cat.S(); ++s) {
      const auto n = static_cast<std::uint64_t>(std::llround(expected[g][s]));
      for (std::uint64_t j = 0; j < n; ++j) enrol_trainee(tr, p, y.rng, g, s, y.year, j, 1);
      y.out.enrolled[y.out.programme_at(y.t, g)] += static_cast<std::int64_t>(n);
    }
  }
  // Extra trainees of training_cohort interventions: their own uid origin per intervention.
  for (const auto& extra : y.adj.extra_enrolment) {
    for (int s = 0; s < p.cat.S(); ++s) {
      const std::uint32_t n = extra.per_subregion[s];
      for (std::uint64_t j = 0; j < n; ++j) {
        enrol_trainee(tr, p, y.rng, extra.programme, s, y.year, j, 1, kExtraTraineeOrigin + extra.k);
      }
      y.out.enrolled[y.out.programme_at(y.t, extra.programme)] += n;
    }
  }
}

}  // namespace

void training(TraineeStore& tr, WorkerStore& w, const Year& y, const SupervisionTally& supervision,
              const std::vector<std::uint32_t>& spare_word) {
  if (!y.p.training.enabled()) return;
  const auto factor = dropout_multipliers(supervision, tr, y.p);
  upgrading_workers(w, factor, spare_word, y);
  trainees(tr, w, factor, y);
  enrolment(tr, y);
}

}  // namespace careabm
