#include <gtest/gtest.h>

#include <string>

#include "config/yaml_doc.h"

namespace vg::config {
namespace {

std::string wide_map(int keys) {
  std::string text;
  for (int i = 0; i < keys; ++i) text += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  return text;
}

TEST(YamlDoc, DuplicateKeyNamesTheLineOfTheFirst) {
  Diagnostics d;
  auto root = parse_yaml("a.yaml", "a: 1\nb: 2\na: 3\n", d);
  EXPECT_FALSE(root);
  EXPECT_EQ(d.format(), "a.yaml:3:1: error: duplicate key 'a' (first given at line 1)\n  a: 3\n  ^\n");
}

// Keys are looked up by hash: a wide file (30,000 keys; the old scan took seconds at 20,000) parses
// whole, and a duplicate at its end is still found with the first key's line. (Speed: bench/.)
TEST(YamlDoc, WideMapsParseAndFindALateDuplicate) {
  Diagnostics ok;
  auto root = parse_yaml("wide.yaml", wide_map(30'000), ok);
  ASSERT_TRUE(root) << ok.format();
  EXPECT_EQ(root->entries.size(), 30'000u);
  EXPECT_EQ(root->entries.back().first.scalar, "k29999");

  Diagnostics d;
  EXPECT_FALSE(parse_yaml("wide.yaml", wide_map(30'000) + "k5: 0\n", d));
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.items()[0].message, "duplicate key 'k5' (first given at line 6)");
  EXPECT_EQ(d.items()[0].loc.line, 30'001);
}

// Nested maps keep their own keys: the same key in two sibling maps is no duplicate.
TEST(YamlDoc, SameKeyInSiblingMapsIsFine) {
  Diagnostics d;
  auto root = parse_yaml("a.yaml", "x: {a: 1, b: 2}\ny: {a: 3}\n", d);
  ASSERT_TRUE(root) << d.format();
  EXPECT_EQ(root->find("y")->entries.front().first.scalar, "a");
}

// Where each character of a `when:` value in `yaml` was written, as "line:col" of the character
// the text has at `offset`.
std::string origin_of(const std::string& yaml, const std::string& word) {
  Diagnostics d;
  auto root = parse_yaml("w.yaml", yaml, d);
  if (!root) return d.format();
  const YamlNode* when = root->find("when");
  if (!when) return "no when";
  const size_t offset = when->scalar.find(word);
  if (offset == std::string::npos) return "no " + word + " in '" + when->scalar + "'";
  const SourceLoc at = when->text_origin().at(offset);
  return std::to_string(at.line) + ":" + std::to_string(at.col);
}

// Every token of a value over several lines is placed where it was written, whatever YAML did to
// the line breaks and the indentation.
TEST(YamlDoc, TextOriginPlacesEachCharacterOfAMultiLineValue) {
  const std::string literal = "id: x\nwhen: |\n  first and\n    second > 2\n  and third\n";
  EXPECT_EQ(origin_of(literal, "first"), "3:3");
  EXPECT_EQ(origin_of(literal, "second"), "4:5");
  EXPECT_EQ(origin_of(literal, "third"), "5:7");
  const std::string folded = "when: >-\n  first and\n    second\n  and third\n";
  EXPECT_EQ(origin_of(folded, "first"), "2:3");
  EXPECT_EQ(origin_of(folded, "second"), "3:5");
  EXPECT_EQ(origin_of(folded, "third"), "4:7");
  const std::string dquoted = "when: \"first and\n   second\"\n";
  EXPECT_EQ(origin_of(dquoted, "first"), "1:8");
  EXPECT_EQ(origin_of(dquoted, "second"), "2:4");
  const std::string squoted = "when: 'it''s\n  second'\n";
  EXPECT_EQ(origin_of(squoted, "s"), "1:12");
  EXPECT_EQ(origin_of(squoted, "second"), "2:3");
  const std::string plain = "when: first and\n  second\n";
  EXPECT_EQ(origin_of(plain, "first"), "1:7");
  EXPECT_EQ(origin_of(plain, "second"), "2:3");
  // Blank lines, a comment on the indicator's line and a flow mapping.
  EXPECT_EQ(origin_of("when: |  # a comment\n\n  first\n\n  second\n", "second"), "5:3");
  EXPECT_EQ(origin_of("{id: x, when: \"first\n  second\"}\n", "second"), "2:3");
  // After an escape the rest is placed at the escape.
  EXPECT_EQ(origin_of("when: \"a\\tb and\n  second\"\n", "b"), "1:9");
}

// A block's text_loc is its first character, not the `|`.
TEST(YamlDoc, TextLocOfABlockIsItsFirstCharacter) {
  Diagnostics d;
  auto root = parse_yaml("w.yaml", "when: |\n  first\n", d);
  ASSERT_TRUE(root) << d.format();
  EXPECT_EQ(root->find("when")->text_loc().str(), "w.yaml:2:3");
}

// `when: !tracked` is a YAML tag to the parser; a user meant `not tracked`.
TEST(YamlDoc, ATagOnAConditionSaysHowToNegate) {
  Diagnostics d;
  EXPECT_FALSE(parse_yaml("w.yaml", "when: !tracked\n", d));
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].message,
            "YAML tags ('!tracked') are not supported, and a condition starting with `!` reads as one: write "
            "`when: not tracked`");
  Diagnostics other;
  EXPECT_FALSE(parse_yaml("w.yaml", "title: !tracked\n", other));
  ASSERT_EQ(other.items().size(), 1u);
  EXPECT_EQ(other.items()[0].message, "YAML tags ('!tracked') are not supported; remove the tag");
}

}  // namespace
}  // namespace vg::config
