#include "sim/runner.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace vg::sim {

RunResult run_model(const Model& model, bool trace) {
  const size_t towns = model.population.towns();
  const size_t reps = size_t(model.replicates);
  std::vector<TownOutput> outputs(reps * towns);
  // Grain 1: a (replicate, town) pair is already a sizeable piece of work.
  tbb::parallel_for(tbb::blocked_range<size_t>(0, outputs.size(), 1), [&](const tbb::blocked_range<size_t>& r) {
    for (size_t k = r.begin(); k < r.end(); ++k)
      outputs[k] = simulate_town(model, int(k / towns), int(k % towns), trace);
  });

  RunResult result;
  result.replicates.resize(reps);
  if (trace) {
    result.trace.resize(reps);
    result.persons.resize(reps);
  }
  const size_t roles = size_t(model.roles());
  for (size_t rep = 0; rep < reps; ++rep) {
    auto& rr = result.replicates[rep];
    rr.roles.assign(roles, {});
    rr.guidelines.assign(metrics::kGuidelineSlots, {});
    for (size_t t = 0; t < towns; ++t) {
      TownOutput& o = outputs[rep * towns + t];
      for (auto& v : o.days) rr.days.push_back(std::move(v));
      for (auto& v : o.villages) rr.villages.push_back(v);
      for (size_t r = 0; r < roles; ++r) {
        auto& a = rr.roles[r];
        const auto& b = o.roles[r];
        a.minutes_available += b.minutes_available;
        a.minutes_worked += b.minutes_worked;
        a.minutes_demanded += b.minutes_demanded;
        a.days_out_of_hours = std::max(a.days_out_of_hours, b.days_out_of_hours);
        a.team_days_missing += b.team_days_missing;
        a.busiest_minutes = std::max(a.busiest_minutes, b.busiest_minutes);
        if (b.first_day_out_of_hours >= 0 &&
            (a.first_day_out_of_hours < 0 || b.first_day_out_of_hours < a.first_day_out_of_hours))
          a.first_day_out_of_hours = b.first_day_out_of_hours;
      }
      for (size_t g = 0; g < rr.guidelines.size(); ++g) {
        rr.guidelines[g].tasks_created += o.guidelines[g].tasks_created;
        rr.guidelines[g].tasks_late += o.guidelines[g].tasks_late;
      }
      rr.town_roles.push_back(std::move(o.roles));
      if (trace) {
        auto& tr = result.trace[rep];
        tr.insert(tr.end(), o.trace.begin(), o.trace.end());
        auto& pr = result.persons[rep];
        pr.insert(pr.end(), o.persons.begin(), o.persons.end());
      }
    }
  }
  return result;
}

}  // namespace vg::sim
