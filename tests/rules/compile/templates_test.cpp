// The templates step (src/rules/compile/templates.cpp): tracking templates, whose members' daily
// duties become task kinds.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using testing::compile_text;
using Messages = std::vector<std::string>;

TEST(CompileTemplates, ATemplateDefinedTwiceIsAnError) {
  auto c = compile_text(testing::tracking_policy("team") +
                        "  - id: team\n    days: 7\n    team: [{role: cadre, duty: visit, minutes_per_day: 5}]\n");
  EXPECT_EQ(c.messages(),
            Messages{"p.yaml:10:5: error: duplicate tracking template 'team' (first defined at p.yaml:7:5)"});
  EXPECT_FALSE(c.program);
}

TEST(CompileTemplates, EachMembersDutyIsATaskKindDroppedWhenLate) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [cadre, doctor]}
tracking:
  - id: team
    days: 14
    priority: 90
    team:
      - {role: cadre, duty: visit, minutes_per_day: 10}
      - {role: doctor, duty: temperature, minutes_per_day: 15}
)");
  ASSERT_TRUE(c.program) << c.diags.format();
  const auto& t = c.program->tracking().at(0);
  EXPECT_EQ(t.days, 14);
  ASSERT_EQ(t.members.size(), 2u);
  const TaskKind& duty = c.program->task_kinds().at(size_t(t.members[1].duty_task));
  EXPECT_EQ(duty.name, "team/doctor");
  EXPECT_EQ(duty.minutes, 15);
  EXPECT_EQ(duty.priority, 90);
  EXPECT_EQ(duty.role_mask, 1u << 1);
  EXPECT_TRUE(duty.drop_when_late);
  EXPECT_EQ(duty.tracking, 0);
}

TEST(CompileTemplates, AnUnknownTemplateGetsTheClosestOne) {
  auto c = compile_text(testing::tracking_policy("tema"));
  EXPECT_EQ(c.messages(), (Messages{"p.yaml:5:27: error: unknown tracking template 'tema'; did you mean 'team'?",
                                    "p.yaml:7:5: warning: tracking template 'team' is never started by a rule"}));
}

TEST(CompileTemplates, AnUnknownTemplateLikeNoneListsTheDefinedOnes) {
  auto c = compile_text(testing::tracking_policy("five_plus_one"));
  EXPECT_EQ(c.messages().at(0), "p.yaml:5:27: error: unknown tracking template 'five_plus_one'; defined: team");
}

}  // namespace
}  // namespace vg::rules
