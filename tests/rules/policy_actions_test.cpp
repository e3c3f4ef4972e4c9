// The policy loader reads every action from the actions table (kActionSyntax): each is known by
// its name, read into its kind, and a name that is not one lists them all or says which it meant.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "rules/actions/actions.h"
#include "rules/policy_loader.h"
#include "support/temp_files.h"

namespace vg::rules {
namespace {

using vg::testing::TempDir;

PolicySpec load_actions(const std::string& actions, Diagnostics& d) {
  TempDir dir;
  auto path = dir.write("p.yaml",
                        "rules:\n  - id: r\n    title: t\n    source: assumption\n    note: n\n"
                        "    on: returnee_arrived\n    do:\n" +
                            actions);
  return load_policy({path}, d);
}

// A value for each action, as a rule writes it (the names need not exist: nothing is compiled).
const std::map<std::string, std::string> kExamples = {
    {"create_task", "{name: x, roles: [r], minutes: 1, within_hours: 1}"},
    {"set_class", "key"},
    {"start_tracking", "t"},
    {"end_tracking", "t"},
    {"set_attribute", "{a: true}"},
    {"raise", "{event: e, after_hours: 2}"},
    {"escalate", "{event: e, levels: 1}"},
    {"start_monitoring", "{kind: k, days: 3, uses_per_day: {masks: 1}}"},
    {"end_monitoring", "any"},
    {"observe_household", "{kind: k, days: 3}"},
    {"open_post", "{name: p, roles: [r], shifts: [\"08:00-16:00\"]}"},
    {"close_post", "p"},
    {"request", "{supply: s, amount: 1, channel: c}"},
};

TEST(PolicyActions, EveryActionOfTheTableIsRead) {
  for (size_t kind = 0; kind < kActionSyntax.size(); ++kind) {
    const std::string name(kActionSyntax[kind].name);
    ASSERT_TRUE(kExamples.count(name)) << "no example of action '" << name << "' in this test";
    Diagnostics d;
    auto spec = load_actions("      - " + name + ": " + kExamples.at(name) + "\n", d);
    EXPECT_FALSE(d.has_errors()) << name << ": " << d.format();
    ASSERT_EQ(spec.rules.size(), 1u);
    ASSERT_EQ(spec.rules[0].actions.size(), 1u) << name;
    EXPECT_EQ(spec.rules[0].actions[0].kind, kind) << name;
    EXPECT_EQ(spec.rules[0].actions[0].loc.line, 8) << name;
  }
}

// The table is the list of action headers (rules/actions/actions.h): a row's index is its kind,
// and no two actions share a name (the loader would read the second as the first).
TEST(PolicyActions, EachActionHasItsOwnNameAndKind) {
  std::set<std::string_view> names;
  for (const auto& s : kActionSyntax) EXPECT_TRUE(names.insert(s.name).second) << s.name;
  EXPECT_EQ(kActionSyntax[kAction<SetClass>].name, "set_class");
  EXPECT_EQ(kActionSyntax[kAction<Request>].name, "request");
  EXPECT_EQ(kind_of(Action(EndMonitoring{std::nullopt})), kAction<EndMonitoring>);
}

TEST(PolicyActions, AnUnknownActionListsThemAllOrSaysWhichItMeant) {
  Diagnostics d;
  load_actions("      - zzz: 1\n      - start_monitorin: {kind: k, days: 3}\n", d);
  ASSERT_EQ(d.items().size(), 2u) << d.format();
  const std::string& all = d.items()[0].message;
  EXPECT_TRUE(all.starts_with("unknown action 'zzz'; expected one of: ")) << all;
  for (const auto& s : kActionSyntax) EXPECT_NE(all.find(std::string(s.name)), std::string::npos) << s.name;
  EXPECT_EQ(d.items()[1].message, "unknown action 'start_monitorin'; did you mean 'start_monitoring'?");
  EXPECT_EQ(d.items()[1].loc.line, 9);
}

// A name-valued action says what the name is when it is not one.
TEST(PolicyActions, ANameValueSaysWhatItNames) {
  Diagnostics d;
  load_actions("      - set_class: [key]\n      - close_post: {p: 1}\n", d);
  ASSERT_EQ(d.items().size(), 2u) << d.format();
  EXPECT_EQ(d.items()[0].message, "expected a name for class, found a list");
  EXPECT_EQ(d.items()[1].message, "expected a name for post, found a mapping");
}

}  // namespace
}  // namespace vg::rules
