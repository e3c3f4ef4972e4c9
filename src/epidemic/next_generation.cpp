#include "epidemic/next_generation.h"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <cstdio>

namespace vg::epidemic {

HouseholdMoments household_moments(const population::Population& pop) {
  double persons = 0, pairs = 0, pairs_others = 0;
  for (size_t h = 0; h < pop.households(); ++h) {
    const double n = pop.household_size[h];
    persons += n;
    pairs += n * (n - 1);
    pairs_others += n * (n - 1) * (n - 1);
  }
  HouseholdMoments m;
  if (persons > 0) m.community_infected = pairs / persons;
  if (pairs > 0) m.household_infected = pairs_others / pairs;
  return m;
}

NextGeneration next_generation(double household_sar, const std::array<double, 3>& community_r,
                               const HouseholdMoments& households) {
  NextGeneration g;
  g.households = households;
  g.household_sar = household_sar;
  Eigen::Matrix4d k;
  for (int j = 0; j < kTransmissionLayers; ++j) {
    k(0, j) = household_sar * (j == 0 ? households.household_infected : households.community_infected);
    for (int l = 1; l < kTransmissionLayers; ++l) k(l, j) = community_r[size_t(l - 1)];
  }
  for (int i = 0; i < kTransmissionLayers; ++i)
    for (int j = 0; j < kTransmissionLayers; ++j) g.matrix[size_t(i)][size_t(j)] = k(i, j);

  // K is non-negative, so its dominant eigenvalue is real and has a non-negative eigenvector
  // (Perron-Frobenius): the eigenvalue of largest real part.
  const Eigen::EigenSolver<Eigen::Matrix4d> solver(k);
  const auto& values = solver.eigenvalues();
  Eigen::Index best = 0;
  for (Eigen::Index i = 1; i < values.size(); ++i)
    if (values(i).real() > values(best).real()) best = i;
  g.r0 = std::max(0.0, values(best).real());
  if (g.r0 <= 1e-12) {
    g.r0 = 0;
    return g;
  }
  const Eigen::Vector4d v = solver.eigenvectors().col(best).real();
  const double sum = v.sum();
  for (int i = 0; i < kTransmissionLayers; ++i) g.layer_share[size_t(i)] = std::max(0.0, v(i) / sum);
  return g;
}

NextGeneration next_generation(const DiseaseModel& model, const population::Population& pop) {
  const Rates& r = model.rates();
  const double days = model.courses().mean_weighted_infectious_days();
  return next_generation(model.courses().household_sar(r.household_per_day),
                         {r.group_per_day * days, r.village_per_day * days, r.town_per_day * days},
                         household_moments(pop));
}

std::optional<std::string> r0_below_households(const Parameters& p, const Calibration& c) {
  if (!(c.household_r > p.r0)) return std::nullopt;
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "r0 %.3g is below what households alone give, %.3g (household_sar %.3g x %.3g, the mean number of "
                "other members in a person's household): raise r0 to at least %.3g or lower household_sar to at "
                "most %.3g",
                p.r0, c.household_r, p.household_sar, c.mean_household_contacts, c.household_r,
                c.mean_household_contacts > 0 ? p.r0 / c.mean_household_contacts : 0.0);
  return std::string(buf);
}

}  // namespace vg::epidemic
