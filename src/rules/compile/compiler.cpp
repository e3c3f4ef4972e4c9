// compile_policy: the compiler's steps in order (compiler.h says what each one does).
#include "rules/compile/compiler.h"
#include "rules/lint/analyse.h"

namespace vg::rules {

std::shared_ptr<const Program> compile_policy(PolicySpec spec, Diagnostics& d, const config::GridSpec* grid) {
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
  c.lints();
  c.cycles();
  // Conditions as the facts they admit: contradictions, tautologies, gaps, overlaps (rules/lint).
  if (d.error_count() == errors_before) analyse_rules(*prog, d);
  for (auto& k : prog->task_kinds_) k.guideline = k.rule >= 0 ? spec.rules[size_t(k.rule)].guideline : 0;
  prog->spec_ = std::move(spec);
  if (d.error_count() > errors_before) return nullptr;
  return prog;
}

}  // namespace vg::rules
