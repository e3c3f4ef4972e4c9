// MapReader's typed getters: each names its key once, converts the value, and reports a bad or
// missing value at the right place under the right name; keys read through them count as known.
#include <gtest/gtest.h>

#include "config/reader.h"

namespace vg::config {
namespace {

YamlNode parse(const std::string& text, Diagnostics& d) {
  auto n = parse_yaml("t.yaml", text, d);
  EXPECT_TRUE(n) << d.format();
  return n ? *n : YamlNode{};
}

TEST(MapReaderGetters, ReadPresentValuesAndLeaveAbsentOnesEmpty) {
  Diagnostics d;
  YamlNode n = parse("a: 2.5\nb: 7\nc: true\nd: text\ne: name-1\nf: 2020-02-29\ng: '08:30'\nh: late\n", d);
  MapReader m(n, d, "thing");
  static constexpr std::string_view kChoices[] = {"early", "late"};
  EXPECT_EQ(m.number("a", 0, 10), 2.5);
  EXPECT_EQ(m.integer("b", 0, 10), 7);
  EXPECT_EQ(m.boolean("c"), true);
  EXPECT_EQ(m.string("d"), "text");
  EXPECT_EQ(m.identifier("e"), "name-1");
  EXPECT_EQ(m.date("f")->str(), "2020-02-29");
  EXPECT_EQ(m.clock("g"), 8 * 60 + 30);
  EXPECT_EQ(m.choice("h", kChoices), 1u);
  EXPECT_FALSE(m.number("absent", 0, 1));
  m.finish();
  EXPECT_EQ(d.error_count(), 0u) << d.format();
}

TEST(MapReaderGetters, BadValueIsReportedAtTheValueUnderTheKeyOrTheGivenName) {
  Diagnostics d;
  YamlNode n = parse("median: 5\nspread: x\n", d);
  MapReader m(n, d, "residents");
  EXPECT_FALSE(m.number("median", 10, 100, "median residents"));
  EXPECT_FALSE(m.number("spread", 0, 3));
  m.finish();
  EXPECT_NE(d.format().find("t.yaml:1:9: error: median residents must be between 10 and 100, found 5"),
            std::string::npos)
      << d.format();
  EXPECT_NE(d.format().find("t.yaml:2:9: error: expected a number for spread, found 'x'"), std::string::npos)
      << d.format();
}

// "Remove the quotes" only where that leaves a number: "24h" without them is no number either; a
// bound is written whole (1000000, not 1e+06) and the value as written.
TEST(MapReaderGetters, QuotedTextIsToldToLoseItsQuotesOnlyWhenItIsANumber) {
  Diagnostics d;
  YamlNode n = parse("a: \"24\"\nb: \"24h\"\nc: \"7\"\nd: \"7x\"\ne: 2e6\n", d);
  MapReader m(n, d, "thing");
  EXPECT_FALSE(m.number("a", 0, 100));
  EXPECT_FALSE(m.number("b", 0, 100));
  EXPECT_FALSE(m.integer("c", 0, 100));
  EXPECT_FALSE(m.integer("d", 0, 100));
  EXPECT_FALSE(m.number("e", 10, 1e6));
  m.finish();
  const std::string text = d.format();
  EXPECT_NE(text.find("expected a number for a, found quoted text '24' (remove the quotes)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("expected a number for b, found quoted text '24h'\n"), std::string::npos) << text;
  EXPECT_NE(text.find("expected a whole number for c, found quoted text '7' (remove the quotes)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("expected a whole number for d, found quoted text '7x'\n"), std::string::npos) << text;
  EXPECT_NE(text.find("e must be between 10 and 1000000, found 2e6"), std::string::npos) << text;
}

TEST(MapReaderGetters, RequiredKeyMissingIsReportedOptionalIsNot) {
  Diagnostics d;
  YamlNode n = parse("other: 1\n", d);
  MapReader m(n, d, "'scenario'");
  EXPECT_FALSE(m.integer(required("seed"), 0, 10));
  EXPECT_FALSE(m.integer("replicates", 1, 10));
  EXPECT_EQ(m.integer("other", 1, 10), 1);
  m.finish();
  EXPECT_EQ(d.error_count(), 1u) << d.format();
  EXPECT_NE(d.format().find("missing required key 'seed' in 'scenario'"), std::string::npos) << d.format();
}

TEST(MapReaderGetters, KeysAskedForAreListedInOrderForAnUnknownKey) {
  Diagnostics d;
  YamlNode n = parse("zzz: 1\n", d);
  MapReader m(n, d, "thing");
  m.number("alpha", 0, 1);
  m.boolean(required("beta"));
  m.finish();
  EXPECT_NE(d.format().find("unknown key 'zzz' in thing; expected one of: alpha, beta"), std::string::npos)
      << d.format();
}

}  // namespace
}  // namespace vg::config
