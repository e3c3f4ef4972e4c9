// docs/rules.md lists exactly the triggers, actions and facts of the code's tables (kTriggerSyntax,
// kActionSyntax, kPersonFacts and kVillageFacts): a name added to a table and not to the docs, or
// left in the docs after it went, fails here with the names.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "rules/actions/actions.h"
#include "rules/facts.h"
#include "spec/policy.h"
#include "support/doc_tables.h"

namespace vg::rules {
namespace {

using namespace vg::testing;  // doc_table, first_column_names, name_drift, read_doc, table_names

TEST(VocabularyDocs, TriggersAreTheTable) {
  auto rows = doc_table(read_doc("rules.md"), "Subjects and triggers", "trigger (`on`)");
  ASSERT_FALSE(rows.empty()) << "docs/rules.md has no table of triggers under 'Subjects and triggers'";
  EXPECT_EQ(name_drift(first_column_names(rows), table_names(kTriggerSyntax), "docs/rules.md's triggers"), "");
}

// The table says whom each trigger is about; a trigger about what its value names says "as declared"
// or "what the task is about".
TEST(VocabularyDocs, TriggersSayWhomTheyAreAbout) {
  auto rows = doc_table(read_doc("rules.md"), "Subjects and triggers", "trigger (`on`)");
  for (const auto& row : rows)
    for (const auto& name : vg::testing::code_names(row[0]))
      for (const auto& t : kTriggerSyntax)
        if (t.name == name && t.about != TriggerSyntax::About::Named) {
          EXPECT_EQ(row[1], t.about == TriggerSyntax::About::Person ? "person" : "village") << name;
        }
}

TEST(VocabularyDocs, ActionsAreTheTable) {
  auto rows = doc_table(read_doc("rules.md"), "Actions", "action (`do`)");
  ASSERT_FALSE(rows.empty()) << "docs/rules.md has no table of actions under 'Actions'";
  EXPECT_EQ(name_drift(first_column_names(rows), table_names(kActionSyntax), "docs/rules.md's actions"), "");
  // Which rules may use each action, as the table says.
  for (const auto& row : rows)
    for (const auto& name : vg::testing::code_names(row[0]))
      for (const auto& a : kActionSyntax)
        if (a.name == name) {
          const char* about = a.subject == ActionSyntax::For::Person    ? "person"
                              : a.subject == ActionSyntax::For::Village ? "village"
                                                                        : "person or village";
          EXPECT_EQ(row[2], about) << name;
        }
}

TEST(VocabularyDocs, FactsAreTheTable) {
  auto rows = doc_table(read_doc("rules.md"), "Conditions", "fact");
  ASSERT_FALSE(rows.empty()) << "docs/rules.md has no table of facts under 'Conditions'";
  std::set<std::string> facts = table_names(kPersonFacts);
  for (const auto& n : table_names(kVillageFacts)) facts.insert(n);
  EXPECT_EQ(name_drift(first_column_names(rows), facts, "docs/rules.md's facts"), "");
}

// The helper itself: a name missing from the docs and one the code lacks are both named.
TEST(VocabularyDocs, DriftNamesWhatIsMissingAndWhatIsExtra) {
  const std::string table =
      "## Things\n\n| trigger (`on`) | about |\n|---|---|\n| `a`, `{b: X}` | person |\n"
      "| `{c: {d: N}}` | village |\n| `stock_<supply>` | village |\n\nafter\n| x | y |\n";
  auto rows = doc_table(table, "Things", "trigger (`on`)");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(first_column_names(rows), (std::set<std::string>{"a", "b", "c"}));
  EXPECT_EQ(name_drift({"a", "b", "c"}, {"a", "b", "e"}, "doc"),
            "doc does not list: e. doc lists what the code does not have: c.");
}

}  // namespace
}  // namespace vg::rules
