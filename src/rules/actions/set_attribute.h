// set_attribute: a person or village attribute (vocabulary `attributes`).
#pragma once

#include <cctype>
#include <cstdio>
#include <optional>
#include <string>

#include "spec/policy.h"

namespace vg::rules {

struct SetAttribute {
  int attr;
  double value;  // bools as 0/1

  static constexpr ActionSyntax syntax{"set_attribute", "{NAME: VALUE}", "attribute", ActionSyntax::For::Both,
                                       "sets a person or village attribute"};
  // `set_attribute: {NAME: VALUE}`: one attribute; bools are written true/false.
  template <class In>
  static void read(In& in, ActionSpec& a) {
    const auto& v = in.node();
    if (!v.is_map() || v.entries.size() != 1) {
      in.error(v.loc, "expected `set_attribute: {NAME: VALUE}` with one attribute");
      return;
    }
    const auto& [an, av] = v.entries.front();
    if (auto s = in.name(an, "attribute")) a.name = *s;
    a.value_loc = av.loc;
    if (av.is_scalar() && !av.quoted && (av.scalar == "true" || av.scalar == "false")) {
      a.value_is_bool = true;
      a.value = av.scalar == "true" ? 1.0 : 0.0;
    } else if (av.is_scalar() && !av.quoted && !av.scalar.empty() &&
               std::isalpha(static_cast<unsigned char>(av.scalar.front()))) {
      // A word ("yes", "True", "on", "null"): wrong for either kind of attribute, and what is
      // expected depends on the attribute's type, which compile knows. So for what is not a scalar
      // number at all.
      a.value_word = "'" + av.scalar + "'";
    } else if (av.is_scalar() && av.quoted) {
      a.value_word = "'\"" + av.scalar + "\"' (in quotes: text, not a value)";
    } else if (!av.is_scalar() || av.scalar.empty() || av.scalar == "~") {
      a.value_word = av.is_seq() ? "a list" : av.is_map() ? "a mapping" : "nothing";
    } else if (auto x = in.number(av, "attribute value", -1e12, 1e12)) {
      a.value = *x;
    }
  }
  template <class Site>
  static std::optional<SetAttribute> compile(const ActionSpec& a, Site& s) {
    const int i = s.c.attrs.find(a.name, s.c.d);
    if (i < 0) return std::nullopt;
    const auto& at = s.c.p.attributes()[size_t(i)];
    if (at.about == Subject::Person && s.cr.subject == Subject::Village && s.subject_sure)
      s.c.d.error(a.name.loc,
                  "attribute '" + at.name + "' belongs to a person; rule '" + s.r.id + "' is about a village");
    if (!a.value_word.empty()) {
      s.c.d.error(a.value_loc, "attribute '" + at.name + "' is " +
                                   (at.is_bool ? "a bool: expected true or false" : "a number: expected a number") +
                                   ", found " + a.value_word);
      return std::nullopt;
    }
    if (at.is_bool != a.value_is_bool) {
      char found[48];
      std::snprintf(found, sizeof found, "%g", a.value);
      s.c.d.error(a.value_loc, "attribute '" + at.name + "' is " +
                                   (at.is_bool ? "a bool: expected true or false, found " + std::string(found)
                                               : std::string("a number: expected a number, found ") +
                                                     (a.value != 0 ? "true" : "false")));
    }
    return SetAttribute{i, a.value};
  }
  template <class W>
  void apply(W& w) const {
    w.set_attribute(attr, value);
  }
  template <class P, class Out>
  void changes(const P& p, Out&& slot) const {
    slot(p.attribute_slot(attr));
  }
  template <class Story>
  void explain(Story& s) const {
    const auto& at = s.program().attributes()[size_t(attr)];
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", value);
    s.say("set " + at.name + " = " + (at.is_bool ? (value != 0 ? "true" : "false") : std::string(buf)));
  }
};

}  // namespace vg::rules
