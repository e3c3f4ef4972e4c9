#include "epidemic/disease_model.h"

namespace vg::epidemic {

namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) {
    if (!s.empty()) s += '\n';
    s += l;
  }
  return s;
}

void check(const Parameters& p) {
  if (auto problems = validate(p); !problems.empty()) throw InvalidParameters(problems);
}

}  // namespace

InvalidParameters::InvalidParameters(const std::vector<std::string>& problems)
    : std::invalid_argument(join(problems)), problems_(problems) {}

Calibration calibrate(const Parameters& p, const population::Population& pop) {
  check(p);
  Calibration c;
  const CourseSummary summary(p);
  c.mean_weighted_infectious_days = summary.mean_weighted_infectious_days();
  c.rates.household_per_day = summary.household_per_day_for(p.household_sar);
  double pairs = 0, persons = 0;
  for (size_t h = 0; h < pop.households(); ++h) {
    const double n = pop.household_size[h];
    pairs += n * (n - 1);
    persons += n;
  }
  c.mean_household_contacts = persons > 0 ? pairs / persons : 0;
  c.household_r = p.household_sar * c.mean_household_contacts;
  c.community_r = std::max(0.0, p.r0 - c.household_r);
  const double weights = p.group_weight + p.village_weight + p.town_weight;
  if (weights > 0 && c.mean_weighted_infectious_days > 0) {
    const double per_day = c.community_r / c.mean_weighted_infectious_days / weights;
    c.rates.group_per_day = per_day * p.group_weight;
    c.rates.village_per_day = per_day * p.village_weight;
    c.rates.town_per_day = per_day * p.town_weight;
  }
  return c;
}

DiseaseModel::DiseaseModel(const Parameters& params, const Rates& rates)
    : params_(params), rates_(rates), summary_((check(params), params)) {
  if (auto problems = validate(rates); !problems.empty()) throw InvalidParameters(problems);
  infectiousness_[size_t(State::Presymptomatic)] = params.presymptomatic_infectiousness;
  infectiousness_[size_t(State::Symptomatic)] = 1.0;
  infectiousness_[size_t(State::Asymptomatic)] = params.asymptomatic_infectiousness;
  care_[size_t(Care::None)] = {1.0f, 1.0f};
  care_[size_t(Care::Isolated)] = {float(params.isolated_household_multiplier),
                                   float(params.isolated_community_multiplier)};
  care_[size_t(Care::Hospitalised)] = {float(params.hospitalised_multiplier), float(params.hospitalised_multiplier)};
}

DiseaseModel::DiseaseModel(const Parameters& params, const population::Population& pop)
    : DiseaseModel(params, calibrate(params, pop).rates) {}

double DiseaseModel::r0(double household_contacts) const {
  const double community = rates_.group_per_day + rates_.village_per_day + rates_.town_per_day;
  return summary_.household_sar(rates_.household_per_day) * household_contacts +
         community * summary_.mean_weighted_infectious_days();
}

}  // namespace vg::epidemic
