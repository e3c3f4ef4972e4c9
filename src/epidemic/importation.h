// Infections brought in from outside, and the keyed draws the engine's checks use to detect them.
//
// Importation uses words 0-3 of the person's Infection stream (Purpose::Infection, entity =
// person, day 0): a Bernoulli draw (2 words) and a uniform for the infection day (2 words), both
// always drawn. The course of the infection uses the words after them (natural_history.h), so
// whether and when a returnee was infected is independent of how the infection then runs.
#pragma once

#include <cstdint>

namespace vg::epidemic {

struct Importation {
  bool infected = false;
  int32_t infection_day = 0;  // meaningful only when infected
};

// Whether the returnee `person` arriving on `arrival_day` was infected where they came from, with
// probability `probability` (that of their origin), and if so on which day: one of the
// `window_days` days up to and including the arrival day, each equally likely
// (infection_day = arrival_day - floor(u * window_days)).
Importation draw_importation(uint64_t seed, uint32_t replicate, uint32_t person, double probability,
                             int32_t arrival_day, int window_days);

// The k-th detection draw (k = 0, 1, ...) for `person` on `day` (0..65535): a uniform on [0, 1)
// from Purpose::Detection, entity = person, day = day, words 2k and 2k + 1. A check with
// sensitivity s detects the person when the draw is below s. Giving each kind of check its own k
// keeps one check's outcome from shifting when another check is added or removed.
double detection_draw(uint64_t seed, uint32_t replicate, uint32_t person, int32_t day, uint32_t k = 0);

}  // namespace vg::epidemic
