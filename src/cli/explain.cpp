// `villagegrid explain`: why a person was (not) tracked, from a run made with --trace.
#include <iostream>
#include <optional>

#include "analysis/explain.h"
#include "cli/common.h"

namespace vg::cli {

namespace {

struct ExplainArgs {
  std::string run;
  uint32_t person = 0;
  int day = -1;  // -1: the whole timeline
  int replicate = 0;
};

}  // namespace

Command add_explain(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  auto* explain = app.add_subcommand("explain", "Why was this person (not) tracked? Reads a run made with --trace");
  explain->add_option("--run", args->run, "Output folder of a run made with --trace")->required();
  explain->add_option("--person", args->person, "Person id (the person column of persons.csv)")->required();
  explain->add_option("--day", args->day, "Only this day of the timeline")->check(kNonNegative);
  explain->add_option("--replicate", args->replicate, "Replicate (default 0)")->check(kNonNegative);
  return {explain, [args] {
            std::cout << io::explain_person(args->run, args->person,
                                            args->day >= 0 ? std::optional<int>(args->day) : std::nullopt,
                                            args->replicate);
            return kExitOk;
          }};
}

}  // namespace vg::cli
