// The names step (src/rules/compile/names.cpp): vocabulary names become indices, and a name no
// vocabulary declares is an error that says what was meant or what there is.
#include <gtest/gtest.h>

#include "support/policy_text.h"

namespace vg::rules {
namespace {

using testing::compile_text;
using Messages = std::vector<std::string>;

TEST(CompileNames, AMisspeltNameGetsTheClosestDeclaredOne) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, key]}
rules:
  - id: classify
    on: returnee_arrived
    do: [{set_class: kye}]
)");
  EXPECT_EQ(c.messages(), (Messages{"p.yaml:5:22: error: unknown class 'kye'; did you mean 'key'?",
                                    "p.yaml:1:36: warning: class 'key' is declared but no rule sets it"}));
  EXPECT_FALSE(c.program);
}

TEST(CompileNames, ANameLikeNoneDeclaredListsTheDeclaredOnes) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened], roles: [cadre, doctor]}
rules:
  - id: screen
    on: returnee_arrived
    do: [{create_task: {name: t, roles: [nurse], minutes: 5, within_hours: 24}}]
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:5:42: error: unknown role 'nurse'; declared: cadre, doctor"});
}

// The usual cause: a rule file checked without the file that holds the vocabulary.
TEST(CompileNames, ANameWithNoVocabularySaysToPassIt) {
  auto c = compile_text(R"(
rules:
  - id: classify
    on: returnee_arrived
    do: [{set_class: key}]
)");
  EXPECT_EQ(c.messages(), (Messages{"p.yaml:2:5: error: no classes are declared; add a vocabulary with 'classes' (the "
                                    "first is the class of a person not yet classified)",
                                    "p.yaml:4:22: error: unknown class 'key'; none are declared: pass the file with "
                                    "the 'vocabulary' too"}));
}

// Role masks are 32 bits wide.
TEST(CompileNames, MoreThan32RolesAreRefusedAtTheLastOne) {
  std::string roles;
  for (int k = 0; k < 33; ++k) roles += std::string(k ? ", " : "") + "r" + std::to_string(k);
  const std::string text = "vocabulary: {classes: [unscreened], roles: [" + roles + "]}\n";
  auto c = compile_text(text);
  EXPECT_EQ(c.messages(),
            Messages{"p.yaml:1:" + std::to_string(text.find("r32") + 1) + ": error: too many role names: at most 32"});
}

TEST(CompileNames, NamesRepeatedAcrossFilesAreOneName) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, key, unscreened], key_classes: [key]}
)");
  ASSERT_TRUE(c.program) << c.diags.format();
  EXPECT_EQ(c.program->classes(), (std::vector<std::string>{"unscreened", "key"}));
  EXPECT_TRUE(c.program->is_key_class(1));
  EXPECT_FALSE(c.program->is_key_class(0));
}

TEST(CompileNames, AnUnknownKeyClassIsAnError) {
  auto c = compile_text(R"(
vocabulary: {classes: [unscreened, key], key_classes: [kee]}
)");
  EXPECT_EQ(c.messages(), Messages{"p.yaml:1:56: error: unknown class 'kee'; did you mean 'key'?"});
}

}  // namespace
}  // namespace vg::rules
