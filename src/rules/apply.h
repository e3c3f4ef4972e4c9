// The world actions act on, the one way to apply an action (each action's meaning is written once,
// in its header's `apply`: rules/actions/), and the one nested dispatch, for the engine (sim/town/:
// a town, for real) and the rule-test runner (rules/rule_tests.cpp: one person and their village, a
// fake) alike: both are an ActionWorld, the primitive state changes, and both nest events through a
// RuleChain. So a rule behaves the same in `villagegrid run` and `villagegrid test`, except where a
// world says otherwise (each documents where and why). A template, not virtual calls: the engine
// calls it for every action, and its primitives are small enough to inline.
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>
#include <variant>
#include <vector>

#include "rules/program.h"

namespace vg::rules {

// The world rules act on, about the subject of the rule now firing (a person, or a village) at the
// minute of its event.
template <class W>
concept ActionWorld = requires(W& w, const W& cw, Event e, int n, bool b, double x, int64_t m) {
  { cw.program() } -> std::same_as<const Program&>;
  // Dispatches `e` at once, nested in the dispatch now running, about the same person (about_village:
  // about their village), at the same minute.
  w.raise_now(e, n, b);
  w.raise_later(n, m);      // a custom event `n` about the same subject, `m` > 0 minutes from now
  w.mark_village_event(n);  // a village event has been raised (rules' after_event)
  w.create_task(n);         // a task of kind `n` (its copies, households and repeats)
  { cw.person_class() } -> std::convertible_to<int>;
  w.set_person_class(n);
  w.key_persons_changed(n);  // the village's key persons, +1 or -1
  { cw.ever_tracked() } -> std::convertible_to<bool>;
  w.start_tracking(n);
  { cw.tracked_with(n) } -> std::convertible_to<bool>;   // a tracking of template `n` is under way
  w.end_tracking(n);                                     // raises tracking_ended when the world ends it
  { cw.monitoring_kind() } -> std::convertible_to<int>;  // -1: none
  w.start_monitoring(n, n);                              // kind, days; replaces any current monitoring
  w.end_monitoring(n);                                   // the current one, of kind `n`
  w.observe_household(n, n);                             // kind, days
  { cw.post_open(n) } -> std::convertible_to<bool>;
  w.open_post(n);
  w.close_post(n);
  w.set_attribute(n, x);
  w.request(n, n, m);  // supply, channel, amount
};

// Carries out one action of a firing rule in world `w`: the action's own `apply` (rules/actions/).
template <ActionWorld W>
inline void apply(const Action& a, W& w) {
  std::visit([&w](const auto& x) { x.apply(w); }, a);
}

// Nested dispatch: an action that raises an event dispatches it at once, one level deeper, with a
// slot array of its own per level. Cycles are refused and chains longer than kMaxRuleChain are
// refused when a policy is compiled, so the bound here is never reached by a compiled policy.
class RuleChain {
 public:
  explicit RuleChain(const Program& p)
      : p_(&p), slot_count_(size_t(p.slot_count())), slots_(size_t(kMaxRuleChain) * slot_count_, 0.0) {}

  // Dispatches `e` about the subject `hooks` is set to, nested in the dispatch now running, if any.
  // Hooks of a final class (the engine's Town) are called directly; any other, through DispatchHooks.
  template <class Hooks>
  requires std::is_final_v<Hooks>
  void dispatch(Event e, int filter, int today, Hooks& hooks) { nested(e, filter, today, hooks); }
  void dispatch(Event e, int filter, int today, DispatchHooks& hooks) { nested(e, filter, today, hooks); }

 private:
  template <class Hooks>
  void nested(Event e, int filter, int today, Hooks& hooks) {
    if (depth_ >= kMaxRuleChain) return;
    double* slots = slots_.data() + size_t(depth_) * slot_count_;
    ++depth_;
    p_->dispatch_with(e, filter, today, slots, hooks);
    --depth_;
  }

  const Program* p_;
  size_t slot_count_;
  std::vector<double> slots_;  // one slot array per level
  int depth_ = 0;
};

}  // namespace vg::rules
