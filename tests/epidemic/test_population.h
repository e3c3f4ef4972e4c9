// Hand-built populations for the epidemic tests: exact household sizes and group counts, so known
// answers can be computed. Same layout guarantees as population::build_population (contiguous
// persons, households, groups, villages; villages of a town contiguous).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "population/population.h"

namespace vg::epidemic::testing {

struct VillageShape {
  std::vector<uint8_t> household_sizes;
  uint32_t groups = 1;
};

// `households` households of `size` each.
inline VillageShape uniform_village(uint32_t households, uint8_t size, uint32_t groups = 1) {
  return VillageShape{std::vector<uint8_t>(households, size), groups};
}

// Household sizes cycling through 1..6 (mean 3.5), for mixed-size villages.
inline VillageShape mixed_village(uint32_t households, uint32_t groups) {
  VillageShape v;
  for (uint32_t h = 0; h < households; ++h) v.household_sizes.push_back(uint8_t(1 + (h * 7 + h / 6) % 6));
  v.groups = groups;
  return v;
}

inline population::Population make_population(const std::vector<std::vector<VillageShape>>& towns) {
  population::Population pop;
  for (size_t t = 0; t < towns.size(); ++t) {
    population::Range tv{uint32_t(pop.village_name.size()), 0};
    for (const VillageShape& shape : towns[t]) {
      const uint32_t vi = uint32_t(pop.village_name.size());
      pop.village_name.push_back("V" + std::to_string(vi));
      pop.village_town.push_back(uint32_t(t));
      pop.village_party_members.push_back(0);
      const uint32_t first_person = uint32_t(pop.person_household.size());
      const uint32_t first_household = uint32_t(pop.household_size.size());
      for (uint8_t size : shape.household_sizes) {
        pop.household_first_person.push_back(uint32_t(pop.person_household.size()));
        pop.household_size.push_back(size);
        for (uint8_t k = 0; k < size; ++k) pop.person_household.push_back(uint32_t(pop.household_size.size() - 1));
      }
      const uint32_t nh = uint32_t(shape.household_sizes.size());
      const uint32_t groups = shape.groups < nh ? shape.groups : nh;
      const uint32_t first_group = uint32_t(pop.group_village.size());
      for (uint32_t g = 0; g < groups; ++g) {
        population::Range hr{first_household + uint32_t(uint64_t(nh) * g / groups),
                             first_household + uint32_t(uint64_t(nh) * (g + 1) / groups)};
        pop.group_village.push_back(vi);
        pop.group_households.push_back(hr);
        for (uint32_t h = hr.begin; h < hr.end; ++h) pop.household_group.push_back(first_group + g);
      }
      pop.village_groups.push_back({first_group, first_group + groups});
      pop.village_households.push_back({first_household, first_household + nh});
      pop.village_persons.push_back({first_person, uint32_t(pop.person_household.size())});
      pop.village_returnees.push_back({uint32_t(pop.returnees.size()), uint32_t(pop.returnees.size())});
    }
    tv.end = uint32_t(pop.village_name.size());
    pop.town_name.push_back("T" + std::to_string(t));
    pop.town_villages.push_back(tv);
  }
  return pop;
}

}  // namespace vg::epidemic::testing
