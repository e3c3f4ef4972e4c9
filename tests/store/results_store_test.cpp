// The results store (store/results_store.h): what is recorded reads back exactly, a replicate
// simulated alone is the one a full run simulates, and a store is resumed only with its inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/diagnostics.h"
#include "metrics/metric_table.h"
#include "sim/runner.h"
#include "store/results_store.h"
#include "support/temp_files.h"

namespace vg::store {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

sim::Model pushan(int replicates) {
  Diagnostics d;
  sim::Overrides ov;
  ov.replicates = replicates;
  return sim::load_model(std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/pushan-2020.yaml", d, ov);
}

// Bit for bit (a NaN equals a NaN).
bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }

template <class Record, size_t N>
void expect_same(const std::vector<Record>& a, const std::vector<Record>& b, const metrics::Count<Record> (&table)[N],
                 const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    for (const auto& c : table) {
      const double x = metrics::count_value(a[i], c), y = metrics::count_value(b[i], c);
      EXPECT_TRUE(same(x, y)) << what << " " << i << " " << c.name << ": " << x << " vs " << y;
    }
}

void expect_same(const metrics::ReplicateResult& a, const metrics::ReplicateResult& b) {
  expect_same(a.villages, b.villages, metrics::kVillageCounts, "village");
  expect_same(a.roles, b.roles, metrics::kRoleCounts, "role");
  ASSERT_EQ(a.town_roles.size(), b.town_roles.size());
  for (size_t t = 0; t < a.town_roles.size(); ++t)
    expect_same(a.town_roles[t], b.town_roles[t], metrics::kRoleCounts, "town role");
  expect_same(a.guidelines, b.guidelines, metrics::kGuidelineCounts, "guideline");
  expect_same(a.tasks, b.tasks, metrics::kTaskCounts, "task");
  ASSERT_EQ(a.days.size(), b.days.size());
  for (size_t v = 0; v < a.days.size(); ++v) {
    ASSERT_EQ(a.days[v].size(), b.days[v].size());
    for (size_t d = 0; d < a.days[v].size(); ++d) {
      for (const auto& c : metrics::kDayColumns)
        EXPECT_EQ(a.days[v][d].*(c.field), b.days[v][d].*(c.field)) << c.name << " village " << v << " day " << d;
      EXPECT_EQ(a.days[v][d].minutes_worked, b.days[v][d].minutes_worked);
      EXPECT_EQ(a.days[v][d].stock, b.days[v][d].stock);
    }
  }
  ASSERT_EQ(a.town_role_days.size(), b.town_role_days.size());
  for (size_t t = 0; t < a.town_role_days.size(); ++t) {
    ASSERT_EQ(a.town_role_days[t].size(), b.town_role_days[t].size());
    for (size_t d = 0; d < a.town_role_days[t].size(); ++d) {
      ASSERT_EQ(a.town_role_days[t][d].size(), b.town_role_days[t][d].size());
      for (size_t r = 0; r < a.town_role_days[t][d].size(); ++r) {
        const auto &x = a.town_role_days[t][d][r], &y = b.town_role_days[t][d][r];
        EXPECT_EQ(x.minutes_available, y.minutes_available) << "town " << t << " day " << d << " role " << r;
        EXPECT_EQ(x.minutes_could_do, y.minutes_could_do) << "town " << t << " day " << d << " role " << r;
        EXPECT_EQ(x.minutes_worked, y.minutes_worked) << "town " << t << " day " << d << " role " << r;
      }
    }
  }
}

const std::vector<Input> kInputs = {{"seed", "1"}, {"replicates", "3"}, {"file a.yaml", "0123456789abcdef"}};

TEST(ResultsStore, WhatIsRecordedReadsBackExactly) {
  TempDir t;
  const sim::Model model = pushan(3);
  OutputLock lock(t.path() / "out");
  std::string note;
  std::vector<metrics::ReplicateResult> ran;
  {
    ResultsStore store(lock, "run", kInputs, false, note);
    sim::RunOptions o;
    o.store = &store;
    o.name = "pushan";
    ran = sim::run_model(model, o).replicates;
    // Doubles bit for bit, a NaN, a negative zero, the extremes of the integer counts.
    metrics::ReplicateResult odd = ran[0];
    odd.villages[0].money_spent = 0.1 + 0.2;
    odd.villages[0].funds_left = std::numeric_limits<double>::quiet_NaN();
    odd.villages[0].monitored_days = std::numeric_limits<int64_t>::max();
    odd.villages[0].returnees = std::numeric_limits<int32_t>::min();
    odd.town_roles[0][0].first_day_out_of_hours = -1;
    odd.tasks.at(0).minutes_worked = std::numeric_limits<int64_t>::max();
    odd.days[0][0].stock.at(0) = -(int64_t(1) << 40);
    odd.town_role_days.at(0).at(1).at(0).minutes_could_do = int64_t(1) << 40;
    Shape shape;
    for (size_t v = 0; v < model.population->villages(); ++v) {
      shape.villages.push_back(model.population->village_name[v]);
      shape.village_towns.push_back("t");
    }
    shape.towns = model.population->town_name;
    shape.roles = model.program->roles();
    shape.supplies = model.program->supplies();
    for (const auto& k : model.program->task_kinds()) shape.tasks.push_back(k.name);
    shape.days = model.horizon_days;
    EXPECT_TRUE(store.configuration(1, "odd", "crafted values", shape).empty());
    store.save(1, 7, odd);
    ran.push_back(odd);
    odd.villages[0].funds_left = -0.0;
    store.save(1, 8, odd);
    ran.push_back(odd);
    store.close();
  }
  ResultsStore again(lock, "run", kInputs, true, note);
  EXPECT_NE(note.find("resuming: 5 replicates finished earlier"), std::string::npos) << note;
  sim::RunOptions o;
  o.store = &again;
  o.on_replicate = [](int rep, const metrics::ReplicateResult&) { ADD_FAILURE() << "replicate " << rep << " rerun"; };
  const auto back = sim::run_model(model, o).replicates;  // every replicate read back, none simulated
  ASSERT_EQ(back.size(), 3u);
  for (size_t r = 0; r < 3; ++r) expect_same(back[r], ran[r]);
  Shape shape;  // configuration 1, read back directly
  for (size_t v = 0; v < model.population->villages(); ++v) {
    shape.villages.push_back("v");
    shape.village_towns.push_back("t");
  }
  shape.towns = model.population->town_name;
  shape.roles = model.program->roles();
  shape.supplies = model.program->supplies();
  for (const auto& k : model.program->task_kinds()) shape.tasks.push_back(k.name);
  shape.days = model.horizon_days;
  const auto odd = again.configuration(1, "odd", "crafted values", shape);
  ASSERT_EQ(odd.size(), 2u);
  expect_same(odd.at(7), ran[3]);
  expect_same(odd.at(8), ran[4]);
  EXPECT_TRUE(std::isnan(odd.at(7).villages[0].funds_left));
  EXPECT_TRUE(std::signbit(odd.at(8).villages[0].funds_left));
}

TEST(ResultsStore, AReplicateSimulatedAloneIsTheOneAFullRunSimulates) {
  const sim::Model model = pushan(4);
  const auto full = sim::run_model(model, sim::RunOptions{}).replicates;
  sim::RunOptions o;
  o.skip = {1, 0, 1, 0};
  std::vector<int> reported;
  o.on_replicate = [&](int rep, const metrics::ReplicateResult&) { reported.push_back(rep); };
  const auto part = sim::run_model(model, o).replicates;
  std::sort(reported.begin(), reported.end());
  EXPECT_EQ(reported, (std::vector<int>{1, 3}));
  EXPECT_TRUE(part[0].villages.empty());  // skipped: left for the caller
  expect_same(part[1], full[1]);
  expect_same(part[3], full[3]);
}

// A sweep's inputs are per configuration ("0: seed", "1: seed"): the same change in several is said
// once, with the configurations it is in, numbered from [1] as compare's table.
TEST(ResultsStore, TheSameChangeInSeveralConfigurationsIsSaidOnce) {
  TempDir t;
  OutputLock lock(t.path() / "out");
  std::string note;
  const std::vector<Input> before = {{"0: seed", "1"}, {"1: seed", "1"}, {"2: seed", "1"}, {"1: replicates", "4"}};
  ResultsStore(lock, "compare", before, false, note);
  const std::vector<Input> after = {{"0: seed", "7"}, {"1: seed", "7"}, {"2: seed", "1"}, {"1: replicates", "8"}};
  try {
    ResultsStore s(lock, "compare", after, true, note);
    FAIL() << "expected a refusal";
  } catch (const InputError& e) {
    const std::string msg = e.diagnostics().format();
    EXPECT_NE(msg.find("([1], [2]: seed is 7, was 1; [2]: replicates is 8, was 4)"), std::string::npos) << msg;
  }
}

TEST(ResultsStore, ResumingWithOtherInputsIsRefusedNamingWhatDiffers) {
  TempDir t;
  OutputLock lock(t.path() / "out");
  std::string note;
  ResultsStore(lock, "run", kInputs, false, note);
  auto other = kInputs;
  other[0].value = "2";                 // seed
  other[2].value = "fedcba9876543210";  // a.yaml's content
  other.push_back({"target 1", "screened_share >= 0.9"});
  try {
    ResultsStore s(lock, "run", other, true, note);
    FAIL() << "expected a refusal";
  } catch (const InputError& e) {
    const std::string msg = e.diagnostics().format();
    EXPECT_NE(msg.find("--resume: the unfinished run in"), std::string::npos) << msg;
    EXPECT_NE(msg.find("seed is 2, was 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("file a.yaml changed"), std::string::npos) << msg;
    EXPECT_NE(msg.find("target 1 is new"), std::string::npos) << msg;
  }
  // The same inputs resume; without --resume the unfinished store is discarded, with a note when
  // it held replicates.
  {
    ResultsStore s(lock, "run", kInputs, true, note);
    EXPECT_NE(note.find("resuming: 0 replicates"), std::string::npos) << note;
    Shape shape{{"v"}, {"t"}, {"t"}, {"r"}, {}, {}, 0};
    EXPECT_TRUE(s.configuration(0, "c", "", shape).empty());
    metrics::ReplicateResult r;
    r.villages.resize(1);
    r.roles.resize(1);
    r.town_roles.assign(1, std::vector<metrics::RoleTotals>(1));
    r.guidelines.resize(metrics::kGuidelineSlots);
    s.save(0, 0, r);
    EXPECT_EQ(s.replicates(), 1);
  }
  ResultsStore(lock, "run", other, false, note);
  EXPECT_NE(note.find("discarded the results store of an unfinished run (1 replicates finished)"), std::string::npos)
      << note;
  ResultsStore(lock, "run", other, false, note);  // nothing recorded: discarded without a word
  EXPECT_EQ(note, "");
}

// A number shows in its shortest round-trip form ("share is 0.8, was 0.9", not
// 0.80000000000000004); the identity stays exact: the same double resumes, written with 17 digits
// by an earlier build or not, and the nearest other double does not.
TEST(ResultsStore, ARefusedResumeShowsNumbersShortAndComparesThemExactly) {
  TempDir t;
  OutputLock lock(t.path() / "out");
  std::string note;
  auto with_share = [](const std::string& share) {
    auto in = kInputs;
    in.push_back({"share", share});
    return in;
  };
  ResultsStore(lock, "plan", with_share("0.90000000000000002"), false, note);  // as earlier builds wrote it
  auto refusal = [&](const std::string& share) {
    try {
      ResultsStore s(lock, "plan", with_share(share), true, note);
    } catch (const InputError& e) {
      return e.diagnostics().format();
    }
    return std::string();
  };
  std::string msg = refusal("0.8");
  EXPECT_NE(msg.find("share is 0.8, was 0.9"), std::string::npos) << msg;
  msg = refusal("0.90000000000000013");  // the next double up: another share
  EXPECT_NE(msg.find("share is 0.9000000000000001, was 0.9"), std::string::npos) << msg;
  EXPECT_EQ(refusal("0.9"), "");  // the same double
  EXPECT_NE(note.find("resuming: 0 replicates"), std::string::npos) << note;
}

TEST(ResultsStore, NothingToResumeStartsAfresh) {
  TempDir t;
  OutputLock lock(t.path() / "out");
  std::string note;
  ResultsStore s(lock, "compare", kInputs, true, note);
  EXPECT_NE(note.find("nothing to resume"), std::string::npos) << note;
  EXPECT_TRUE(fs::exists(partial_folder(t.path() / "out") / "results.sqlite"));
}

TEST(ResultsStore, AStoreThatIsNotADatabaseIsRefusedOnResumeAndReplacedOtherwise) {
  TempDir t;
  OutputLock lock(t.path() / "out");
  fs::create_directories(partial_folder(t.path() / "out"));
  t.write(".out.partial/results.sqlite", std::string(8192, 'x'));
  std::string note;
  try {
    ResultsStore s(lock, "run", kInputs, true, note);
    FAIL() << "expected a refusal";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the results store is damaged"), std::string::npos) << e.what();
  }
  ResultsStore s(lock, "run", kInputs, false, note);  // without --resume: a fresh store in its place
  EXPECT_EQ(s.replicates(), 0);
}

}  // namespace
}  // namespace vg::store
