// set_class: the person's class; a change raises class_changed.
#pragma once

#include <optional>

#include "rules/facts.h"
#include "spec/policy.h"

namespace vg::rules {

struct SetClass {
  int cls;

  static constexpr ActionSyntax syntax{"set_class", "CLASS", "class", ActionSyntax::For::Person,
                                       "sets the person's class; a change raises class_changed"};
  template <class Site>
  static std::optional<SetClass> compile(const ActionSpec& a, Site& s) {
    const int cls = s.c.classes.find(a.name, s.c.d);
    s.for_persons_only(a, "set_class");
    if (cls < 0) return std::nullopt;
    s.c.class_set_by_rule[size_t(cls)] = true;
    return SetClass{cls};
  }
  // Only a change of class counts: key persons move, and class_changed is raised.
  template <class W>
  void apply(W& w) const {
    const int before = w.person_class();
    if (before == cls) return;
    const auto& p = w.program();
    const bool was_key = p.is_key_class(before), is_key = p.is_key_class(cls);
    w.set_person_class(cls);
    if (!was_key && is_key)
      w.key_persons_changed(+1);
    else if (was_key && !is_key)
      w.key_persons_changed(-1);
    w.raise_now(Event::ClassChanged, cls, false);
  }
  template <class P, class Out>
  void raises(const P&, Out&& event) const {
    event(Event::ClassChanged, cls);
    event(Event::ClassChanged, -1);
  }
  template <class P, class Out>
  void changes(const P& p, Out&& slot) const {
    slot(kSlotClass);
    slot(p.village_slot(kVillageKeyPersons));
  }
  // The first set_class for an event wins (Program::dispatch): a later one is told as skipped.
  template <class Story>
  void explain(Story& s) const {
    const std::string& name = s.program().classes()[size_t(cls)];
    if (s.class_set) {
      s.say("its set_class " + name + " was skipped (an earlier rule set the class)");
    } else {
      s.class_set = true;
      s.say("set class " + name);
      s.cls_now = name;
    }
  }
};

}  // namespace vg::rules
