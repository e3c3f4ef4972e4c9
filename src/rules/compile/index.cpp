// The index step: for each event, the rules listening to each filter value (a task kind, class,
// template, event, day...), in firing order, so dispatch touches only the rules that listen.
#include <algorithm>

#include "rules/compile/compiler.h"

namespace vg::rules::compile {

void Compiler::index() {
  // Firing order: higher priority first, then the order the rules were read.
  auto fires_first = [&](int a, int b) { return p.rules_[size_t(a)].priority > p.rules_[size_t(b)].priority; };
  std::vector<int> order(p.rules_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
  std::stable_sort(order.begin(), order.end(), fires_first);
  int max_day = 0;
  for (const auto& r : p.rules_)
    if (r.event == Event::OnDay) max_day = std::max(max_day, r.filter);
  // List 0 for "any", then one per value the trigger's value names (a day's number, up to the last).
  auto domain = [&](Event e) {
    const auto names = trigger(e).names;
    return names == TriggerSyntax::Names::Day ? size_t(max_day) + 2 : p.value_count(names) + 1;
  };
  p.index_.resize(kEventCount);
  for (int e = 0; e < kEventCount; ++e) p.index_[size_t(e)].resize(domain(Event(e)));
  for (int i : order) {
    const auto& r = p.rules_[size_t(i)];
    auto& lists = p.index_[size_t(r.event)];
    const bool keyed = trigger(r.event).value == TriggerSyntax::Value::Required;
    if (r.filter >= 0) {
      lists[size_t(r.filter) + 1].push_back(i);  // filter -1 (any) is list 0
    } else if (!keyed) {                         // "any": every filter value hears it
      for (auto& l : lists) l.push_back(i);
    }
  }
  // "any" rules were appended after the specific ones; restore firing order in each list.
  for (auto& lists : p.index_)
    for (auto& l : lists) std::stable_sort(l.begin(), l.end(), fires_first);
  // Which conditions read a village fact (slots from the village base on): the others need only
  // the person's facts filled before they are evaluated.
  for (auto& r : p.rules_) {
    if (!r.when) continue;
    const auto fields = r.when->fields_read();
    r.when_reads_village = std::any_of(fields.begin(), fields.end(), [&](int f) { return f >= p.village_base_; });
    r.person_facts = 0;
    for (const int f : fields)
      if (f < p.village_base_) r.person_facts |= 1u << std::min(f, int(kPersonFactCount));
  }
}

}  // namespace vg::rules::compile
