// Rule unit tests: YAML files that state, for one event about one made-up person or village, which
// rules fire and what they leave behind, run by `villagegrid test FILE...` (like the test runners
// of policy-as-code tools). A test dispatches its event through Program::dispatch with hooks that
// keep a small fake state, and carries out actions and nested events with the engine's code
// (rules/apply.h), so rules are tested exactly as the engine evaluates them, without a population,
// a roster or a scheduler.
//
//   policy: [../vocabulary.yaml, ../returnees.yaml, ../tracking/five-plus-one.yaml]  # relative to this file
//   tests:
//     - name: a key-area returnee is classified key and tracked
//       event: {task_done: screening}   # a rule's `on` syntax; a trigger that takes a value needs
//                                       # it ({monitoring_ended: KIND}): the engine always gives one
//       day: 2                          # today (default 0; for `{day: N}` it is N)
//       person: {origin: key_area, household_size: 4}   # person facts and attributes (person events only);
//                                       # monitoring: none or a kind (the person's monitoring now)
//       village: {residents: 6400, households: 1640}    # village facts (monitored too) and attributes
//       raised: [wartime_declared]      # village events already raised (for after_event)
//       open_posts: [checkpoint-north]  # posts of the village open already
//       expect:                         # every key optional
//         fired: [classify-key-area]    # exactly these rules fire, in firing order, nested firings included
//         not_fired: [classify-other]
//         class: key                    # the person's class afterwards
//         tasks: [screening]            # tasks created, in order (for_each household once, a repeat once)
//         tracking: five_plus_one       # the tracking started (or `none`)
//         tracked: false                # whether the person is under a tracking afterwards
//         attributes: {home_observation: true}   # person or village attributes afterwards
//         raised: [x]                   # events raised by rules, in order (delayed ones included)
//         monitoring: home_observation  # the person's monitoring afterwards (or `none`); or
//                                       # {kind: KIND, days: N} to check the days a rule gave it too
//         posts_opened: [checkpoint-north]  # posts opened by rules, in order (open already: not listed)
//         posts_closed: [checkpoint-north]  # posts closed by rules, in order (closed already: not listed)
//
// Facts omitted start as: a category -> its first value, a number -> 0, a bool -> false, except
// is_returnee, which is true (the engine dispatches only about returnees). `today` is the test's day.
// The state changes as the engine changes it: set_class (only when the class changes) dispatches
// class_changed at once and moves key_persons; create_task adds to open_tasks (households for a
// for_each household task, once per copy for `copies`); start_tracking is a no-op for someone
// tracked already (`tracked: true` or an earlier start); raise marks a village event raised and
// dispatches the event. start_monitoring replaces any current monitoring (adding 1 to the
// village's `monitored` when the person had none); end_monitoring KIND (or `any`) ends a matching
// monitoring, takes 1 from `monitored` and dispatches monitoring_ended at once, as the engine does.
// A person given a monitoring under `person` counts in `monitored`, which is 1 unless the test
// says more. open_post opens a post that is not open (its shifts are the engine's work and are
// not listed in `tasks`); close_post closes an open post (in the engine, from tomorrow).
// Unlike the engine, where end_tracking takes effect and raises tracking_ended at the end of the
// day, a test ends the tracking and dispatches tracking_ended at once, so its rules can be tested
// in one test. A monitoring that runs out (at 23:59 of its last day in the engine) never runs out
// in a test: test its monitoring_ended rules with `event: {monitoring_ended: KIND}`. A delayed
// raise (`after_hours`) is listed in `raised` but neither dispatched nor marked raised in the
// village, since the engine raises it hours later: test its rules with `event: {event: E}`.
//
// Every name is checked against the compiled policy (unknown: an error at its file:line:col with
// a "did you mean"). A failed expectation is one line of the report:
//   FILE:LINE:COL: FAIL: test 'NAME': expected class key, got general
// at the expectation's key (for not_fired and attributes, at the rule or attribute named), and
// the last line is the summary `N passed, M failed` (", K not run" added when bad input kept tests
// from running).
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace vg::rules {

struct RuleTestReport {
  int passed = 0;
  int failed = 0;
  int not_run = 0;     // tests skipped for bad input (their errors are in the Diagnostics)
  std::string output;  // one line per failed expectation, then the summary line; each ends in '\n'

  // The exit status of `villagegrid test`: 2 when there was bad input (a test or policy file with
  // errors), else 1 when an expectation failed, else 0.
  int exit_code(const Diagnostics& diags) const { return diags.has_errors() ? 2 : failed > 0 ? 1 : 0; }
};

// Runs every test of every file. Problems with the input (YAML, policy, unknown names) go to
// `diags`; the tests of a file whose policy has errors, and tests with errors, are not run.
// A policy named by several files is loaded and compiled once.
class RuleCoverage;  // rules/coverage.h

// With `coverage`, every rule considered is recorded there (`villagegrid test --coverage`).
RuleTestReport run_rule_test_files(const std::vector<std::string>& files, Diagnostics& diags,
                                   RuleCoverage* coverage = nullptr);

}  // namespace vg::rules
