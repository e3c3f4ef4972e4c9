// summary.json against its JSON Schema (schemas/summary.schema.json): real runs of the shipped
// scenarios (one with an epidemic, one with a grid) validate, and what breaks the schema is caught.
// The validator covers the keywords the schema uses: type, enum, minimum, required, properties,
// additionalProperties (false), items and $ref to #/$defs.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/cli_run.h"
#include "support/temp_files.h"

namespace {

using nlohmann::json;
using vg::testing::read_file;
using vg::testing::run_cli;
using vg::testing::TempDir;

class Validator {
 public:
  explicit Validator(json schema) : root_(std::move(schema)) {}
  // Every way `doc` breaks the schema, each as "PATH: what".
  std::vector<std::string> errors(const json& doc) {
    errors_.clear();
    check(root_, doc, "$");
    return errors_;
  }

 private:
  static bool has_type(const json& v, const std::string& t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    return false;
  }

  void check(const json& s, const json& v, const std::string& at) {
    static const std::set<std::string> known = {
        "$schema", "$id",      "title",      "description",          "$defs", "type", "enum",
        "minimum", "required", "properties", "additionalProperties", "items", "$ref"};
    for (const auto& [k, _] : s.items())
      if (!known.contains(k)) errors_.push_back(at + ": the schema uses '" + k + "', which this validator lacks");
    if (s.contains("$ref")) {
      const std::string ref = s["$ref"];
      ASSERT_TRUE(ref.starts_with("#/$defs/")) << ref;
      check(root_["$defs"][ref.substr(8)], v, at);
    }
    if (s.contains("type")) {
      const auto types = s["type"].is_array() ? s["type"] : json::array({s["type"]});
      bool ok = false;
      for (const auto& t : types) ok = ok || has_type(v, t.get<std::string>());
      if (!ok) return errors_.push_back(at + ": expected type " + s["type"].dump() + ", got " + v.dump());
    }
    if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), v) == s["enum"].end())
      errors_.push_back(at + ": " + v.dump() + " is not one of " + s["enum"].dump());
    if (s.contains("minimum") && v.is_number() && v.get<double>() < s["minimum"].get<double>())
      errors_.push_back(at + ": below the minimum " + s["minimum"].dump());
    if (v.is_object()) {
      for (const auto& r : s.value("required", json::array()))
        if (!v.contains(r.get<std::string>())) errors_.push_back(at + ": missing " + r.dump());
      const json props = s.value("properties", json::object());
      for (const auto& [k, x] : v.items()) {
        if (props.contains(k))
          check(props[k], x, at + "." + k);
        else if (s.contains("additionalProperties") && !s["additionalProperties"].get<bool>())
          errors_.push_back(at + ": unexpected key '" + k + "'");
      }
    }
    if (v.is_array() && s.contains("items"))
      for (size_t i = 0; i < v.size(); ++i) check(s["items"], v[i], at + "[" + std::to_string(i) + "]");
  }

  json root_;
  std::vector<std::string> errors_;
};

Validator schema() {
  return Validator(json::parse(read_file(std::string(VILLAGEGRID_SOURCE_DIR) + "/schemas/summary.schema.json")));
}

json run_summary(const TempDir& dir, const std::string& scenario) {
  const auto out = dir.path() / "out";
  const auto r = run_cli("run " + std::string(VILLAGEGRID_SOURCE_DIR) + "/scenarios/" + scenario +
                         " --replicates 3 --quiet --out " + out.string());
  EXPECT_EQ(r.status, 0) << r.output;
  return json::parse(read_file(out / "summary.json"));
}

std::string joined(const std::vector<std::string>& errors) {
  std::string s;
  for (const auto& e : errors) s += e + "\n";
  return s;
}

TEST(SummarySchema, ShippedScenariosValidate) {
  for (const char* scenario : {"pushan-2020.yaml", "pushan-2020-guidelines.yaml", "maoming-villages.yaml"}) {
    TempDir dir;
    const json s = run_summary(dir, scenario);
    const auto errors = schema().errors(s);
    EXPECT_TRUE(errors.empty()) << scenario << ":\n" << joined(errors);
  }
}

// Flat enough for pandas: every metric record has the same keys, and the region's records come
// first, one per metric; towns and villages repeat them with their names.
TEST(SummarySchema, MetricsAreRecordsPerScope) {
  TempDir dir;
  const json s = run_summary(dir, "maoming-villages.yaml");
  size_t region = 0, town = 0, village = 0;
  for (const auto& m : s["metrics"]) {
    const std::string scope = m["scope"];
    if (scope == "region") {
      EXPECT_EQ(town + village, 0u) << "region records come first";
      EXPECT_TRUE(m["town"].is_null() && m["village"].is_null());
      ++region;
    } else if (scope == "town") {
      EXPECT_TRUE(m["town"].is_string() && m["village"].is_null());
      ++town;
    } else {
      EXPECT_TRUE(m["town"].is_string() && m["village"].is_string());
      ++village;
    }
  }
  EXPECT_GT(region, 10u);
  EXPECT_EQ(town, region * s["towns"].size());
  EXPECT_EQ(village, region * s["villages"].size());
}

TEST(SummarySchema, ValidatorCatchesWhatBreaksIt) {
  TempDir dir;
  const json good = run_summary(dir, "pushan-2020.yaml");
  json missing = good;
  missing.erase("metrics");
  EXPECT_EQ(joined(schema().errors(missing)), "$: missing \"metrics\"\n");
  json nested = good;
  nested["metrics"][0]["extra"] = 1;
  nested["metrics"][1]["scope"] = "country";
  nested["roles"][0]["n"] = "20";
  EXPECT_EQ(joined(schema().errors(nested)),
            "$.metrics[0]: unexpected key 'extra'\n$.metrics[1].scope: \"country\" is not one of "
            "[\"region\",\"town\",\"village\"]\n$.roles[0].n: expected type \"integer\", got \"20\"\n");
}

}  // namespace
