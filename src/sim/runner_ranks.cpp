// run_model over several processes (MPI ranks, sim/ranks.h). Rank 0 reads the results store (the
// replicates an earlier run finished) and sends every rank the replicates to skip and the stored
// results; the (replicate, town) pairs left are dealt round-robin, rank r taking every size-th;
// each rank simulates its pairs with its own threads, and every rank receives every pair's output
// and assembles each replicate in town order, as one process would. The draws of a pair depend
// only on (seed, replicate, entity, day, purpose), so results are identical whatever the ranks.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <map>
#include <string>
#include <vector>

#include "core/tsan.h"
#include "metrics/results_codec.h"
#include "sim/ranks.h"
#include "sim/runner_internal.h"
#include "store/results_store.h"

namespace vg::sim::detail {

namespace {

void encode_town(metrics::Encoder& e, const TownOutput& o) {
  e.day_rows(o.days);
  e.values(o.villages);
  e.values(o.roles);
  e.value(uint64_t(o.role_days.size()));
  for (const auto& day : o.role_days) e.values(day);
  e.values(o.guidelines);
  e.values(o.tasks);
  e.values(o.trace);
  e.values(o.persons);
  e.value(uint64_t(o.funds.size()));
  for (const auto& f : o.funds) e.values(f);
}

TownOutput decode_town(metrics::Decoder& d) {
  TownOutput o;
  o.days = d.day_rows();
  o.villages = d.values<metrics::VillageTotals>();
  o.roles = d.values<metrics::RoleTotals>();
  o.role_days.resize(d.value<uint64_t>());
  for (auto& day : o.role_days) day = d.values<metrics::RoleDay>();
  o.guidelines = d.values<metrics::GuidelineTotals>();
  o.tasks = d.values<metrics::TaskTotals>();
  o.trace = d.values<TraceRecord>();
  o.persons = d.values<PersonRecord>();
  o.funds.resize(d.value<uint64_t>());
  for (auto& f : o.funds) f = d.values<double>();
  return o;
}

// Rank 0's skip list and stored replicates, on every rank: (skip, finished).
std::map<int, metrics::ReplicateResult> share_finished(const Model& model, const RunOptions& options,
                                                       std::vector<char>& skip) {
  Ranks& rk = ranks();
  std::string bytes;
  if (rk.rank() == 0) {
    std::map<int, metrics::ReplicateResult> stored;
    if (options.store) stored = open_store(model, options);
    metrics::Encoder e;
    e.values(skip);
    e.value(uint64_t(stored.size()));
    for (const auto& [rep, r] : stored) {
      e.value(int32_t(rep));
      e.replicate(r);
    }
    bytes = e.take();
  }
  rk.broadcast(bytes);
  metrics::Decoder d(bytes);
  skip = d.values<char>();
  std::map<int, metrics::ReplicateResult> finished;
  for (uint64_t n = d.value<uint64_t>(); n > 0; --n) {
    const auto rep = d.value<int32_t>();
    finished[rep] = d.replicate();
  }
  d.finish();
  for (const auto& [rep, r] : finished)
    if (rep >= 0 && size_t(rep) < skip.size()) skip[size_t(rep)] = 1;
  return finished;
}

}  // namespace

RunResult run_ranks(const Model& model, const RunOptions& options) {
  if (options.store && options.trace) throw std::logic_error("run_model: a run with a results store keeps no trace");
  Ranks& rk = ranks();
  const bool trace = options.trace;
  const size_t towns = model.population->towns(), reps = size_t(model.replicates);
  std::vector<char> skip(reps, 0);
  for (size_t r = 0; r < reps && r < options.skip.size(); ++r) skip[r] = options.skip[r];
  auto finished = share_finished(model, options, skip);

  // This rank's pairs: every size-th of those to simulate, as rep * towns + town.
  std::vector<size_t> mine;
  size_t index = 0;
  for (size_t rep = 0; rep < reps; ++rep)
    if (!skip[rep])
      for (size_t t = 0; t < towns; ++t, ++index)
        if (index % size_t(rk.size()) == size_t(rk.rank())) mine.push_back(rep * towns + t);
  std::vector<TownOutput> outputs(mine.size());
  tbb::enumerable_thread_specific<PhaseTimes> per_thread;
  published(&model);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, mine.size(), 1), [&](const tbb::blocked_range<size_t>& r) {
    received(&model);
    PhaseTimes* ph = options.phases ? &per_thread.local() : nullptr;
    for (size_t i = r.begin(); i < r.end(); ++i) {
      outputs[i] = simulate_town(model, int(mine[i] / towns), int(mine[i] % towns), trace, ph);
      if (!options.keep_days) std::vector<std::vector<metrics::DayRow>>().swap(outputs[i].days);
    }
    published(&outputs);
    if (ph) published(ph);
  });
  received(&outputs);
  if (options.phases)
    for (const PhaseTimes& p : per_thread) {
      received(&p);
      *options.phases += p;
    }

  // Every rank's pairs to every rank.
  metrics::Encoder e;
  e.value(uint64_t(mine.size()));
  for (size_t i = 0; i < mine.size(); ++i) {
    e.value(uint64_t(mine[i]));
    encode_town(e, outputs[i]);
    outputs[i] = TownOutput{};
  }
  const std::vector<std::string> all = rk.all_gather(e.take());
  std::vector<TownOutput> by_pair(reps * towns);
  for (const std::string& bytes : all) {
    metrics::Decoder d(bytes);
    for (uint64_t n = d.value<uint64_t>(); n > 0; --n) {
      const auto k = d.value<uint64_t>();
      if (k >= by_pair.size()) throw std::runtime_error("run_model: a rank sent a pair out of range");
      by_pair[k] = decode_town(d);
    }
    d.finish();
  }

  RunResult result;
  result.replicates.resize(reps);
  if (trace) {
    result.trace.resize(reps);
    result.persons.resize(reps);
  }
  for (size_t rep = 0; rep < reps; ++rep) {
    if (skip[rep]) continue;
    assemble(model, rep, by_pair, result, trace);
    if (options.store && rk.rank() == 0) options.store->save(options.configuration, int(rep), result.replicates[rep]);
    if (options.on_replicate) options.on_replicate(int(rep), result.replicates[rep]);
  }
  for (auto& [rep, r] : finished)
    if (rep >= 0 && size_t(rep) < reps) result.replicates[size_t(rep)] = std::move(r);
  return result;
}

}  // namespace vg::sim::detail
