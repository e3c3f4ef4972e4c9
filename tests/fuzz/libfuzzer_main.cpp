// One libFuzzer entry point per target: built three times with VG_FUZZ_TARGET set to scenario,
// expression or policy (tests/CMakeLists.txt, VILLAGEGRID_FUZZ).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vg::fuzz::VG_FUZZ_TARGET(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
