// R0 of a disease model in a population: the dominant eigenvalue of the next-generation matrix
// (NGM) of the four transmission layers, and the share of infections each layer carries.
//
// Types. A new infection's type is the layer it happened in: household, villager group, village
// or town. The type matters for one thing only, the person's household: someone infected in a
// community layer is a person drawn uniformly (from a group, a village or a town), so their
// household is that of a random person, with on average
//     mu_c = sum_h n_h (n_h - 1) / sum_h n_h
// other members (size-biased: big households hold more people). Someone infected at home was
// picked as one of the n - 1 others of an infected person's household, so households are drawn
// in proportion to n (n - 1) and the mean number of other members is
//     mu_h = sum_h n_h (n_h - 1)^2 / sum_h n_h (n_h - 1)      (>= mu_c, equal when all n are equal).
// Entries, K[i][j] = expected infections of type i caused by one infection of type j:
//     K[household][j] = SAR x mu_j                (mu_j = mu_h for j = household, else mu_c)
//     K[l][j]         = rate_l x mean weighted infectious days      (l = group, village, town)
// where SAR = CourseSummary::household_sar(rates.household_per_day): the community contacts of a
// case do not depend on how it was infected. R0 is the dominant eigenvalue of K and the layer
// shares are its eigenvector summed to 1: in the growing epidemic, the share of new infections
// that happen in each layer (equivalently, the share of a typical case's offspring).
//
// Like `calibrate`, this counts every household member once: it ignores the depletion of
// susceptibles inside a household (a person infected at home has, in truth, at least one member
// fewer to infect: their infector). It pools the villages: a scenario whose villages differ in
// household size gets the household moments of the whole population. Symptomatic and
// asymptomatic cases are not separate types: they differ in infectiousness, not in whom they
// meet, so they would add a rank-one factor that averages out (the mean weighted infectious days).
//
// Known answers (tests/epidemic/next_generation_test.cpp): with one community layer and no
// household transmission, R0 = r0; with households alone, R0 = SAR x mu_h, which for households of
// one size n is SAR x (n - 1) = SAR x mu_c; with households of one size and every layer, R0 = r0.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "epidemic/disease_model.h"
#include "population/population.h"

namespace vg::epidemic {

// The four transmission layers, in Layer order (household, group, village, town).
inline constexpr int kTransmissionLayers = 4;

// Mean number of other household members of a person infected in a community layer (mu_c) and
// of one infected at home (mu_h); see above. Zero when there are no such pairs.
struct HouseholdMoments {
  double community_infected = 0;  // mu_c = sum n (n - 1) / sum n
  double household_infected = 0;  // mu_h = sum n (n - 1)^2 / sum n (n - 1)
};
HouseholdMoments household_moments(const population::Population& pop);

struct NextGeneration {
  using Matrix = std::array<std::array<double, kTransmissionLayers>, kTransmissionLayers>;
  Matrix matrix{};  // matrix[i][j]: infections of type i (layer) caused by one of type j
  HouseholdMoments households;
  double household_sar = 0;  // per household member over a whole infection, from the rates
  double r0 = 0;             // dominant eigenvalue of `matrix`
  // The dominant eigenvector summed to 1, by layer; all 0 when r0 is 0.
  std::array<double, kTransmissionLayers> layer_share{};
  double household_share() const { return layer_share[0]; }
};

// The NGM from per-layer figures: the household SAR, the expected community infections per case in
// the group, village and town layers, and the household moments.
NextGeneration next_generation(double household_sar, const std::array<double, 3>& community_r,
                               const HouseholdMoments& households);
// The NGM of a disease model's rates (calibrated or set directly) in a population.
NextGeneration next_generation(const DiseaseModel& model, const population::Population& pop);

// Why `p.r0` cannot be honoured: it is below the household part that `calibrate` found
// (c.household_r), so the community layers would need a negative share. The message gives both
// figures; nullopt when r0 is at least the household part.
std::optional<std::string> r0_below_households(const Parameters& p, const Calibration& c);

}  // namespace vg::epidemic
