// What every action does, written once, and the one nested dispatch, for the engine (sim/town/:
// a town, for real) and the rule-test runner (rules/rule_tests.cpp: one person and their village, a
// fake) alike: both are an ActionWorld, the primitive state changes, and both nest events through a
// RuleChain. So a rule behaves the same in `villagegrid run` and `villagegrid test`, except where a
// world says otherwise (each documents where and why). A template, not virtual calls: the engine
// calls it for every action, and its primitives are small enough to inline.
#pragma once

#include <concepts>
#include <cstdint>
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

namespace detail {

template <ActionWorld W>
struct ApplyAction {
  W& w;

  void operator()(const CreateTask& a) const { w.create_task(a.task_kind); }
  // Only a change of class counts: key persons move, and class_changed is raised.
  void operator()(const SetClass& a) const {
    const int before = w.person_class();
    if (before == a.cls) return;
    const Program& p = w.program();
    const bool was_key = p.is_key_class(before), is_key = p.is_key_class(a.cls);
    w.set_person_class(a.cls);
    if (!was_key && is_key)
      w.key_persons_changed(+1);
    else if (was_key && !is_key)
      w.key_persons_changed(-1);
    w.raise_now(Event::ClassChanged, a.cls, false);
  }
  void operator()(const StartTracking& a) const {
    if (!w.ever_tracked()) w.start_tracking(a.tmpl);  // tracked once already: a second start is a no-op
  }
  void operator()(const EndTracking& a) const {
    if (w.tracked_with(a.tmpl)) w.end_tracking(a.tmpl);
  }
  void operator()(const SetAttribute& a) const { w.set_attribute(a.attr, a.value); }
  void operator()(const Raise& a) const { raise(a.event, a.delay_minutes); }
  // A report climbing the grid takes each level's delay.
  void operator()(const Escalate& a) const { raise(a.event, w.program().escalation_delay(a.levels)); }
  void operator()(const StartMonitoring& a) const { w.start_monitoring(a.kind, a.days); }
  void operator()(const EndMonitoring& a) const {
    const int kind = w.monitoring_kind();
    if (kind < 0 || (a.kind && *a.kind != kind)) return;
    w.end_monitoring(kind);
    w.raise_now(Event::MonitoringEnded, kind, false);
  }
  void operator()(const OpenPost& a) const {
    if (!w.post_open(a.post)) w.open_post(a.post);  // open already: no new shifts
  }
  void operator()(const ClosePost& a) const {
    if (w.post_open(a.post)) w.close_post(a.post);
  }
  void operator()(const Request& a) const { w.request(a.supply, a.channel, a.amount); }
  void operator()(const ObserveHousehold& a) const { w.observe_household(a.kind, a.days); }

  void raise(int event, int64_t delay) const {
    if (delay > 0) {
      w.raise_later(event, delay);
      return;
    }
    const bool about_village = w.program().events()[size_t(event)].about == Subject::Village;
    if (about_village) w.mark_village_event(event);
    w.raise_now(Event::Custom, event, about_village);
  }
};

}  // namespace detail

// Carries out one action of a firing rule in world `w`.
template <ActionWorld W>
inline void apply(const Action& a, W& w) {
  std::visit(detail::ApplyAction<W>{w}, a);
}

// Nested dispatch: an action that raises an event dispatches it at once, one level deeper, with a
// slot array of its own per level. Cycles are refused and chains longer than kMaxRuleChain are
// refused when a policy is compiled, so the bound here is never reached by a compiled policy.
class RuleChain {
 public:
  explicit RuleChain(const Program& p)
      : p_(&p), slot_count_(size_t(p.slot_count())), slots_(size_t(kMaxRuleChain) * slot_count_, 0.0) {}

  // Dispatches `e` about the subject `hooks` is set to, nested in the dispatch now running, if any.
  void dispatch(Event e, int filter, int today, DispatchHooks& hooks) {
    if (depth_ >= kMaxRuleChain) return;
    double* slots = slots_.data() + size_t(depth_) * slot_count_;
    ++depth_;
    p_->dispatch(e, filter, today, slots, hooks);
    --depth_;
  }

 private:
  const Program* p_;
  size_t slot_count_;
  std::vector<double> slots_;  // one slot array per level
  int depth_ = 0;
};

}  // namespace vg::rules
