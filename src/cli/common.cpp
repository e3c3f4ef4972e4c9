#include "cli/common.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>

#include "sim/ranks.h"

#ifndef VILLAGEGRID_SOURCE_DIR
#define VILLAGEGRID_SOURCE_DIR "."
#endif

namespace vg::cli {

std::string default_scenario() {
  const char* home = std::getenv("VILLAGEGRID_HOME");
  std::filesystem::path root = home ? std::filesystem::path(home) : std::filesystem::path(VILLAGEGRID_SOURCE_DIR);
  return (root / "scenarios" / "pushan-2020.yaml").string();
}

std::string no_such_path(const std::filesystem::path& p, bool folder) {
  const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : ".";
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
  const std::string m = closest_match(p.filename().string(), names);
  std::string said = p.string() + (folder ? ": error: no such folder" : ": error: no such file");
  if (!std::filesystem::exists(dir, ec)) said += " (no folder " + dir.string() + ")";
  if (!m.empty()) said += "; did you mean '" + (dir / m).lexically_normal().string() + "'?";
  return said;
}

void print_diagnostics(const Diagnostics& d) {
  if (!d.empty()) std::cerr << d.format();
}

sim::Overrides CommonRunOptions::overrides() const {
  sim::Overrides ov;
  if (seed >= 0) ov.seed = uint64_t(seed);
  if (replicates > 0) ov.replicates = replicates;
  return ov;
}

std::unique_ptr<tbb::global_control> CommonRunOptions::limit_threads() const {
  if (threads <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, size_t(threads));
}

void add_model_inputs(std::vector<store::Input>& inputs, const sim::Model& model, const std::string& prefix) {
  namespace fs = std::filesystem;
  auto file = [&](const std::string& role, const std::string& path) {
    const std::string where = fs::weakly_canonical(fs::absolute(path)).string();
    inputs.push_back({prefix + role + " " + where, store::file_digest(path)});
  };
  file("scenario", model.scenario.path);
  for (const auto& r : model.scenario.rule_files) file("rule file", r);
  if (!model.scenario.grid_file.empty()) file("grid", model.scenario.grid_file);
  // Villages' own policies (policy.overrides): their rule and grid files too, each once.
  std::set<std::string> seen(model.scenario.rule_files.begin(), model.scenario.rule_files.end());
  seen.insert(model.scenario.grid_file);
  for (const auto& o : model.scenario.policy_overrides) {
    for (const auto& r : o.rule_files)
      if (seen.insert(r).second) file("rule file", r);
    if (!o.grid_file.empty() && seen.insert(o.grid_file).second) file("grid", o.grid_file);
  }
  inputs.push_back({prefix + "seed", std::to_string(model.seed)});
  inputs.push_back({prefix + "replicates", std::to_string(model.replicates)});
}

void refuse_wrong_out(const std::filesystem::path& out) {
  try {
    check_output_folder(out);
  } catch (const std::runtime_error& e) {
    Diagnostics d;
    d.error({}, e.what());
    throw InputError(d);
  }
}

StoredSweep::StoredSweep(const std::filesystem::path& out, const std::string& command, std::vector<store::Input> inputs,
                         bool resume)
    : out_(out) {
  if (!sim::is_root()) return;  // other MPI ranks neither lock nor store: rank 0 writes (sim/ranks.h)
  refuse_wrong_out(out);        // a wrong --out refused before the work, and before a store is made
  lock_ = std::make_unique<OutputLock>(out);
  inputs.push_back({"version", VILLAGEGRID_VERSION});
  std::string note;
  store_ = std::make_unique<store::ResultsStore>(*lock_, command, inputs, resume, note);
  notice_ = std::make_unique<InterruptNotice>(*lock_, true);
  if (!note.empty()) std::cerr << "villagegrid: " << note << "\n";
}

OutputExtras StoredSweep::finish() {
  finished_ = true;
  notice_.reset();  // the outputs are being written: from here a kill is not "nothing was written"
  if (!store_) return {};
  return {lock_.get(), {{"results.sqlite", store_->close()}}};
}

StoredSweep::~StoredSweep() {
  if (finished_ || !store_ || store_->replicates() > 0) return;
  store_.reset();  // closes the database
  std::error_code ec;
  std::filesystem::remove_all(partial_folder(out_), ec);
}

void StoredSweep::done() {
  if (!store_) return;
  std::error_code ec;
  std::filesystem::remove_all(partial_folder(out_), ec);
}

void CommonRunOptions::add_to(CLI::App* cmd, const std::string& default_out, int min_replicates) {
  cmd->add_option("--out", out, "Output folder (default: " + default_out + ")");
  cmd->add_option("--replicates", replicates, "Replicates (overrides the scenario)")
      ->check(whole_in_range(min_replicates, 1000000));
  cmd->add_option("--seed", seed, "Random seed (overrides the scenario)")->check(kNonNegative);
  cmd->add_option("--threads", threads, "Worker threads (default: all cores)")->check(whole_in_range(1, 4096));
  cmd->add_flag("--resume", resume,
                "Continue an unfinished (killed) run into the same --out with the same inputs: the replicates its "
                "results store holds are read back, only the others simulated; refused if the inputs differ");
  cmd->add_flag("--quiet", quiet,
                "Print nothing on success (no progress, no table; --profile still prints what it measures). "
                "Progress goes to stderr only when it is a terminal");
}

}  // namespace vg::cli
