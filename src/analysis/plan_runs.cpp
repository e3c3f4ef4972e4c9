#include "analysis/plan_runs.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "core/tsan.h"
#include "metrics/metric_table.h"
#include "metrics/results_codec.h"
#include "sim/engine.h"
#include "sim/ranks.h"
#include "sim/runner_internal.h"
#include "store/results_store.h"

namespace vg::sim {

namespace {

TownTotals totals_of(TownOutput&& o) { return TownTotals{std::move(o.villages), std::move(o.roles)}; }

// The replicates the store finished for this configuration, read on rank 0 and sent to every rank.
std::map<int, metrics::ReplicateResult> finished_replicates(const Model& model, const PairRunOptions& options) {
  Ranks& rk = ranks();
  std::string bytes;
  if (rk.rank() == 0 && options.store) {
    RunOptions o{.trace = false, .keep_days = false, .by_task = false};
    o.store = options.store;
    o.configuration = options.configuration;
    o.name = options.name;
    o.description = options.description;
    metrics::Encoder e;
    const auto stored = detail::open_store(model, o);
    e.value(uint64_t(stored.size()));
    for (const auto& [rep, r] : stored) {
      e.value(int32_t(rep));
      e.replicate(r);
    }
    bytes = e.take();
  }
  if (rk.size() > 1) rk.broadcast(bytes);
  std::map<int, metrics::ReplicateResult> finished;
  if (bytes.empty()) return finished;
  metrics::Decoder d(bytes);
  for (uint64_t n = d.value<uint64_t>(); n > 0; --n) {
    const auto rep = d.value<int32_t>();
    finished[rep] = d.replicate();
  }
  d.finish();
  return finished;
}

// This process's share of `todo` (indices into the pairs), simulated with its threads; under
// several ranks every rank's share is gathered so that each ends with every pair's totals.
void simulate(const Model& model, const std::vector<TownPair>& pairs, const std::vector<size_t>& todo,
              std::vector<TownTotals>& totals, const std::function<void(size_t)>& finished) {
  Ranks& rk = ranks();
  std::vector<size_t> mine;
  for (size_t i = 0; i < todo.size(); ++i)
    if (i % size_t(rk.size()) == size_t(rk.rank())) mine.push_back(todo[i]);
  published(&model);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, mine.size(), 1), [&](const tbb::blocked_range<size_t>& r) {
    received(&model);
    for (size_t i = r.begin(); i < r.end(); ++i) {
      const TownPair& p = pairs[mine[i]];
      totals[mine[i]] = totals_of(simulate_town(model, p.replicate, int(p.town), false));
      if (rk.size() == 1) finished(mine[i]);
    }
    published(&totals);
  });
  received(&totals);
  if (rk.size() == 1) return;
  metrics::Encoder e;
  e.value(uint64_t(mine.size()));
  for (size_t k : mine) {
    e.value(uint64_t(k));
    e.values(totals[k].villages);
    e.values(totals[k].roles);
  }
  for (const std::string& bytes : rk.all_gather(e.take())) {
    metrics::Decoder d(bytes);
    for (uint64_t n = d.value<uint64_t>(); n > 0; --n) {
      const auto k = d.value<uint64_t>();
      if (k >= totals.size()) throw std::runtime_error("plan: a rank sent a pair out of range");
      totals[k].villages = d.values<metrics::VillageTotals>();
      totals[k].roles = d.values<metrics::RoleTotals>();
    }
    d.finish();
  }
  for (size_t k : todo) finished(k);
}

}  // namespace

PairRunResult run_pairs(const Model& model, const std::vector<TownPair>& pairs, const PairRunOptions& options) {
  const population::Population& pop = *model.population;  // a town's villages: pop.town_villages
  const size_t towns = model.scenario.towns.size(), roles = size_t(model.roles());
  PairRunResult out;
  out.totals.resize(pairs.size());
  const auto stored = finished_replicates(model, options);
  // Pairs to simulate, and per replicate those not done yet (it is recorded when none is left).
  std::vector<size_t> todo;
  std::map<int, size_t> left;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const TownPair& p = pairs[i];
    if (auto it = stored.find(p.replicate); it != stored.end()) {
      const auto& r = it->second;
      auto& t = out.totals[i];
      const population::Range tv = pop.town_villages[p.town];
      t.villages.assign(r.villages.begin() + long(tv.begin), r.villages.begin() + long(tv.end));
      t.roles = p.town < r.town_roles.size() ? r.town_roles[p.town] : std::vector<metrics::RoleTotals>(roles);
      continue;
    }
    todo.push_back(i);
    ++left[p.replicate];
  }
  out.pairs = pairs.size();
  std::set<int> reps;
  for (const TownPair& p : pairs) reps.insert(p.replicate);
  out.replicates = reps.size();
  if (options.on_queued) options.on_queued(left.size());
  std::map<int, std::vector<size_t>> of_replicate;
  for (size_t i : todo) of_replicate[pairs[i].replicate].push_back(i);
  std::mutex count, report;
  const bool record = options.store && ranks().rank() == 0;
  auto finished = [&](size_t i) {
    const int rep = pairs[i].replicate;
    {
      const std::lock_guard<std::mutex> hold(count);
      if (--left[rep] > 0) return;
    }
    if (record) {  // the replicate's towns simulated in this call, and only those (no task counts)
      metrics::ReplicateResult r;
      r.villages.assign(pop.villages(), {});
      r.roles.assign(roles, {});
      r.town_roles.assign(towns, std::vector<metrics::RoleTotals>(roles));
      std::vector<bool> simulated(towns, false);
      for (size_t k : of_replicate[rep]) {
        const TownPair& p = pairs[k];
        simulated[p.town] = true;
        std::copy(out.totals[k].villages.begin(), out.totals[k].villages.end(),
                  r.villages.begin() + long(pop.town_villages[p.town].begin));
        r.town_roles[p.town] = out.totals[k].roles;
        for (size_t x = 0; x < roles && x < out.totals[k].roles.size(); ++x)
          metrics::merge_counts(r.roles[x], out.totals[k].roles[x], metrics::kRoleCounts);
      }
      options.store->save(options.configuration, rep, r, simulated);
    }
    if (options.on_replicate) {
      const std::lock_guard<std::mutex> hold(report);
      options.on_replicate();
    }
  };
  simulate(model, pairs, todo, out.totals, finished);
  return out;
}

}  // namespace vg::sim
