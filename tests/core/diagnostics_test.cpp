#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/diagnostics.h"

namespace vg {
namespace {

TEST(DidYouMean, FindsLikelyTypos) {
  std::vector<std::string> keys{"horizon_days", "start_date", "seed", "replicates"};
  EXPECT_EQ(closest_match("horizon_dyas", keys), "horizon_days");  // transposition
  EXPECT_EQ(closest_match("strat_date", keys), "start_date");
  EXPECT_EQ(closest_match("replicate", keys), "replicates");
  EXPECT_EQ(closest_match("colour", keys), "");  // nothing close: no suggestion
  EXPECT_EQ(did_you_mean("sed", keys), "; did you mean 'seed'?");
}

// The first word of one name of several is that name, before a shorter one a few edits away; the
// first word of two names is neither (the edit distance decides).
TEST(DidYouMean, TheFirstWordOfOneLongerName) {
  std::vector<std::string> channels{"sending_unit", "onsite_purchase", "online"};
  EXPECT_EQ(closest_match("onsite", channels), "onsite_purchase");
  EXPECT_EQ(closest_match("onlin", channels), "online");
  std::vector<std::string> two{"screened_share", "screened_within_24h_share", "screening"};
  EXPECT_EQ(closest_match("screened", two), "screening");
}

// Long names of several words: one left out, or misspelt as well, more than 3 edits in all.
TEST(DidYouMean, LongNamesWithAWordLeftOut) {
  std::vector<std::string> metrics{"screened_within_24h_of_arrival_share", "screened_within_24h_share",
                                   "team_complete_share", "key_fully_tracked"};
  EXPECT_EQ(closest_match("screened_within_24h_arival_share", metrics), "screened_within_24h_of_arrival_share");
  EXPECT_EQ(closest_match("screened_24h_of_arrival_share", metrics), "screened_within_24h_of_arrival_share");
  EXPECT_EQ(closest_match("screened_24h_share", metrics), "screened_within_24h_share");  // fewest words left over
  EXPECT_EQ(closest_match("key_tracked_full", metrics), "");                             // words out of order: no guess
  EXPECT_EQ(closest_match("money_spent_share", metrics), "");
}

// A name that is among the candidates but was rejected for another reason (a role in the policy
// that no roster lists) is never suggested as its own correction, by either kind of match.
TEST(DidYouMean, NeverSuggestsTheNameItself) {
  const std::vector<std::string> roles{"village_cadre", "town_cadre", "party_member"};
  EXPECT_EQ(closest_match("town_cadre", roles), "");  // the long-name match used to give it back
  EXPECT_EQ(did_you_mean("town_cadre", roles), "");
  EXPECT_EQ(closest_match("party_member", roles), "");
  EXPECT_EQ(closest_match("town_cadr", roles), "town_cadre");
}

// The one message every lookup of a declared name gives (compiler, scenario model, rule tests).
TEST(UnknownName, SuggestsTheClosestNameOrListsTheKnownOnes) {
  const std::vector<std::string> roles{"village_cadre", "village_doctor", "party_member"};
  const KnownNames shown{"; declared: ", "; none declared"};
  EXPECT_EQ(unknown_name("role", "village_doctr", roles, shown),
            "unknown role 'village_doctr'; did you mean 'village_doctor'?");
  EXPECT_EQ(unknown_name("role", "nurse", roles, shown),
            "unknown role 'nurse'; declared: village_cadre, village_doctor, party_member");
  EXPECT_EQ(unknown_name("role", "nurse", {}, shown), "unknown role 'nurse'; none declared");
}

TEST(UnknownName, CutsALongListAtMost) {
  const std::vector<std::string> tasks{"a", "b", "c"};
  EXPECT_EQ(unknown_name("task", "zzz", tasks, {"; the policy has: ", "", 2}),
            "unknown task 'zzz'; the policy has: a, b, ...");
  EXPECT_EQ(unknown_name("task", "zzz", tasks, {"; the policy has: ", "", 3}),
            "unknown task 'zzz'; the policy has: a, b, c");
}

TEST(Diagnostics, FormatsLocationLineAndCaret) {
  auto f = std::make_shared<SourceFile>(SourceFile{"a.yaml", "x: 1\nhorizon_dyas: 3\n"});
  Diagnostics d;
  d.error(SourceLoc{f, 2, 1}, "unknown key");
  d.warning(SourceLoc{f, 1, 4}, "odd");
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.warning_count(), 1u);
  // A file's errors come before its warnings: a warning can follow from an error below it.
  EXPECT_EQ(d.format(),
            "a.yaml:2:1: error: unknown key\n  horizon_dyas: 3\n  ^\n"
            "a.yaml:1:4: warning: odd\n  x: 1\n     ^\n");
  Diagnostics w;  // a file with warnings only: in source order
  w.warning(SourceLoc{f, 2, 1}, "second");
  w.warning(SourceLoc{f, 1, 4}, "first");
  EXPECT_LT(w.format().find("first"), w.format().find("second"));
}

// A long line is shown around the column, "..." where it was cut, the caret under the column.
TEST(Diagnostics, ALongLineIsShownAroundTheColumn) {
  const std::string line = std::string(2999, 'a') + "X" + std::string(2000, 'b');
  auto f = std::make_shared<SourceFile>(SourceFile{"a.yaml", line + "\n"});
  Diagnostics d;
  d.error(SourceLoc{f, 1, 3000}, "here");
  const std::string out = d.format();
  EXPECT_LT(out.size(), 500u) << out;
  const size_t shown = out.find("\n  ") + 3, caret_line = out.find('\n', shown) + 1;
  const std::string text = out.substr(shown, caret_line - 1 - shown);
  const std::string caret = out.substr(caret_line + 2, out.find('\n', caret_line) - caret_line - 2);
  EXPECT_EQ(text.substr(0, 3), "...");
  EXPECT_EQ(text.substr(text.size() - 3), "...");
  ASSERT_EQ(caret.back(), '^') << out;
  EXPECT_EQ(text[caret.size() - 1], 'X') << out;
}

// A policy's reading errors and its rules' errors are found in two passes; they are printed as a
// compiler prints them: file by file (in the order each file's first problem was found), by line
// and column, each note after the problem it explains, problems at one place in the order found;
// in a file with errors, its warnings after them.
TEST(Diagnostics, PrintsInSourceOrderWithEachNoteAfterItsProblem) {
  auto a = std::make_shared<SourceFile>(SourceFile{"a.yaml", "1\n2\n3\n4\n"});
  auto b = std::make_shared<SourceFile>(SourceFile{"b.yaml", "1\n2\n"});
  Diagnostics d;
  d.error(SourceLoc{b, 2, 1}, "b2");
  d.error(SourceLoc{a, 3, 1}, "a3");
  d.note(SourceLoc{a, 1, 1}, "a3's note, at line 1");
  d.warning(SourceLoc{a, 2, 1}, "a2");
  d.error(SourceLoc{b, 1, 1}, "b1");
  d.error(SourceLoc{a, 2, 1}, "a2 again");
  std::string order;
  for (const Diagnostic* x : d.in_source_order()) order += x->message + "|";
  EXPECT_EQ(order, "b1|b2|a2 again|a3|a3's note, at line 1|a2|");
  EXPECT_LT(d.format().find("b.yaml:1:1: error: b1"), d.format().find("a.yaml:2:1: warning: a2"));
}

TEST(SourceFile, QuotesAnyLineIncludingTheLastWithoutNewlineAndCarriageReturns) {
  const SourceFile f("a.yaml", "one\r\ntwo\n\nfour");
  EXPECT_EQ(f.line(1), "one");
  EXPECT_EQ(f.line(2), "two");
  EXPECT_EQ(f.line(3), "");
  EXPECT_EQ(f.line(4), "four");
  EXPECT_EQ(f.line(5), "");
  EXPECT_EQ(f.line(0), "");
}

// A generated file with thousands of mistakes gives the first kShownPerFile of each file and a
// count of the rest, per file, in the order the files were first cut.
TEST(Diagnostics, CapsTheProblemsShownPerFile) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "k" + std::to_string(i) + ": 1\n";
  auto a = std::make_shared<SourceFile>("a.yaml", text);
  auto b = std::make_shared<SourceFile>("b.yaml", "x: 1\n");
  Diagnostics d;
  for (int i = 1; i <= 60; ++i) d.error(SourceLoc{a, i, 1}, "bad key");
  d.warning(SourceLoc{b, 1, 1}, "odd");
  EXPECT_EQ(d.error_count(), 60u);  // all counted, whatever is shown
  const std::string out = d.format();
  EXPECT_NE(out.find("a.yaml:50:1: error: bad key\n  k49: 1\n"), std::string::npos);
  EXPECT_EQ(out.find("a.yaml:51:1:"), std::string::npos);
  EXPECT_NE(out.find("b.yaml:1:1: warning: odd"), std::string::npos);
  const std::string tail = "a.yaml: note: ... and 10 more problems in this file (the first 50 are shown)\n";
  ASSERT_GE(out.size(), tail.size());
  EXPECT_EQ(out.substr(out.size() - tail.size()), tail);
}

}  // namespace
}  // namespace vg
