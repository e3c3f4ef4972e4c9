// The results store: an SQLite database in which `compare`, `plan` and `run --store` record each
// finished (configuration, replicate) in one transaction, so that `--resume` continues a killed
// sweep with only the missing replicates simulated, and which analysts can query (tables in
// docs/outputs.md). While a run goes on, the store lies beside its output folder, in
// `.NAME.partial/results.sqlite`, under the folder's lock; when the run ends, it joins the run's
// output set as `results.sqlite` (core/atomic_file.h), so a reader of the folder never sees one
// run's store beside another run's files.
//
// Values are written one row each, from the tables of metrics/metric_table.h (a new count needs
// no change here), as SQLite INTEGER (int32, int64, flags) or REAL (doubles, bit for bit; a NaN
// is NULL), so what is read back is exactly what was recorded.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "metrics/results.h"

namespace vg::store {

// One thing a run's results depend on, by name: a file's content digest, a seed, an option.
struct Input {
  std::string name, value;
};
using vg::file_digest;  // core/atomic_file.h: a file's content, for noticing a change
// A digest of several inputs together (the runs table's inputs_hash).
std::string inputs_digest(const std::vector<Input>& inputs);

// What names a configuration's rows and gives its results their shape: villages (in the order of
// a replicate's `villages`), their towns, towns, roles, supplies and days (days: 0 when the
// configuration's daily rows are not kept).
struct Shape {
  std::vector<std::string> villages, village_towns, towns, roles, supplies, tasks;
  int days = 0;
  // false: no counts by guideline or task kind (plan's runs keep none): no rows, rather than zeros
  // that would read as no task made.
  bool by_task = true;
  std::vector<size_t> village_town{};  // each village's town, an index into `towns` (empty: all one)
};

class ResultsStore {
 public:
  // Opens the store of a run into the folder `lock` holds. With `resume`, an unfinished run's
  // store left there continues when its inputs are these ones, and is refused (InputError, naming
  // what differs) when not; without, it is discarded. `note` receives what happened, for the user
  // ("" when nothing worth saying).
  ResultsStore(const OutputLock& lock, const std::string& command, const std::vector<Input>& inputs, bool resume,
               std::string& note);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  // Registers configuration `index` (0, 1, ... in the order the command runs them) and returns the
  // replicates of it finished earlier, read back.
  std::map<int, metrics::ReplicateResult> configuration(int index, const std::string& name,
                                                        const std::string& description, const Shape& shape);
  // Records a finished replicate of a registered configuration, in one transaction. Safe to call
  // from several threads. `towns`: the towns simulated (true at their index), whose villages' and
  // roles' rows are written; empty: every town. Read back, the others' counts are their defaults.
  void save(int configuration, int replicate, const metrics::ReplicateResult& result,
            const std::vector<bool>& towns = {});
  // Replicates recorded, of every configuration (those read back included).
  int64_t replicates() const;
  // Marks the run finished and closes the database; returns its path, to join the output set.
  std::filesystem::path close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vg::store
