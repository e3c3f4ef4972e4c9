// The course of one infection, drawn once per person, and the expectations over all courses that
// calibration needs.
//
// Time is in whole days. An infection happens at an unknown moment of its infection day, taken as
// a uniform fraction u of the day; an event a continuous time T after infection then falls on day
// floor(u + T) after the infection day. floor(u + T) has expectation exactly T, so discretising
// neither shortens nor lengthens any period on average.
//
// Randomness: Purpose::Infection, entity = person, day = 0, keyed by (seed, replicate). Words 0-3
// of that stream belong to importation (importation.h); the course uses words 4 on:
//   words 4-7: the incubation period (lognormal, 4 words), words 8-9: asymptomatic or not,
//   words 10-11: the fraction of the infection day.
// The course therefore does not depend on when, where or by whom the person is infected, so a
// policy that changes infection times leaves everyone's incubation period as it was.
#pragma once

#include <cstdint>
#include <vector>

#include "epidemic/parameters.h"

namespace vg::epidemic {

struct Course {
  double incubation_days = 0;  // the continuous draw (also drawn for asymptomatic cases)
  double day_fraction = 0;     // u: when in its day the infection happened
  bool asymptomatic = false;
  // Days after the infection day: infectious_offset >= 1 (no one transmits on the day they are
  // infected); onset_offset >= infectious_offset, or -1 for an asymptomatic case;
  // recovery_offset > onset_offset (symptomatic) or > infectious_offset (asymptomatic).
  int32_t infectious_offset = 1;
  int32_t onset_offset = -1;
  int32_t recovery_offset = 2;
};

// The day offsets for given continuous draws (the deterministic part of draw_course).
Course course_from(const Parameters& p, double incubation_days, double day_fraction, bool asymptomatic);

// The course of `person` in replicate `replicate`.
Course draw_course(const Parameters& p, uint64_t seed, uint32_t replicate, uint32_t person);

// Distribution of infectious day counts over all courses, computed once by integrating the
// lognormal incubation period (4,096 quantile midpoints) and, exactly, the day fraction u. Used
// to turn R0 and the household SAR into rates; accurate to about 1e-4 relative.
class CourseSummary {
 public:
  explicit CourseSummary(const Parameters& p);

  // Expected infectious days of one infection, and the same weighted by relative infectiousness.
  double mean_infectious_days() const { return mean_days_; }
  double mean_weighted_infectious_days() const { return mean_weighted_days_; }
  // Expected presymptomatic share of a symptomatic case's weighted infectious days.
  double presymptomatic_share() const { return presymptomatic_share_; }
  // Probability that one index case infects one given household member when the daily
  // probability at relative infectiousness 1 is `per_day` (contacts not otherwise infected).
  double household_sar(double per_day) const;
  // The per-day probability giving `sar` (bisection; the largest possible if `sar` is out of reach).
  double household_per_day_for(double sar) const;

 private:
  struct Bin {
    int32_t pre_days, post_days;  // symptomatic: presymptomatic and symptomatic days
    double weight;
  };
  struct AsymBin {
    int32_t days;
    double weight;
  };
  double asym_share_, w_pre_, w_sym_, w_asym_;
  std::vector<Bin> sym_;       // weights sum to 1
  std::vector<AsymBin> asym_;  // weights sum to 1
  double mean_days_ = 0, mean_weighted_days_ = 0, presymptomatic_share_ = 0;
};

// Inverse of the standard normal distribution function: Acklam's rational approximation (relative
// error 1.15e-9) refined by one Halley step, which brings it close to double precision.
double normal_quantile(double p);

}  // namespace vg::epidemic
