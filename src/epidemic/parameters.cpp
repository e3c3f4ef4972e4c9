#include "epidemic/parameters.h"

#include <cmath>
#include <string>

namespace vg::epidemic {

namespace {

struct Checker {
  std::vector<std::string> problems;
  void range(const char* name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi))
      problems.push_back(std::string(name) + " = " + std::to_string(v) + ": must be between " + std::to_string(lo) +
                         " and " + std::to_string(hi));
  }
};

}  // namespace

std::vector<std::string> validate(const Parameters& p) {
  Checker c;
  c.range("incubation_meanlog", p.incubation_meanlog, -5, 5);
  c.range("incubation_sdlog", p.incubation_sdlog, 1e-6, 3);
  c.range("presymptomatic_days", p.presymptomatic_days, 0, 30);
  c.range("infectious_after_onset_days", p.infectious_after_onset_days, 0, 60);
  c.range("asymptomatic_share", p.asymptomatic_share, 0, 1);
  c.range("presymptomatic_infectiousness", p.presymptomatic_infectiousness, 0, 10);
  c.range("asymptomatic_infectiousness", p.asymptomatic_infectiousness, 0, 10);
  c.range("r0", p.r0, 0, 50);
  c.range("household_sar", p.household_sar, 0, 0.99);
  c.range("group_weight", p.group_weight, 0, 1e6);
  c.range("village_weight", p.village_weight, 0, 1e6);
  c.range("town_weight", p.town_weight, 0, 1e6);
  c.range("isolated_household_multiplier", p.isolated_household_multiplier, 0, 1);
  c.range("isolated_community_multiplier", p.isolated_community_multiplier, 0, 1);
  c.range("hospitalised_multiplier", p.hospitalised_multiplier, 0, 1);
  c.range("importation_window_days", p.importation_window_days, 1, 365);
  return c.problems;
}

std::vector<std::string> validate(const Rates& r) {
  Checker c;
  c.range("household_per_day", r.household_per_day, 0, 1);
  // Poisson means stay on the inversion path (fixed words per draw) below 30 per day.
  c.range("group_per_day", r.group_per_day, 0, 25);
  c.range("village_per_day", r.village_per_day, 0, 25);
  c.range("town_per_day", r.town_per_day, 0, 25);
  return c.problems;
}

}  // namespace vg::epidemic
