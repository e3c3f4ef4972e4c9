#include "sim/runner.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#include "config/size_estimate.h"
#include "core/diagnostics.h"
#include "core/tsan.h"
#include "metrics/metric_table.h"
#include "sim/ranks.h"
#include "sim/runner_internal.h"
#include "store/results_store.h"

namespace vg::sim {

size_t estimate_run_bytes(const Model& model, bool trace, bool keep_days) {
  const size_t persons = model.population->persons();
  const size_t villages = model.population->villages();
  // Daily rows held: every replicate's, or (keep_days false) only those of the (replicate, town)
  // pairs running at once, bounded by a whole replicate's per thread, plus the totals per replicate
  // and village (counted as one row each).
  const size_t reps = size_t(model.replicates);
  const size_t held = keep_days ? reps : std::min(reps, size_t(tbb::this_task_arena::max_concurrency()));
  const size_t rows = held * villages * size_t(model.horizon_days) + (keep_days ? 0 : reps * villages);
  // Per daily row: the record (with its vector of minutes by role) and its CSV line.
  const size_t row_bytes = sizeof(metrics::DayRow) + 48 + 4 * size_t(model.roles()) + 160;
  // Per traced returnee and replicate: several trace rows and a persons.csv line, in memory and as text.
  const size_t traced = trace ? size_t(model.replicates) * model.population->returnees.size() * 400 : 0;
  return model.population->bytes() + persons * 16 + rows * row_bytes + traced;
}

void check_memory(const Model& model, bool trace, bool keep_days) {
  // The same figure the spec-size check uses (MemAvailable, and RLIMIT_AS where one is set); 0: unknown.
  const size_t available = config::allocatable_bytes().value_or(0);
  const size_t need = estimate_run_bytes(model, trace, keep_days);
  if (available > 0 && need > available / 10 * 8) {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "this run would need about %.1f GiB (%zu replicates x %zu villages x %d days of daily rows%s) but "
                  "%.1f GiB is available; use fewer replicates, fewer days or a smaller region",
                  double(need) / (1u << 30), size_t(model.replicates), model.population->villages(), model.horizon_days,
                  trace ? ", and the trace" : "", double(available) / (1u << 30));
    // Bad input for this machine (exit 2, like every other refusal of what was asked): the
    // request, not the program, has to change. Reported at the scenario file.
    Diagnostics d;
    d.error(model.scenario.loc, buf);
    throw InputError(std::move(d));
  }
}

namespace detail {

// Replicate `rep`'s result from its towns' outputs (in town order, so the same whenever it runs).
void assemble(const Model& model, size_t rep, std::vector<TownOutput>& outputs, RunResult& result, bool trace) {
  const size_t towns = model.population->towns(), roles = size_t(model.roles());
  auto& rr = result.replicates[rep];
  rr.roles.assign(roles, {});
  rr.guidelines.assign(metrics::kGuidelineSlots, {});
  rr.tasks.assign(model.task_kinds.size(), {});
  for (size_t t = 0; t < towns; ++t) {
    TownOutput& o = outputs[rep * towns + t];
    for (auto& v : o.days) rr.days.push_back(std::move(v));
    for (auto& v : o.villages) rr.villages.push_back(v);
    for (size_t r = 0; r < roles; ++r) metrics::merge_counts(rr.roles[r], o.roles[r], metrics::kRoleCounts);
    for (size_t g = 0; g < rr.guidelines.size(); ++g)
      metrics::merge_counts(rr.guidelines[g], o.guidelines[g], metrics::kGuidelineCounts);
    const auto& kind_of = model.town_task_kinds(t);  // the town's program's kinds by name
    for (size_t k = 0; k < o.tasks.size() && k < kind_of.size(); ++k)
      metrics::merge_counts(rr.tasks[kind_of[k]], o.tasks[k], metrics::kTaskCounts);
    rr.town_roles.push_back(std::move(o.roles));
    if (!o.role_days.empty()) rr.town_role_days.push_back(std::move(o.role_days));
    if (trace) {
      auto& tr = result.trace[rep];
      tr.insert(tr.end(), o.trace.begin(), o.trace.end());
      auto& pr = result.persons[rep];
      pr.insert(pr.end(), o.persons.begin(), o.persons.end());
    }
    o = TownOutput{};
  }
}

std::map<int, metrics::ReplicateResult> open_store(const Model& model, const RunOptions& options) {
  if (options.trace) throw std::logic_error("run_model: a run with a results store keeps no trace");
  const auto& pop = *model.population;
  store::Shape shape;
  for (size_t v = 0; v < pop.villages(); ++v) {
    shape.villages.push_back(pop.village_name[v]);
    shape.village_towns.push_back(pop.town_name[pop.village_town[v]]);
    shape.village_town.push_back(pop.village_town[v]);
  }
  shape.towns.assign(pop.town_name.begin(), pop.town_name.end());
  shape.roles = model.program->roles();
  shape.supplies = model.program->supplies();
  for (const auto& [name, guideline] : model.task_kinds) shape.tasks.push_back(name);
  shape.days = options.keep_days ? model.horizon_days : 0;
  shape.by_task = options.by_task;
  return options.store->configuration(options.configuration, options.name, options.description, shape);
}

}  // namespace detail

namespace {

RunResult run_stored(const Model& model, const RunOptions& options) {
  auto finished = detail::open_store(model, options);
  RunOptions o = options;
  o.store = nullptr;
  o.skip.resize(size_t(model.replicates), 0);  // the caller's skips stand (plan runs windows of replicates)
  for (const auto& [rep, result] : finished)
    if (rep >= 0 && rep < model.replicates) o.skip[size_t(rep)] = 1;
  o.on_replicate = [&](int rep, const metrics::ReplicateResult& r) {
    options.store->save(options.configuration, rep, r);
    if (options.on_replicate) options.on_replicate(rep, r);
  };
  RunResult result = run_model(model, o);
  for (auto& [rep, r] : finished)
    if (rep >= 0 && rep < model.replicates) result.replicates[size_t(rep)] = std::move(r);
  return result;
}

}  // namespace

RunResult run_model(const Model& model, const RunOptions& options) {
  if (ranks().size() > 1) return detail::run_ranks(model, options);
  if (options.store) return run_stored(model, options);
  const bool trace = options.trace;
  PhaseTimes* phases = options.phases;
  const size_t towns = model.population->towns();
  const size_t reps = size_t(model.replicates);
  RunResult result;
  result.replicates.resize(reps);
  if (trace) {
    result.trace.resize(reps);
    result.persons.resize(reps);
  }
  std::vector<size_t> todo;  // the (replicate, town) pairs to simulate, as rep * towns + town
  for (size_t rep = 0; rep < reps; ++rep)
    if (rep >= options.skip.size() || !options.skip[rep])
      for (size_t t = 0; t < towns; ++t) todo.push_back(rep * towns + t);
  std::vector<TownOutput> outputs(reps * towns);
  // Towns of each replicate not finished yet, counted under a mutex (once per town: no contention
  // worth an atomic, and ThreadSanitizer sees the order it gives; tools/check-tree.sh keeps src/
  // free of atomics).
  std::vector<size_t> towns_left(reps, towns);
  std::mutex count, report;
  tbb::enumerable_thread_specific<PhaseTimes> per_thread;
  // The model goes to the workers, and the results come back at the join, through oneTBB's
  // scheduler, which ThreadSanitizer cannot see into: say so (core/tsan.h; no code without TSan).
  published(&model);
  // Grain 1: a (replicate, town) pair is already a sizeable piece of work.
  tbb::parallel_for(tbb::blocked_range<size_t>(0, todo.size(), 1), [&](const tbb::blocked_range<size_t>& r) {
    received(&model);
    PhaseTimes* ph = phases ? &per_thread.local() : nullptr;
    for (size_t i = r.begin(); i < r.end(); ++i) {
      const size_t k = todo[i], rep = k / towns;
      outputs[k] = simulate_town(model, int(rep), int(k % towns), trace, ph);
      if (!options.keep_days) {
        std::vector<std::vector<metrics::DayRow>>().swap(outputs[k].days);
        std::vector<std::vector<metrics::RoleDay>>().swap(outputs[k].role_days);
      }
      {
        const std::lock_guard<std::mutex> hold(count);
        if (--towns_left[rep] > 0) continue;  // the last of the replicate's towns assembles it
      }
      detail::assemble(model, rep, outputs, result, trace);
      if (options.on_replicate) {
        const std::lock_guard<std::mutex> hold(report);
        options.on_replicate(int(rep), result.replicates[rep]);
      }
    }
    published(&result);
    if (ph) published(ph);
  });
  received(&result);
  if (phases)
    for (const PhaseTimes& p : per_thread) {
      received(&p);
      *phases += p;
    }
  return result;
}

}  // namespace vg::sim
