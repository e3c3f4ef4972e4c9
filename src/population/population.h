// The synthetic population: person -> household -> villager group -> village -> town, stored as
// struct-of-arrays with the people of a household, the households of a group and the groups of a
// village each contiguous, so that a village is a range of indices at every level. Built once per
// seed, deterministically, and shared read-only by every replicate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "spec/scenario.h"

namespace vg::population {

struct Range {
  uint32_t begin = 0, end = 0;
  uint32_t size() const { return end - begin; }
};

struct Population {
  // Towns
  std::vector<std::string> town_name;
  std::vector<Range> town_villages;
  // Villages
  std::vector<std::string> village_name;
  std::vector<uint32_t> village_town;
  std::vector<Range> village_groups;
  std::vector<Range> village_households;
  std::vector<Range> village_persons;
  std::vector<Range> village_returnees;  // into `returnees`
  std::vector<uint32_t> village_party_members;
  // Villager groups
  std::vector<uint32_t> group_village;
  std::vector<Range> group_households;
  // Households
  std::vector<uint32_t> household_group;
  std::vector<uint32_t> household_first_person;
  std::vector<uint8_t> household_size;
  // Persons
  std::vector<uint32_t> person_household;
  // Returnees: person indices, sorted, grouped by village. Who is a returnee is a fact of the
  // population; where they came from and when they arrive are drawn per replicate.
  std::vector<uint32_t> returnees;

  size_t persons() const { return person_household.size(); }
  size_t households() const { return household_size.size(); }
  size_t villages() const { return village_name.size(); }
  size_t towns() const { return town_name.size(); }
  // Bytes held by the arrays (for the memory report).
  size_t bytes() const;
};

// Household sizes: 1 + Poisson(mean - 1), at most kMaxHouseholdSize; the last household of a
// village takes the remainder so that residents add up exactly (docs/assumptions.md).
inline constexpr int kMaxHouseholdSize = 12;

Population build_population(const config::ScenarioSpec& spec);

}  // namespace vg::population
