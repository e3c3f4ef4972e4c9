// Evaluation speed of compiled rule conditions. Each iteration evaluates one condition over a
// batch of entities with varied facts (so branches are not perfectly predicted); items/s is
// evaluations per second on one thread.
#include <benchmark/benchmark.h>

#include <array>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "rules/expr.h"

namespace {

using vg::rules::CompiledExpr;
using vg::rules::Schema;
using vg::rules::Type;

enum Slot : int { kOrigin, kToday, kArrival, kHousehold, kMember, kRegion, kScore, kDistrict, kSlots };

const Schema& schema() {
  static const Schema s = [] {
    Schema x;
    int origin = x.add_category_set("origin", {"local", "key_area", "other_province", "within_province"});
    int region = x.add_category_set("region", {"north", "south", "east"});
    std::vector<std::string> districts;
    for (int i = 0; i < 40; ++i) districts.push_back("d" + std::to_string(i));
    int district = x.add_category_set("district", districts);
    x.add_field("origin", Type::Category, origin);
    x.add_field("today", Type::Number);
    x.add_field("arrival_day", Type::Number);
    x.add_field("household_size", Type::Number);
    x.add_field("is_member", Type::Bool);
    x.add_field("region", Type::Category, region);
    x.add_field("score", Type::Number);
    x.add_field("district", Type::Category, district);
    return x;
  }();
  return s;
}

CompiledExpr compile(const std::string& text) {
  vg::Diagnostics diags;
  auto e = vg::rules::compile_expr(text, vg::SourceLoc{}, schema(), diags);
  if (!e) throw std::runtime_error(diags.format());
  return *e;
}

using Row = std::array<double, kSlots>;

const std::vector<Row>& rows() {
  static const std::vector<Row> r = [] {
    std::mt19937_64 rng(7);
    std::vector<Row> out(4096);
    for (Row& row : out) {
      row[kOrigin] = static_cast<double>(rng() % 4);
      row[kToday] = 200;
      row[kArrival] = static_cast<double>(170 + rng() % 31);
      row[kHousehold] = static_cast<double>(1 + rng() % 7);
      row[kMember] = static_cast<double>(rng() % 2);
      row[kRegion] = static_cast<double>(rng() % 3);
      row[kScore] = static_cast<double>(rng() % 100) / 10.0;
      row[kDistrict] = static_cast<double>(rng() % 40);
    }
    return out;
  }();
  return r;
}

const char* const kTypical = "origin == \"key_area\" and days_since(arrival_day) <= 14 and household_size > 2";
const char* const kLarge =
    "(origin in [\"key_area\", \"other_province\"] and days_since(arrival_day) <= 14"
    " or region == \"north\" and household_size >= 5)"
    " and not is_member and max(score, household_size / 2) > 1.5"
    " and abs(today - arrival_day - 7) < 30 and district not in [\"d1\", \"d2\", \"d3\"]";

void run(benchmark::State& state, const CompiledExpr& e) {
  const auto& r = rows();
  for (auto _ : state) {
    int hits = 0;
    for (const Row& row : r) hits += e.eval_bool(row.data());
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(r.size()));
}

void BM_EvalTypical(benchmark::State& state) {
  const CompiledExpr e = compile(kTypical);
  state.SetLabel(std::to_string(e.code().size()) + " instructions");
  run(state, e);
}
BENCHMARK(BM_EvalTypical);

void BM_EvalLarge(benchmark::State& state) {
  const CompiledExpr e = compile(kLarge);
  state.SetLabel(std::to_string(e.code().size()) + " instructions");
  run(state, e);
}
BENCHMARK(BM_EvalLarge);

// The same typical condition written in C++: the floor the interpreter is measured against.
void BM_NativeTypical(benchmark::State& state) {
  const auto& r = rows();
  for (auto _ : state) {
    int hits = 0;
    for (const Row& row : r)
      hits += row[kOrigin] == 1.0 && row[kToday] - row[kArrival] <= 14.0 && row[kHousehold] > 2.0;
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(r.size()));
}
BENCHMARK(BM_NativeTypical);

// Compiling happens once per rule at load time; measured to show it is negligible.
void BM_CompileTypical(benchmark::State& state) {
  schema();
  for (auto _ : state) benchmark::DoNotOptimize(compile(kTypical));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CompileTypical);

void BM_CompileLarge(benchmark::State& state) {
  schema();
  for (auto _ : state) benchmark::DoNotOptimize(compile(kLarge));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CompileLarge);

}  // namespace
