// The schema step (src/rules/compile/schema.cpp): the slots a condition reads — built-in facts
// (rules/facts.h), the vocabulary's attributes, stocks — in the layout the engine fills.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using testing::compile_text;
using Messages = std::vector<std::string>;

// A condition reading the name could not tell the attribute from the fact, whoever it is about.
TEST(CompileSchema, AnAttributeNamedLikeABuiltInFactIsAnError) {
  auto c = compile_text(R"(
vocabulary:
  classes: [unscreened]
  attributes:
    - {name: origin, about: village, type: bool}
    - {name: household_size, about: person, type: number}
)");
  EXPECT_EQ(c.messages(), (Messages{"p.yaml:5:14: error: attribute 'household_size' has the name of a built-in fact",
                                    "p.yaml:4:14: error: attribute 'origin' has the name of a built-in fact"}));
  EXPECT_FALSE(c.program);
}

// Slots: [person facts][person attributes][village facts][village attributes][stocks].
TEST(CompileSchema, PersonSlotsComeBeforeVillageSlots) {
  auto c = compile_text(R"(
vocabulary:
  classes: [unscreened]
  supplies: [masks]
  attributes:
    - {name: alert, about: village, type: bool}
    - {name: flags, about: person, type: number}
)");
  ASSERT_TRUE(c.program) << c.diags.format();
  const Program& p = *c.program;
  EXPECT_LT(p.attribute_slot(1), p.first_village_slot());  // flags: a person's
  EXPECT_GE(p.attribute_slot(0), p.first_village_slot());  // alert: a village's
  EXPECT_GT(p.stock_slot(0), p.attribute_slot(0));
  EXPECT_EQ(p.schema().fields()[size_t(p.stock_slot(0))].name, "stock_masks");
  EXPECT_EQ(p.slot_count(), p.stock_slot(0) + 1);
}

// A condition reads an attribute, a stock and a category fact by name.
TEST(CompileSchema, ConditionsReadAttributesAndStocks) {
  auto c = compile_text(R"(
vocabulary:
  classes: [unscreened]
  supplies: [masks]
  attributes: [{name: alert, about: village, type: bool}]
rules:
  - id: order
    on: day_started
    when: alert and stock_masks < 10
    do: [{request: {supply: masks, amount: 100, channel: town}}]
)");
  EXPECT_EQ(c.messages(), Messages{});
}

}  // namespace
}  // namespace vg::rules
