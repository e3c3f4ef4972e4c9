#include "sim/ranks.h"

namespace vg::sim {

namespace {
Ranks one_process;
Ranks* installed = &one_process;
}  // namespace

Ranks& ranks() { return *installed; }

void set_ranks(Ranks* r) { installed = r ? r : &one_process; }

}  // namespace vg::sim
