// The frozen description of the disease for a run: parameters, per-layer rates and the course
// expectations derived from them. Built once and shared read-only by every replicate and thread
// (describe, then run); an Epidemic holds a reference to one.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "epidemic/natural_history.h"
#include "epidemic/parameters.h"
#include "epidemic/states.h"
#include "population/population.h"

namespace vg::epidemic {

// Thrown for parameters or rates out of range; what() lists every problem, one per line.
class InvalidParameters : public std::invalid_argument {
 public:
  explicit InvalidParameters(const std::vector<std::string>& problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// How R0 was shared out by `calibrate` (what each layer contributes, in a fully susceptible
// population with no intervention).
struct Calibration {
  Rates rates;
  double household_r = 0;              // household_sar x mean other household members of an infected person
  double community_r = 0;              // r0 - household_r (0 if the household alone exceeds r0)
  double mean_household_contacts = 0;  // size-biased: sum n(n - 1) / sum n over households
  double mean_weighted_infectious_days = 0;
};

// Turns r0, household_sar and the layer weights into rates for this population:
//   household_per_day: the daily probability that reproduces household_sar over an infection,
//   household_r = household_sar x sum_h n_h (n_h - 1) / sum_h n_h (household of a random person),
//   community_r = max(0, r0 - household_r), shared by the weights, and each community rate is its
//   share divided by the mean weighted infectious days. Throws InvalidParameters.
Calibration calibrate(const Parameters& p, const population::Population& pop);

class DiseaseModel {
 public:
  // Throws InvalidParameters when either is out of range.
  DiseaseModel(const Parameters& params, const Rates& rates);
  // calibrate(params, pop), then the above.
  DiseaseModel(const Parameters& params, const population::Population& pop);

  const Parameters& parameters() const { return params_; }
  const Rates& rates() const { return rates_; }
  const CourseSummary& courses() const { return summary_; }
  // R0 these rates give to a person whose household has `household_contacts` other members.
  double r0(double household_contacts) const;

  // Relative infectiousness of a state (0 for states that do not transmit).
  double infectiousness(State s) const { return infectiousness_[static_cast<size_t>(s)]; }
  // Multipliers of a care state: [0] household contacts, [1] everything outside the household.
  const std::array<float, 2>& care_multipliers(Care c) const { return care_[static_cast<size_t>(c)]; }

  Course course(uint64_t seed, uint32_t replicate, uint32_t person) const {
    return draw_course(params_, seed, replicate, person);
  }

 private:
  Parameters params_;
  Rates rates_;
  CourseSummary summary_;
  std::array<double, kStates> infectiousness_{};
  std::array<std::array<float, 2>, kCares> care_{};
};

}  // namespace vg::epidemic
