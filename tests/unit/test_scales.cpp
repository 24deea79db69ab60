// Calibration handles: incidence and mortality scales, the outflow and
// re-entry scales, the demand growth scale, and the share of a branch's demand that follows the clients.
#include <doctest/doctest.h>

#include <cmath>

#include "simulation/simulate.h"
#include "test_support.h"

using namespace careabm;

TEST_CASE("clients.incidence_scale and mortality_scale multiply the rates") {
  const Params base = test::load(test::example("pipeline.toml"));
  const Params doubled = test::load(test::example("pipeline.toml"), {"clients.incidence_scale=2", "clients.mortality_scale=0.5"});
  for (std::size_t a = 0; a < base.clients.incidence.size(); ++a) {
    CHECK(doubled.clients.incidence[a] == doctest::Approx(2 * base.clients.incidence[a]));
  }
  for (std::size_t k = 0; k < base.clients.mortality.size(); ++k) {
    CHECK(doubled.clients.mortality[k] == doctest::Approx(0.5 * base.clients.mortality[k]));
  }
  const RunResult r0 = simulate(base, 0), r1 = simulate(doubled, 0);
  std::int64_t new0 = 0, new1 = 0;
  for (std::size_t k = 0; k < r0.clients_new.size(); ++k) new0 += r0.clients_new[k], new1 += r1.clients_new[k];
  CHECK(double(new1) == doctest::Approx(2.0 * double(new0)).epsilon(0.01));  // rounding per band and year
  CHECK_THROWS_AS(test::load(test::example("pipeline.toml"), {"clients.incidence_scale=1000"}), InputError);
}

TEST_CASE("outflow.rate_scale and reentry.hazard_scale multiply every rate and keep their ratios") {
  const Params base = test::load(test::example("minimal.toml"));
  const Params scaled = test::load(test::example("minimal.toml"), {"outflow.rate_scale=1.5", "reentry.hazard_scale=0.5"});
  for (std::size_t o = 0; o < base.outflow_rate.size(); ++o) CHECK(scaled.outflow_rate[o] == doctest::Approx(1.5 * base.outflow_rate[o]));
  for (std::size_t k = 0; k < base.reentry_hazard.size(); ++k)
    CHECK(scaled.reentry_hazard[k] == doctest::Approx(0.5 * base.reentry_hazard[k]));
  CHECK_THROWS_AS(test::load(test::example("minimal.toml"), {"reentry.hazard_scale=9"}), InputError);
  const test::ExtendedScenario bad("[outflow]\nrate_scale = -1\n");
  test::check_located_error(bad.file, "outflow.rate_scale", "rate_scale = -1");
}

TEST_CASE("demand.growth_scale multiplies every branch's growth and keeps their ratios") {
  const Params base = test::load(test::example("minimal.toml"));
  const Params scaled = test::load(test::example("minimal.toml"), {"demand.growth_scale=1.5"});
  for (std::size_t b = 0; b < base.demand_growth.size(); ++b) {
    CHECK(base.demand_growth[b] > 0);
    CHECK(scaled.demand_growth[b] == doctest::Approx(1.5 * base.demand_growth[b]));
  }
  const RunResult r = simulate(scaled, 0);
  for (int cell = 0; cell < scaled.cat.cells(); ++cell) {
    const int b = (cell / scaled.cat.O()) % scaled.cat.B();
    CHECK(r.demand[r.at(3, cell)] == doctest::Approx(r.demand[r.at(0, cell)] * std::pow(1.0 + 1.5 * base.demand_growth[b], 3)));
  }
  const test::ExtendedScenario bad("[demand]\ngrowth_scale = 40\n");
  test::check_located_error(bad.file, "demand.growth_scale", "growth_scale = 40");
  // Within its own bounds, but a branch's scaled rate above 0.5: located at the scale.
  const test::ExtendedScenario too_fast("[demand]\ngrowth = { nursing_home = 0.1, home_care = 0.02 }\ngrowth_scale = 6\n");
  test::check_located_error(too_fast.file, "demand.growth_scale", "growth_scale = 6");
}

TEST_CASE("with client share 0, a client-driven branch's demand follows demand.growth alone") {
  const Params p = test::load(test::example("pipeline.toml"),
                              {"clients.demand.home_care_client_share=0", "clients.demand.nursing_home_client_share=0"});
  const RunResult r = simulate(p, 0);
  for (int t = 0; t < p.years(); ++t)
    for (int cell = 0; cell < p.cat.cells(); ++cell) {
      const int b = (cell / p.cat.O()) % p.cat.B();
      const double base = r.fte[r.at(0, cell)] * (1.0 + p.vacancy_ratio[b]);
      CHECK(r.demand[r.at(t, cell)] == doctest::Approx(base * std::pow(1.0 + p.demand_growth[b], t)));
    }
}

TEST_CASE("client share from the norms: each client adds its norm's FTE, the rest of the branch grows with demand.growth") {
  const Params p = test::load(test::example("pipeline.toml"), {"clients.demand.home_care_client_share=\"from_norms\"",
                                                               "clients.demand.nursing_home_client_share=\"from_norms\""});
  const Params absolute = test::load(test::example("pipeline.toml"), {"demand.calibrate_to_base_year=false"});
  const RunResult r = simulate(p, 0), a = simulate(absolute, 0);  // the same clients (same draws)
  const auto& cp = p.clients;
  int additive = 0, whole = 0;
  for (int s = 0; s < p.cat.S(); ++s)
    for (int b : {cp.nursing_home_branch, cp.home_care_branch}) {
      double base = 0;  // the branch's base-year demand in the subregion
      for (int o = 0; o < p.cat.O(); ++o) base += r.fte[r.at(0, p.cat.cell(s, b, o))] * (1.0 + p.vacancy_ratio[b]);
      auto sum = [&](const RunResult& x, int t) {
        double d = 0;
        for (int o = 0; o < p.cat.O(); ++o) d += x.demand[x.at(t, p.cat.cell(s, b, o))];
        return d;
      };
      const double norms0 = sum(a, 0);  // the clients' FTE by the norms (absolute mode)
      (norms0 < base ? additive : whole) += 1;
      for (int t = 0; t < p.years(); ++t) {
        CAPTURE(t);
        if (norms0 < base) {  // the norms cover part of the branch: they add, the rest grows
          const double rest = (base - norms0) * std::pow(1.0 + p.demand_growth[b], t);
          CHECK(sum(r, t) == doctest::Approx(sum(a, t) + rest).epsilon(1e-9));
        } else {  // the share is at most 1: the whole branch moves with the clients
          CHECK(sum(r, t) == doctest::Approx(base * sum(a, t) / norms0).epsilon(1e-9));
        }
      }
    }
  CHECK(additive > 0);  // both cases occur in pipeline.toml
  CHECK(whole > 0);
}
