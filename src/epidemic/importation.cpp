#include "epidemic/importation.h"

#include <cassert>
#include <cmath>

#include "core/random.h"

namespace vg::epidemic {

Importation draw_importation(uint64_t seed, uint32_t replicate, uint32_t person, double probability,
                             int32_t arrival_day, int window_days) {
  RandomStream s(StreamKey{seed, replicate, person, 0, Purpose::Infection});
  Importation r;
  r.infected = s.bernoulli(probability);
  const double u = s.uniform();
  const int window = window_days > 0 ? window_days : 1;
  r.infection_day = arrival_day - static_cast<int32_t>(std::floor(u * window));
  return r;
}

double detection_draw(uint64_t seed, uint32_t replicate, uint32_t person, int32_t day, uint32_t k) {
  assert(day >= 0 && day <= 65535);
  RandomStream s(StreamKey{seed, replicate, person, static_cast<uint16_t>(day), Purpose::Detection});
  for (uint32_t i = 0; i < k; ++i) (void)s.next_u64();
  return s.uniform();
}

}  // namespace vg::epidemic
