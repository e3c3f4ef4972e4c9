#include "epidemic/epidemic.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/random.h"

namespace vg::epidemic {

namespace {

// StreamKey days are 16 bits.
constexpr int32_t kLastDay = 65535;

population::Range town_of(const population::Population& pop, uint32_t town) {
  if (town >= pop.towns()) throw std::invalid_argument("epidemic: no town " + std::to_string(town));
  return pop.town_villages[town];
}

}  // namespace

Epidemic::Epidemic(const DiseaseModel& model, const population::Population& pop, uint32_t town, uint64_t seed,
                   uint32_t replicate, int32_t first_day)
    : Epidemic(model, pop, town_of(pop, town), seed, replicate, first_day, VillageRangeTag{}) {}

Epidemic Epidemic::for_villages(const DiseaseModel& model, const population::Population& pop,
                                population::Range villages, uint64_t seed, uint32_t replicate, int32_t first_day) {
  if (villages.begin >= villages.end || villages.end > pop.villages())
    throw std::invalid_argument("epidemic: village range out of bounds");
  const uint32_t town = pop.village_town[villages.begin];
  if (pop.village_town[villages.end - 1] != town)
    throw std::invalid_argument("epidemic: the villages of one Epidemic must belong to one town");
  const population::Range tv = pop.town_villages[town];
  if (model.rates().town_per_day > 0 && (villages.begin != tv.begin || villages.end != tv.end))
    throw std::invalid_argument("epidemic: town-layer transmission (town_per_day > 0) needs the whole town");
  return Epidemic(model, pop, villages, seed, replicate, first_day, VillageRangeTag{});
}

Epidemic::Epidemic(const DiseaseModel& model, const population::Population& pop, population::Range villages,
                   uint64_t seed, uint32_t replicate, int32_t first_day, VillageRangeTag)
    : model_(&model),
      pop_(&pop),
      seed_(seed),
      replicate_(replicate),
      first_day_(first_day),
      next_day_(first_day),
      first_village_(villages.begin),
      nv_(villages.size()) {
  if (first_day < 0 || first_day > kLastDay) throw std::invalid_argument("epidemic: first_day must be in 0..65535");
  if (nv_ == 0) throw std::invalid_argument("epidemic: no villages");
  first_person_ = pop.village_persons[villages.begin].begin;
  np_ = pop.village_persons[villages.end - 1].end - first_person_;
  const population::Range tv = pop.town_villages[pop.village_town[villages.begin]];
  town_persons_ = {pop.village_persons[tv.begin].begin, pop.village_persons[tv.end - 1].end};
  state_.assign(np_, uint8_t(State::Susceptible));
  care_.assign(np_, uint8_t(Care::None));
  mult_h_.assign(np_, 1.0f);
  mult_c_.assign(np_, 1.0f);
  case_of_.assign(np_, -1);
  touched_flag_.assign(np_, 0);
  current_.resize(nv_);
  reset(replicate);
}

void Epidemic::reset(uint32_t replicate) {
  replicate_ = replicate;
  next_day_ = first_day_;
  for (uint32_t l : touched_) {
    care_[l] = uint8_t(Care::None);
    mult_h_[l] = mult_c_[l] = 1.0f;
    touched_flag_[l] = 0;
  }
  touched_.clear();
  for (const Case& c : cases_) {
    state_[local(c.person)] = uint8_t(State::Susceptible);
    case_of_[local(c.person)] = -1;
  }
  cases_.clear();
  active_.clear();
  infected_today_.clear();
  pending_.clear();
  out_.clear();
  history_.clear();
  for (uint32_t v = 0; v < nv_; ++v) {
    current_[v] = DayCounts{};
    current_[v].state[size_t(State::Susceptible)] = int32_t(pop_->village_persons[first_village_ + v].size());
  }
}

uint32_t Epidemic::village_of(uint32_t person) const {
  return pop_->group_village[pop_->household_group[pop_->person_household[person]]];
}

void Epidemic::move(uint32_t person, State from, State to, int32_t day) {
  state_[local(person)] = uint8_t(to);
  DayCounts& c = current_[village_of(person) - first_village_];
  --c.state[size_t(from)];
  ++c.state[size_t(to)];
  if (to == State::Symptomatic) ++c.onsets;
  if (to == State::Recovered) ++c.recovered;
  pending_.push_back({person, day, from, to});
}

void Epidemic::infect(uint32_t person, uint32_t infector, int32_t day, Layer layer) {
  infect_with(person, infector, day, layer, model_->course(seed_, replicate_, person));
}

void Epidemic::infect_with(uint32_t person, uint32_t infector, int32_t day, Layer layer, const Course& k) {
  Case c;
  c.person = person;
  c.infector = infector;
  c.infection_day = day;
  c.infectious_day = day + k.infectious_offset;
  c.onset_day = k.asymptomatic ? kNoDay : day + k.onset_offset;
  c.recovery_day = day + k.recovery_offset;
  c.layer = layer;
  c.asymptomatic = k.asymptomatic;
  case_of_[local(person)] = int32_t(cases_.size());
  cases_.push_back(c);
  DayCounts& counts = current_[village_of(person) - first_village_];
  if (layer == Layer::Imported)
    ++counts.imported;
  else
    ++counts.infected;
  move(person, State::Susceptible, State::Exposed, day);
}

void Epidemic::advance(uint32_t case_index, int32_t day) {
  const Case& c = cases_[case_index];
  for (;;) {
    const State s = State(state_[local(c.person)]);
    if (s == State::Exposed && c.infectious_day <= day) {
      move(c.person, s, c.asymptomatic ? State::Asymptomatic : State::Presymptomatic, c.infectious_day);
    } else if (s == State::Presymptomatic && c.onset_day <= day) {
      move(c.person, s, State::Symptomatic, c.onset_day);
    } else if ((s == State::Symptomatic || s == State::Asymptomatic) && c.recovery_day <= day) {
      move(c.person, s, State::Recovered, c.recovery_day);
    } else {
      return;
    }
  }
}

bool Epidemic::seed_infection(uint32_t person, int32_t infection_day) {
  if (!in_scope(person)) throw std::invalid_argument("epidemic: person " + std::to_string(person) + " is out of scope");
  if (infection_day > next_day_)
    throw std::invalid_argument("epidemic: infection day " + std::to_string(infection_day) + " is after day " +
                                std::to_string(next_day_));
  if (state_[local(person)] != uint8_t(State::Susceptible)) return false;
  infect(person, kNoPerson, infection_day, Layer::Imported);
  activate(uint32_t(cases_.size() - 1));
  return true;
}

void Epidemic::activate(uint32_t ci) {
  const uint32_t person = cases_[ci].person;
  advance(ci, next_day_);
  if (state_[local(person)] != uint8_t(State::Recovered)) {
    const auto at = std::upper_bound(active_.begin(), active_.end(), person,
                                     [this](uint32_t p, uint32_t c) { return p < cases_[c].person; });
    active_.insert(at, ci);
  }
}

bool Epidemic::seed_onset(uint32_t person, int32_t onset_day) {
  if (!in_scope(person)) throw std::invalid_argument("epidemic: person " + std::to_string(person) + " is out of scope");
  if (onset_day < next_day_)
    throw std::invalid_argument("epidemic: onset day " + std::to_string(onset_day) + " is before day " +
                                std::to_string(next_day_));
  Course k = model_->course(seed_, replicate_, person);
  if (k.asymptomatic) k = course_from(model_->parameters(), k.incubation_days, k.day_fraction, false);
  const int32_t infection_day = onset_day - k.onset_offset;
  if (infection_day > next_day_)
    throw std::invalid_argument("epidemic: an onset on day " + std::to_string(onset_day) +
                                " would need an infection after day " + std::to_string(next_day_));
  if (state_[local(person)] != uint8_t(State::Susceptible)) return false;
  infect_with(person, kNoPerson, infection_day, Layer::Imported, k);
  activate(uint32_t(cases_.size() - 1));
  return true;
}

Importation Epidemic::import_returnee(uint32_t person, double probability, int32_t arrival_day) {
  if (arrival_day > next_day_)
    throw std::invalid_argument("epidemic: arrival day " + std::to_string(arrival_day) + " is after day " +
                                std::to_string(next_day_));
  Importation imp = draw_importation(seed_, replicate_, person, probability, arrival_day,
                                     model_->parameters().importation_window_days);
  if (imp.infected && !seed_infection(person, imp.infection_day)) imp.infected = false;
  return imp;
}

std::span<const Transition> Epidemic::step(int32_t day) {
  if (day != next_day_)
    throw std::invalid_argument("epidemic: step(" + std::to_string(day) + ") but the next day is " +
                                std::to_string(next_day_));
  if (day > kLastDay) throw std::invalid_argument("epidemic: days end at 65535");
  auto by_person = [this](uint32_t a, uint32_t b) { return cases_[a].person < cases_[b].person; };
  auto merge_into_active = [&](std::vector<uint32_t>& extra) {
    if (extra.empty()) return;
    std::sort(extra.begin(), extra.end(), by_person);
    const size_t mid = active_.size();
    active_.insert(active_.end(), extra.begin(), extra.end());
    std::inplace_merge(active_.begin(), active_.begin() + std::ptrdiff_t(mid), active_.end(), by_person);
    extra.clear();
  };

  // Transitions due today.
  for (uint32_t ci : active_) advance(ci, day);
  std::erase_if(active_, [this](uint32_t ci) { return state_[local(cases_[ci].person)] == uint8_t(State::Recovered); });

  // Transmission, infectors in person order. New cases are Exposed, so they cannot act today.
  for (uint32_t ci : active_) {
    const uint32_t person = cases_[ci].person;
    if (epidemic::is_infectious(State(state_[local(person)]))) transmit(person, day);
  }
  merge_into_active(infected_today_);

  for (DayCounts& c : current_) {
    history_.push_back(c);
    c.infected = c.imported = c.onsets = c.recovered = 0;
  }
  out_.swap(pending_);
  pending_.clear();
  std::stable_sort(out_.begin(), out_.end(),
                   [](const Transition& a, const Transition& b) { return a.person < b.person; });
  ++next_day_;
  return out_;
}

void Epidemic::transmit(uint32_t i, int32_t day) {
  const uint32_t l = local(i);
  const double w = model_->infectiousness(State(state_[l]));
  if (w <= 0) return;
  const auto& care = model_->care_multipliers(Care(care_[l]));
  const double mh = double(mult_h_[l]) * double(care[0]);
  const double mc = double(mult_c_[l]) * double(care[1]);
  const Rates& rates = model_->rates();
  const population::Population& pop = *pop_;
  RandomStream s(StreamKey{seed_, replicate_, i, uint16_t(day), Purpose::Transmission});

  // Household: each other member independently, drawn as a binomial count and then that many
  // distinct members (partial Fisher-Yates), so the work is proportional to the infections.
  const uint32_t h = pop.person_household[i];
  const uint32_t first = pop.household_first_person[h];
  const uint32_t n = pop.household_size[h];
  if (rates.household_per_day > 0 && n > 1) {
    const double q = std::min(1.0, rates.household_per_day * w * mh);
    const uint32_t k = s.binomial(n - 1, q);
    uint32_t others[256];  // household_size is a uint8_t
    uint32_t m = 0;
    for (uint32_t p = first; p < first + n; ++p)
      if (p != i) others[m++] = p;
    for (uint32_t t = 0; t < k; ++t) {
      const uint32_t r = t + s.below(m - t);
      std::swap(others[t], others[r]);
      const double u = s.uniform();
      contact(i, others[t], u, Layer::Household, day);
    }
  }

  // Community layers: a Poisson number of contacts, each with someone drawn uniformly from the
  // others of the layer.
  auto community = [&](double rate, uint32_t begin, uint32_t end, Layer layer) {
    const uint32_t size = end - begin;
    if (!(rate > 0) || size < 2) return;
    const uint32_t k = s.poisson(rate * w * mc);
    for (uint32_t t = 0; t < k; ++t) {
      uint32_t target = begin + s.below(size - 1);
      if (target >= i) ++target;  // skip the infector
      const double u = s.uniform();
      contact(i, target, u, layer, day);
    }
  };
  const uint32_t g = pop.household_group[h];
  const population::Range gh = pop.group_households[g];
  community(rates.group_per_day, pop.household_first_person[gh.begin],
            pop.household_first_person[gh.end - 1] + pop.household_size[gh.end - 1], Layer::Group);
  const population::Range vp = pop.village_persons[pop.group_village[g]];
  community(rates.village_per_day, vp.begin, vp.end, Layer::Village);
  community(rates.town_per_day, town_persons_.begin, town_persons_.end, Layer::Town);
}

void Epidemic::contact(uint32_t infector, uint32_t target, double u, Layer layer, int32_t day) {
  const uint32_t lt = local(target);
  if (state_[lt] != uint8_t(State::Susceptible)) return;
  const auto& care = model_->care_multipliers(Care(care_[lt]));
  const double m =
      layer == Layer::Household ? double(mult_h_[lt]) * double(care[0]) : double(mult_c_[lt]) * double(care[1]);
  if (!(u < m)) return;
  infect(target, infector, day, layer);
  infected_today_.push_back(uint32_t(cases_.size() - 1));
}

void Epidemic::touch(uint32_t l) {
  if (touched_flag_[l]) return;
  touched_flag_[l] = 1;
  touched_.push_back(l);
}

void Epidemic::set_contact_multipliers(uint32_t person, float household, float community) {
  if (!in_scope(person)) throw std::invalid_argument("epidemic: person " + std::to_string(person) + " is out of scope");
  const uint32_t l = local(person);
  mult_h_[l] = std::clamp(household, 0.0f, 1.0f);
  mult_c_[l] = std::clamp(community, 0.0f, 1.0f);
  touch(l);
}

bool Epidemic::set_care(uint32_t person, Care care) {
  if (!in_scope(person)) throw std::invalid_argument("epidemic: person " + std::to_string(person) + " is out of scope");
  const uint32_t l = local(person);
  if (care == Care::Hospitalised && case_of_[l] < 0) return false;
  const Care old = Care(care_[l]);
  if (old == care) return true;
  DayCounts& c = current_[village_of(person) - first_village_];
  if (old == Care::Isolated) --c.isolated;
  if (old == Care::Hospitalised) --c.hospitalised;
  if (care == Care::Isolated) ++c.isolated;
  if (care == Care::Hospitalised) ++c.hospitalised;
  care_[l] = uint8_t(care);
  touch(l);
  return true;
}

int32_t Epidemic::days_since_onset(uint32_t person, int32_t day) const {
  const int32_t ci = case_of_[local(person)];
  if (ci < 0) return -1;
  const Case& c = cases_[size_t(ci)];
  const State s = state(person);
  if (c.asymptomatic || !(s == State::Symptomatic || s == State::Recovered) || c.onset_day > day) return -1;
  return day - c.onset_day;
}

int32_t Epidemic::infection_day(uint32_t person) const {
  const int32_t ci = case_of_[local(person)];
  return ci < 0 ? kNoDay : cases_[size_t(ci)].infection_day;
}

const Case* Epidemic::find_case(uint32_t person) const {
  const int32_t ci = case_of_[local(person)];
  return ci < 0 ? nullptr : &cases_[size_t(ci)];
}

const DayCounts& Epidemic::counts(uint32_t village, int32_t day) const {
  if (village - first_village_ >= nv_ || day < first_day_ || day >= next_day_)
    throw std::out_of_range("epidemic: no counts for village " + std::to_string(village) + " on day " +
                            std::to_string(day));
  return history_[size_t(day - first_day_) * nv_ + (village - first_village_)];
}

}  // namespace vg::epidemic
