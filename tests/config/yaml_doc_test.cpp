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

}  // namespace
}  // namespace vg::config
