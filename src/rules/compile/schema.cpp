// The schema step: the slots a condition reads, in order: person facts, person attributes, village
// facts, village attributes, stocks. Built-in facts come from the one table in rules/facts.h.
#include <set>

#include "rules/compile/compiler.h"

namespace vg::rules::compile {

namespace {

const char* subject_name(Subject s) { return s == Subject::Person ? "person" : "village"; }

}  // namespace

void Compiler::schema() {
  const auto& voc = spec.vocabulary;
  auto& sc = p.schema_;
  const int origin_set = sc.add_category_set("origin", p.origins_);
  const int class_set = sc.add_category_set("class", p.classes_);
  std::vector<std::string> monitoring_values{"none"};
  for (const auto& k : p.monitoring_) monitoring_values.push_back(k);
  const int mon_set = sc.add_category_set("monitoring", monitoring_values);
  const int found_set = sc.add_category_set("found_by", std::vector<std::string>(kFoundBy.begin(), kFoundBy.end()));
  for (const FactInfo& f : kPersonFacts) {
    const int set = f.name == "origin"       ? origin_set
                    : f.name == "class"      ? class_set
                    : f.name == "monitoring" ? mon_set
                    : f.name == "found_by"   ? found_set
                                             : -1;
    sc.add_field(std::string(f.name), f.type, set, std::string(f.doc));
  }
  p.attribute_slot_.assign(p.attributes_.size(), -1);
  std::set<std::string> fact_names;
  for (const auto& f : sc.fields()) fact_names.insert(f.name);
  for (const FactInfo& f : kVillageFacts) fact_names.insert(std::string(f.name));
  auto add_attributes = [&](Subject about) {
    for (size_t i = 0; i < p.attributes_.size(); ++i) {
      const auto& a = p.attributes_[i];
      if (a.about != about) continue;
      if (fact_names.count(a.name)) {
        for (const auto& as : voc.attributes)
          if (as.name.name == a.name)
            d.error(as.name.loc, "attribute '" + a.name + "' has the name of a built-in fact");
        continue;
      }
      p.attribute_slot_[i] = sc.add_field(a.name, a.is_bool ? Type::Bool : Type::Number, -1,
                                          std::string(subject_name(a.about)) + " attribute");
    }
  };
  add_attributes(Subject::Person);
  p.village_base_ = int(sc.slot_count());
  for (const FactInfo& f : kVillageFacts) sc.add_field(std::string(f.name), f.type, -1, std::string(f.doc));
  add_attributes(Subject::Village);
  for (const auto& sup : p.supplies_)
    p.stock_slot_.push_back(sc.add_field("stock_" + sup, Type::Number, -1, "the village's stock of " + sup));
}

}  // namespace vg::rules::compile
