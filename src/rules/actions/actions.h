// Every action a rule may write in `do`, one header each in this folder. A header holds all of one
// action: its compiled struct (names resolved to indices), its row (`syntax`: name, how its value is
// written, which rules may use it, what it does), how its value is read (`read`, over the loader's
// ActionValueReader; without one the value is a plain name), how it compiles (`compile`, over the
// compiler's ActionSite), what it does (`apply`, over an ActionWorld: rules/apply.h), how explain
// tells it (`explain`), and, for the cycles step and the lints, the events it raises at once
// (`raises`) and the fact slots it changes (`changes`). Each is a template over the one who calls it,
// so this header needs neither the YAML reader nor the compiler, and costs the engine no virtual
// call. The list below is the variant every compiled rule holds and the table the loader, the
// compiler, `check`, `explain` and the docs check read: a new action is its header and its type in
// the list (docs/architecture.md, "Where to add things").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "rules/actions/close_post.h"
#include "rules/actions/create_task.h"
#include "rules/actions/end_monitoring.h"
#include "rules/actions/end_tracking.h"
#include "rules/actions/escalate.h"
#include "rules/actions/observe_household.h"
#include "rules/actions/open_post.h"
#include "rules/actions/raise.h"
#include "rules/actions/request.h"
#include "rules/actions/set_attribute.h"
#include "rules/actions/set_class.h"
#include "rules/actions/start_monitoring.h"
#include "rules/actions/start_tracking.h"

namespace vg::rules {

// The actions, in the order docs/rules.md lists them and messages name them.
using Action = std::variant<CreateTask, SetClass, StartTracking, EndTracking, SetAttribute, Raise, Escalate,
                            StartMonitoring, EndMonitoring, ObserveHousehold, OpenPost, ClosePost, Request>;

inline constexpr size_t kActionKindCount = std::variant_size_v<Action>;

namespace detail {

template <class A, class V>
struct KindOf;
template <class A, class... As>
struct KindOf<A, std::variant<As...>> {
  static constexpr size_t value = [] {
    constexpr bool is[] = {std::is_same_v<A, As>...};
    for (size_t i = 0; i < sizeof...(As); ++i)
      if (is[i]) return i;
    return sizeof...(As);
  }();
};

template <class V>
struct Rows;
template <class... As>
struct Rows<std::variant<As...>> {
  static constexpr std::array<ActionSyntax, sizeof...(As)> value{As::syntax...};
};

template <class F, size_t... I>
void with_kind(size_t k, F& f, std::index_sequence<I...>) {
  (void)((k == I ? (f(std::type_identity<std::variant_alternative_t<I, Action>>{}), true) : false) || ...);
}

}  // namespace detail

// An action's kind: its index in Action (ActionSpec::kind; trace and docs order).
template <class A>
inline constexpr uint8_t kAction = uint8_t(detail::KindOf<A, Action>::value);
inline size_t kind_of(const Action& a) { return a.index(); }

// Every action's row, in the order of Action. The one table the policy loader and the docs check
// (docs/rules.md) read.
inline constexpr std::array<ActionSyntax, kActionKindCount> kActionSyntax = detail::Rows<Action>::value;

// Calls f(std::type_identity<A>{}) for the action of kind k.
template <class F>
void with_action_kind(size_t k, F&& f) {
  detail::with_kind(k, f, std::make_index_sequence<kActionKindCount>{});
}

// The value of an action of kind `a.kind`, read from `in` (the loader's ActionValueReader) into `a`:
// by the action's `read`, or as a plain name of what its row says it names.
template <class In>
void read_action_value(In& in, ActionSpec& a) {
  with_action_kind(a.kind, [&]<class A>(std::type_identity<A>) {
    if constexpr (requires(In & i, ActionSpec & s) { A::read(i, s); })
      A::read(in, a);
    else if (auto n = in.name(in.node(), A::syntax.what))
      a.name = *n;
  });
}

// The compiled action of `a` (names resolved and checked at `site`, the compiler's ActionSite), or
// nullopt when a name did not resolve (reported).
template <class Site>
std::optional<Action> compile_action(const ActionSpec& a, Site& site) {
  std::optional<Action> out;
  with_action_kind(a.kind, [&]<class A>(std::type_identity<A>) {
    if (auto x = A::compile(a, site)) out = *x;
  });
  return out;
}

// Calls event(Event, filter) for each (event, filter) an action raises (now or after a delay) about
// the subject of its rule, filter -1 for the rules that hear any value: the edges of the cycles step.
template <class P, class Out>
void action_raises(const Action& a, const P& p, Out&& event) {
  std::visit(
      [&](const auto& x) {
        if constexpr (requires { x.raises(p, event); }) x.raises(p, event);
      },
      a);
}

// Calls slot(int) for each fact slot an action may change (for the lints).
template <class P, class Out>
void action_changes(const Action& a, const P& p, Out&& slot) {
  std::visit(
      [&](const auto& x) {
        if constexpr (requires { x.changes(p, slot); }) x.changes(p, slot);
      },
      a);
}

// How explain tells an action that fired, to `story` (analysis/explain.cpp).
template <class Story>
void explain_action(const Action& a, Story& story) {
  std::visit([&](const auto& x) { x.explain(story); }, a);
}

}  // namespace vg::rules
