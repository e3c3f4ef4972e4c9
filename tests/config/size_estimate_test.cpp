#include <gtest/gtest.h>

#include "config/size_estimate.h"

namespace vg::config {
namespace {

RosterSpec roster(const char* role, int count) {
  RosterSpec r;
  r.role = role;
  r.count = count;
  return r;
}

VillageSpec village(int residents, double household, int groups, int returnees) {
  VillageSpec v;
  v.residents = residents;
  v.mean_household_size = household;
  v.villager_groups = groups;
  v.returnees = returnees;
  return v;
}

ScenarioSpec two_villages() {
  ScenarioSpec s;
  TownSpec t;
  t.staff.push_back(roster("town_cadre", 6));
  VillageSpec a = village(6400, 3.9, 16, 1600);
  a.staff = {roster("village_cadre", 7), roster("party_member", 60)};
  t.villages = {a, village(1000, 4.0, 3, 100)};
  s.towns.push_back(t);
  return s;
}

TEST(SizeEstimate, CountsTheWorldFromTheSpec) {
  const SizeEstimate e = estimate_size(two_villages());
  EXPECT_EQ(e.towns, 1u);
  EXPECT_EQ(e.villages, 2u);
  EXPECT_EQ(e.people, 7400u);
  EXPECT_EQ(e.households, 1642u + 250u);  // ceil(6400 / 3.9) + 1000 / 4
  EXPECT_EQ(e.groups, 19u);
  EXPECT_EQ(e.returnees, 1700u);
  EXPECT_EQ(e.staff, 73u);
  EXPECT_EQ(e.bytes, 7400u * 32 + 1892u * 16 + 1700u * 96 + 73u * 160 + 2u * 512);
}

TEST(SizeEstimate, RefusesWhatDoesNotFitTheMemoryOrTheIndices) {
  ScenarioSpec s = two_villages();
  Diagnostics fits;
  check_size(s, uint64_t(1) << 30, fits);
  EXPECT_FALSE(fits.has_errors()) << fits.format();

  Diagnostics small;
  check_size(s, 100'000, small);  // 80% of 100 kB is less than the ~430 kB estimated
  ASSERT_EQ(small.error_count(), 1u);
  EXPECT_EQ(small.items()[0].message,
            "the region is too large for this machine: 7,400 residents in 1,892 households of 2 villages need about "
            "433 KiB to simulate, above the limit of 78 KiB (80% of the 98 KiB that can be allocated); use a smaller "
            "region");

  s.towns[0].villages[0].residents = 2'000'000'000;
  s.towns[0].villages[1].residents = 2'000'000'000;
  s.towns[0].villages.push_back(s.towns[0].villages[1]);
  Diagnostics huge;
  check_size(s, std::nullopt, huge);  // unknown memory: the index limit still holds
  ASSERT_EQ(huge.error_count(), 1u);
  EXPECT_NE(huge.items()[0].message.find("6,000,000,000 residents"), std::string::npos) << huge.items()[0].message;
  EXPECT_NE(huge.items()[0].message.find("(32-bit indices)"), std::string::npos);
}

}  // namespace
}  // namespace vg::config
