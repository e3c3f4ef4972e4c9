// compile_policy: the compiler's steps in order (compiler.h says what each one does).
#include "rules/compile/compiler.h"
#include "rules/lint/analyse.h"

namespace vg::rules {

// A spec the loader could not read whole (its errors in `d` already) is checked for what was read,
// each rule, task and action for all its own errors at once, leaving out what depends on what is
// missing; no program comes of it. Without the vocabulary nothing is checked: every name is in doubt.
std::shared_ptr<const Program> compile_policy(PolicySpec spec, Diagnostics& d, const config::GridSpec* grid) {
  if (!spec.vocabulary_read) return nullptr;
  const bool read_whole = spec.read_errors == 0;
  const size_t errors_before = d.error_count();
  auto prog = std::shared_ptr<Program>(new Program());
  compile::Compiler c(spec, d, *prog);
  c.names();
  c.schema();
  c.templates();
  c.subjects();
  c.tasks();
  c.posts();
  if (grid) c.grid(*grid);
  c.rules();
  c.index();
  if (read_whole) {  // about the policy as a whole: with parts unread they would be guesses
    c.lints();
    c.cycles();
  }
  // Conditions as the facts they admit: contradictions, tautologies, gaps, overlaps (rules/lint).
  if (read_whole && d.error_count() == errors_before) analyse_rules(*prog, d);
  for (auto& k : prog->task_kinds_) k.guideline = k.rule >= 0 ? spec.rules[size_t(k.rule)].guideline : 0;
  prog->spec_ = std::move(spec);
  if (!read_whole || d.error_count() > errors_before) return nullptr;
  return prog;
}

}  // namespace vg::rules
