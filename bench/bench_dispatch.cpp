// Rule dispatch speed: events dispatched per second on one thread, with the shipped policy
// (rules/vocabulary.yaml, rules/returnees.yaml, rules/tracking/five-plus-one.yaml) and hooks that
// do nothing but fill the facts. The /N variants add N synthetic rules on other triggers (day
// started, fixed days, class changes, raised events, other tasks done): the index by (event,
// filter) means they cost nothing for an event they cannot hear, so items/s should not move.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/yaml_doc.h"
#include "rules/policy_loader.h"
#include "rules/program.h"

namespace {

namespace fs = std::filesystem;
using vg::rules::Event;

// The repository's rules/ folder, found from this file's path (bench/CMakeLists.txt passes no
// source-folder macro).
fs::path rules_dir() {
  for (fs::path p = fs::path(__FILE__).parent_path(); !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / "rules" / "returnees.yaml")) return p / "rules";
    if (p == p.parent_path()) break;
  }
  throw std::runtime_error("bench_dispatch: cannot find rules/returnees.yaml above " + std::string(__FILE__));
}

std::string synthetic_rules(int n) {
  std::string y = "vocabulary:\n  events:\n";
  for (int e = 0; e < 8; ++e) y += "    - {name: synthetic_" + std::to_string(e) + ", about: person}\n";
  y += "rules:\n";
  for (int i = 0; i < n; ++i) {
    std::string on;
    switch (i % 5) {
      case 0: on = "day_started"; break;
      case 1: on = "{day: " + std::to_string(i % 30) + "}"; break;
      case 2: on = "{class_changed: general}"; break;
      case 3: on = "{event: synthetic_" + std::to_string(i % 8) + "}"; break;
      default: on = "{task_done: synthetic-task}"; break;
    }
    // day_started and {day: N} rules are about a village, and so are task_done rules for a task
    // a village rule creates (rule 0 creates synthetic-task): their conditions read village facts.
    const bool village = i % 5 != 2 && i % 5 != 3;
    y += "  - id: synthetic-" + std::to_string(i) +
         "\n    title: synthetic\n    source: report\n    priority: " + std::to_string(i % 7) + "\n    on: " + on +
         "\n    when: " + (village ? "residents > " + std::to_string(i) : "household_size > " + std::to_string(i % 9)) +
         "\n    do:\n" +
         (i == 0 ? "      - create_task: {name: synthetic-task, roles: [village_cadre], minutes: 5, within_hours: 24}\n"
                 : "      - create_task: {name: synthetic-task-" + std::to_string(i) +
                       ", roles: [village_cadre], minutes: 5, within_hours: 24}\n");
  }
  return y;
}

std::shared_ptr<const vg::rules::Program> shipped_program(int extra_rules) {
  const fs::path dir = rules_dir();
  vg::Diagnostics d;
  auto spec = vg::rules::load_policy({(dir / "vocabulary.yaml").string(), (dir / "returnees.yaml").string(),
                                      (dir / "tracking" / "five-plus-one.yaml").string()},
                                     d);
  if (extra_rules > 0) {
    auto root = vg::config::parse_yaml("synthetic.yaml", synthetic_rules(extra_rules), d);
    if (root) vg::rules::read_policy_file(*root, "synthetic.yaml", spec, d);
  }
  auto prog = d.has_errors() ? nullptr : vg::rules::compile_policy(std::move(spec), d);
  if (!prog) throw std::runtime_error("bench_dispatch: policy does not compile:\n" + d.format());
  return prog;
}

// Fills the facts as the engine would; does nothing else.
class NoopHooks final : public vg::rules::DispatchHooks {
 public:
  explicit NoopHooks(const vg::rules::Program& p) : p_(p) {}
  int origin = 0;
  int64_t applied = 0;
  void fill(double* s) override {
    s[vg::rules::kSlotOrigin] = origin;
    s[vg::rules::kSlotClass] = 0;
    s[vg::rules::kSlotArrivalDay] = 1;
    s[vg::rules::kSlotHouseholdSize] = 4;
    s[vg::rules::kSlotIsReturnee] = 1;
    s[vg::rules::kSlotTracked] = 0;
    s[p_.village_slot(vg::rules::kVillageToday)] = 1;
    s[p_.village_slot(vg::rules::kVillageResidents)] = 6400;
    s[p_.village_slot(vg::rules::kVillageHouseholds)] = 1640;
  }
  bool event_raised(int) override { return false; }
  void apply(int, const vg::rules::Action&) override { ++applied; }

 private:
  const vg::rules::Program& p_;
};

int task_kind(const vg::rules::Program& p, const std::string& name) {
  for (size_t k = 0; k < p.task_kinds().size(); ++k)
    if (p.task_kinds()[k].name == name) return int(k);
  throw std::runtime_error("bench_dispatch: no task " + name);
}

// Dispatches one event again and again; range(0) synthetic rules are added to the policy.
void run(benchmark::State& state, Event e, const char* task, int origin) {
  const auto prog = shipped_program(int(state.range(0)));
  const int filter = task ? task_kind(*prog, task) : -1;
  NoopHooks hooks(*prog);
  hooks.origin = origin;
  std::vector<double> slots(size_t(prog->slot_count()), 0.0);
  for (auto _ : state) {
    prog->dispatch(e, filter, 1, slots.data(), hooks);
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(hooks.applied);
  state.SetItemsProcessed(state.iterations());
  state.counters["rules"] = double(prog->rules().size());
  state.counters["actions_per_event"] = double(hooks.applied) / double(std::max<int64_t>(1, state.iterations()));
}

// returnee_arrived: one rule (screen-returnee), no condition, one create_task.
void BM_DispatchReturneeArrived(benchmark::State& state) { run(state, Event::ReturneeArrived, nullptr, 1); }
BENCHMARK(BM_DispatchReturneeArrived)->Arg(0)->Arg(200)->Arg(2000);

// task_done screening, from a key area: two rules with conditions; one fires (set_class, start_tracking).
void BM_DispatchScreeningDone(benchmark::State& state) { run(state, Event::TaskDone, "screening", 1); }
BENCHMARK(BM_DispatchScreeningDone)->Arg(0)->Arg(200)->Arg(2000);

}  // namespace
