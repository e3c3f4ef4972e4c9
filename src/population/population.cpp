#include "population/population.h"

#include <algorithm>

#include "core/random.h"

namespace vg::population {

size_t Population::bytes() const {
  auto b = [](const auto& v) { return v.size() * sizeof(v[0]); };
  return b(town_villages) + b(village_town) + b(village_groups) + b(village_households) + b(village_persons) +
         b(village_returnees) + b(village_party_members) + b(group_village) + b(group_households) + b(household_group) +
         b(household_first_person) + b(household_size) + b(person_household) + b(returnees);
}

Population build_population(const config::ScenarioSpec& spec) {
  Population pop;
  uint32_t village_index = 0;
  for (const auto& town : spec.towns) {
    Range tv{uint32_t(pop.village_name.size()), 0};
    for (const auto& v : town.villages) {
      const uint32_t vi = village_index++;
      pop.village_name.push_back(v.name);
      pop.village_town.push_back(uint32_t(pop.town_name.size()));
      pop.village_party_members.push_back(uint32_t(v.party_members));

      // Household sizes, drawn until the residents are housed.
      RandomStream rng(StreamKey{spec.seed, 0, vi, 0, Purpose::HouseholdSize});
      const uint32_t first_person = uint32_t(pop.person_household.size());
      const uint32_t first_household = uint32_t(pop.household_size.size());
      uint32_t housed = 0;
      const uint32_t residents = uint32_t(v.residents);
      while (housed < residents) {
        uint32_t size = 1 + rng.poisson(v.mean_household_size - 1.0);
        size = std::min<uint32_t>({size, uint32_t(kMaxHouseholdSize), residents - housed});
        pop.household_first_person.push_back(first_person + housed);
        pop.household_size.push_back(uint8_t(size));
        for (uint32_t k = 0; k < size; ++k) pop.person_household.push_back(uint32_t(pop.household_size.size() - 1));
        housed += size;
      }
      const uint32_t nh = uint32_t(pop.household_size.size()) - first_household;

      // Villager groups: contiguous runs of households, as even as whole households allow.
      const uint32_t groups = std::min<uint32_t>(uint32_t(v.villager_groups), nh);
      const uint32_t first_group = uint32_t(pop.group_village.size());
      for (uint32_t g = 0; g < groups; ++g) {
        Range hr{first_household + uint32_t(uint64_t(nh) * g / groups),
                 first_household + uint32_t(uint64_t(nh) * (g + 1) / groups)};
        pop.group_village.push_back(vi);
        pop.group_households.push_back(hr);
        for (uint32_t h = hr.begin; h < hr.end; ++h) pop.household_group.push_back(first_group + g);
      }

      // Returnees: a uniform sample of residents without replacement (Floyd's algorithm keeps the
      // cost proportional to the sample, not to the village).
      RandomStream pick(StreamKey{spec.seed, 0, vi, 0, Purpose::Returnee});
      std::vector<uint32_t> chosen;
      chosen.reserve(size_t(v.returnees));
      std::vector<uint8_t> taken(residents, 0);
      for (uint32_t j = residents - uint32_t(v.returnees); j < residents; ++j) {
        uint32_t t = pick.below(j + 1);
        if (taken[t]) t = j;
        taken[t] = 1;
        chosen.push_back(first_person + t);
      }
      std::sort(chosen.begin(), chosen.end());
      const uint32_t first_returnee = uint32_t(pop.returnees.size());
      pop.returnees.insert(pop.returnees.end(), chosen.begin(), chosen.end());

      pop.village_groups.push_back({first_group, first_group + groups});
      pop.village_households.push_back({first_household, first_household + nh});
      pop.village_persons.push_back({first_person, first_person + residents});
      pop.village_returnees.push_back({first_returnee, uint32_t(pop.returnees.size())});
    }
    tv.end = uint32_t(pop.village_name.size());
    pop.town_name.push_back(town.name);
    pop.town_villages.push_back(tv);
  }
  return pop;
}

}  // namespace vg::population
