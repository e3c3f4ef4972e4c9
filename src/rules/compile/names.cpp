// The names step: the vocabulary's names of each kind become indices, and every later lookup of a
// vocabulary name goes through a NameTable, so an unknown name reads the same wherever it is written.
#include <algorithm>

#include "rules/compile/compiler.h"

namespace vg::rules::compile {

namespace {

std::vector<NameSpec> names_of(const std::vector<AttributeSpec>& v) {
  std::vector<NameSpec> out;
  for (const auto& a : v) out.push_back(a.name);
  return out;
}
std::vector<NameSpec> names_of(const std::vector<EventDeclSpec>& v) {
  std::vector<NameSpec> out;
  for (const auto& a : v) out.push_back(a.name);
  return out;
}

}  // namespace

NameTable::NameTable(const char* kind, const std::vector<NameSpec>& decl, Diagnostics& d, size_t max,
                     const char* section, bool vocabulary_given)
    : kind_(kind), section_(section), vocabulary_given_(vocabulary_given) {
  for (const auto& n : decl)
    if (std::find(names_.begin(), names_.end(), n.name) == names_.end()) names_.push_back(n.name);
  if (names_.size() > max && !decl.empty())
    d.error(decl.back().loc, std::string("too many ") + kind + " names: at most " + std::to_string(max));
}

int NameTable::find(std::string_view name) const {
  auto it = std::find(names_.begin(), names_.end(), name);
  return it == names_.end() ? -1 : int(it - names_.begin());
}

int NameTable::find(const NameSpec& n, Diagnostics& d) const {
  int i = find(n.name);
  if (i >= 0) return i;
  const std::string none =
      vocabulary_given_
          ? std::string("; the vocabulary declares none: declare it there (vocabulary: ") + section_ + ": [...])"
          : std::string("; none are declared: pass the file with the 'vocabulary' too");
  d.error(n.loc, unknown_name(kind_, n.name, names_, {"; declared: ", none}));
  return -1;
}

void Compiler::names() {
  const auto& voc = spec.vocabulary;
  // A vocabulary was given when it declares anything (every policy's declares its classes).
  const bool given = !voc.roles.empty() || !voc.origins.empty() || !voc.classes.empty();
  roles = NameTable("role", voc.roles, d, 32, "roles", given);  // role masks are 32-bit
  origins = NameTable("origin", voc.origins, d, 64, "origins", given);
  classes = NameTable("class", voc.classes, d, 64, "classes", given);
  attrs = NameTable("attribute", names_of(voc.attributes), d, 64, "attributes", given);
  events = NameTable("event", names_of(voc.events), d, 64, "events", given);
  monitoring = NameTable("monitoring kind", voc.monitoring, d, 32, "monitoring", given);
  p.monitoring_ = monitoring.names();
  supplies = NameTable("supply", voc.supplies, d, 32, "supplies", given);
  p.supplies_ = supplies.names();
  p.roles_ = roles.names();
  p.origins_ = origins.names();
  p.classes_ = classes.names();
  if (voc.classes.empty() && (!spec.rules.empty() || !spec.tracking.empty()))
    d.error(spec.rules.empty() ? spec.tracking.front().loc : spec.rules.front().loc,
            "no classes are declared; add a vocabulary with 'classes' (the first is the class of a person not yet "
            "classified)");
  for (const auto& k : voc.key_classes) {
    int c = classes.find(k, d);
    if (c >= 0) p.key_class_mask_ |= 1ull << c;
  }
  for (const auto& name : attrs.names())
    for (const auto& a : voc.attributes)
      if (a.name.name == name) {
        p.attributes_.push_back({name, a.about, a.is_bool});
        break;
      }
  for (const auto& name : events.names())
    for (const auto& e : voc.events)
      if (e.name.name == name) {
        p.events_.push_back({name, e.about});
        break;
      }
}

}  // namespace vg::rules::compile
