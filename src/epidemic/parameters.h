// What the epidemic model is told: the natural history of COVID-19 as estimated in early 2020, how
// strongly it spreads in each contact layer, and how care states cut contacts. Every default is
// listed with its source in docs/epidemic.md; every field may be overridden. Parameters are plain
// data; `validate` lists every problem at once so a caller can report them together.
#pragma once

#include <string>
#include <vector>

namespace vg::epidemic {

struct Parameters {
  // ---- natural history (days) -----------------------------------------------------------------
  // Incubation period (infection to symptom onset), lognormal: log T ~ Normal(meanlog, sdlog).
  // Lauer et al. 2020: median exp(1.621) = 5.1 d, mean 5.5 d, 97.5th percentile 11.5 d.
  double incubation_meanlog = 1.621;
  double incubation_sdlog = 0.418;
  // Infectiousness begins this long before symptom onset (He et al. 2020: 2.3 d, 95% CI 0.8-3.0),
  // but never on the day of infection itself.
  double presymptomatic_days = 2.0;
  // ... and ends this long after onset (He et al. 2020: infectiousness declines within ~7 days).
  // Asymptomatic infections are infectious over the same window, as if they had an onset.
  double infectious_after_onset_days = 7.0;
  // Share of infections that never develop symptoms (Buitrago-Garcia et al. 2020: 20%).
  double asymptomatic_share = 0.20;
  // Infectiousness relative to a symptomatic case (Buitrago-Garcia et al. 2020: asymptomatic RR
  // 0.35; presymptomatic taken equal to symptomatic, He et al. 2020 peak at onset).
  double presymptomatic_infectiousness = 1.0;
  double asymptomatic_infectiousness = 0.35;

  // ---- transmission ---------------------------------------------------------------------------
  // Basic reproduction number, all layers together, in a fully susceptible population with no
  // intervention (Li et al. 2020: 2.2; Wu et al. 2020: 2.68). `calibrate` gives the household
  // layer what `household_sar` implies and shares the rest between the community layers.
  double r0 = 2.2;
  // Household secondary attack rate: the probability that one index case infects one given
  // household member over its whole infectious period, averaged over all index cases
  // (symptomatic and asymptomatic), no isolation (Bi et al. 2020: 11.2%; Jing et al. 2020:
  // 12.4-17.1%).
  double household_sar = 0.15;
  // How the community part of R0 (r0 minus the household part) is shared among the villager
  // group, the whole village and the other villages of the town. Relative weights (assumption).
  // A zero weight switches the layer off; all zero leaves only the household layer.
  double group_weight = 0.5;
  double village_weight = 0.4;
  double town_weight = 0.1;

  // ---- care -----------------------------------------------------------------------------------
  // Contact multipliers applied on top of the person's own (set by the engine) while Isolated or
  // Hospitalised, for household contacts and for everything outside the household. Isolation in
  // early 2020 meant designated isolation sites (集中隔离), so nothing is left by default.
  double isolated_household_multiplier = 0.0;
  double isolated_community_multiplier = 0.0;
  double hospitalised_multiplier = 0.0;

  // ---- importation ----------------------------------------------------------------------------
  // An infected returnee was infected on one of the last `importation_window_days` days up to
  // and including the day of arrival, each equally likely (assumption: the 14-day observation
  // window, Li et al. 2020).
  int importation_window_days = 14;
};

// Per-layer transmission rates, per infectious day of a person with relative infectiousness 1 and
// contact multipliers 1. Derived from Parameters by `calibrate`, or set directly.
struct Rates {
  // Probability per day of infecting each household member (susceptible, multiplier 1).
  double household_per_day = 0;
  // Expected infectious contacts per day, each with one person drawn uniformly from the others of
  // the infector's villager group / village / town. A contact infects if the person is
  // susceptible, with probability the person's own community multiplier.
  double group_per_day = 0;
  double village_per_day = 0;
  double town_per_day = 0;
};

// Every problem with the parameters (empty when none), each naming the field.
std::vector<std::string> validate(const Parameters& p);
std::vector<std::string> validate(const Rates& r);

}  // namespace vg::epidemic
