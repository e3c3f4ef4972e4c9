// Fuzz targets: each takes arbitrary bytes as the text of one input and must neither crash, hang
// nor leak; problems go to diagnostics. Driven by libFuzzer (tests/fuzz/libfuzzer_main.cpp, built
// with -DVILLAGEGRID_FUZZ=ON by tools/sanitize.sh) and replayed on every saved input by
// tests/fuzz/regressions_test.cpp in the ordinary suite.
#pragma once

#include <string_view>

namespace vg::fuzz {

// The YAML loader and the scenario reader (a scenario file's text).
void scenario(std::string_view text);
// The condition language: parse, type-check and compile against the shipped facts, then evaluate.
void expression(std::string_view text);
// The policy loader and compiler: the text as one policy file after the shipped vocabulary.
void policy(std::string_view text);

}  // namespace vg::fuzz
