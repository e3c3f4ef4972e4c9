// The subjects step and the tasks and posts step (src/rules/compile/tasks.cpp): one task kind per
// name, one post per name, each post shift a task kind; what each rule is about.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using testing::compile_text;
using Messages = std::vector<std::string>;

// Two rules creating task `check`: of 5 minutes, then of `minutes`. Line 5: the first name, at
// column 31; line 8: the second.
std::string check_twice(int minutes) {
  return R"(vocabulary: {classes: [unscreened], roles: [cadre]}
rules:
  - id: a
    on: returnee_arrived
    do: [{create_task: {name: check, roles: [cadre], minutes: 5, within_hours: 24}}]
  - id: b
    on: fever_found
    do: [{create_task: {name: check, roles: [cadre], minutes: )" +
         std::to_string(minutes) + ", within_hours: 24}}]\n";
}

TEST(CompileTasks, ATaskCreatedTwiceTheSameWayIsOneKind) {
  auto c = compile_text(check_twice(5));
  ASSERT_TRUE(c.program) << c.diags.format();
  ASSERT_EQ(c.program->task_kinds().size(), 1u);
  EXPECT_EQ(std::get<CreateTask>(c.program->rules()[0].actions[0]).task_kind,
            std::get<CreateTask>(c.program->rules()[1].actions[0]).task_kind);
}

// The engine keeps one set of figures per kind: a second, different definition would be lost.
TEST(CompileTasks, ATaskDefinedDifferentlyIsAnError) {
  auto c = compile_text(check_twice(10));
  EXPECT_EQ(c.messages(), Messages{"p.yaml:8:31: error: task 'check' is defined differently at p.yaml:5:31; give "
                                   "this one another name"});
  EXPECT_FALSE(c.program);
}

TEST(CompileTasks, EachShiftOfAPostIsATaskKind) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [cadre]}
rules:
  - id: open
    priority: 40
    on: day_started
    do: [{open_post: {name: gate, roles: [cadre], shifts: ["07:00-09:00", "09:00-11:30"]}}]
)");
  ASSERT_TRUE(c.program) << c.diags.format();
  ASSERT_EQ(c.program->posts().size(), 1u);
  const Post& post = c.program->posts()[0];
  ASSERT_EQ(post.shift_tasks.size(), 2u);
  const TaskKind& second = c.program->task_kinds().at(size_t(post.shift_tasks[1]));
  EXPECT_EQ(second.name, "post:gate/09:00-11:30");
  EXPECT_EQ(second.minutes, 150);
  EXPECT_EQ(second.priority, 40);  // the rule's
  EXPECT_EQ(second.subject, Subject::Village);
  EXPECT_TRUE(second.drop_when_late);
}

TEST(CompileTasks, APostOpenedDifferentlyIsAnError) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [cadre], events: [{name: wartime, about: village}]}
rules:
  - id: open
    on: day_started
    do: [{open_post: {name: gate, roles: [cadre], shifts: ["07:00-09:00"]}}]
  - id: open-more
    on: {event: wartime}
    do: [{open_post: {name: gate, roles: [cadre], staff_per_shift: 2, shifts: ["07:00-09:00"]}}]
  - id: declare
    on: {day: 3}
    do: [{raise: wartime}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:8:29: error: post 'gate' is opened differently at p.yaml:5:29; give this "
                                   "one another name"});
}

// A task_done rule is about what the rule creating its task is about: here a village (day_started).
TEST(CompileTasks, ATaskDoneRuleIsAboutWhatItsTaskIsAbout) {
  EXPECT_EQ(compile_text(testing::task_then_class("day_started", "sweep")).messages(),
            Messages{"p.yaml:8:11: error: set_class is for rules about a person; rule 'after' is about a village"});
  EXPECT_EQ(compile_text(testing::task_then_class("returnee_arrived", "sweep")).messages(), Messages{});
}

}  // namespace
}  // namespace vg::rules
