// The natural history: the incubation period follows the configured lognormal, day offsets keep
// its mean, the asymptomatic share is as configured, and the course expectations used for
// calibration agree with sampled courses.
//
// All draws come from fixed keys, so each check is deterministic; tolerances are still set at
// about 5 standard errors of the sampled statistic, so passing means the sampler is right, not
// that the seed is lucky.
#include "epidemic/natural_history.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "epidemic/disease_model.h"
#include "epidemic/importation.h"

namespace vg::epidemic {
namespace {

constexpr uint32_t kDraws = 100000;

std::vector<Course> draw_many(const Parameters& p, uint64_t seed, uint32_t replicate = 0) {
  std::vector<Course> out;
  out.reserve(kDraws);
  for (uint32_t i = 0; i < kDraws; ++i) out.push_back(draw_course(p, seed, replicate, i));
  return out;
}

TEST(NormalQuantile, KnownValues) {
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.05), -1.644853626951472, 1e-12);
  EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-9);
}

// Test 5. Lauer et al. defaults: meanlog 1.621, sdlog 0.418 (mean 5.52 d, median 5.06 d).
// n = 100,000: se(mean log T) = 0.418 / 316 = 0.0013 (tolerance 0.007); se(sd log T) =
// 0.418 / sqrt(2n) = 0.0009 (tolerance 0.005); se(mean T) = 2.43 / 316 = 0.0077 d (tolerance
// 0.04 d); sample quantiles from 5% to 95% have relative se at most 0.3% (tolerance 1.5%).
TEST(NaturalHistory, IncubationPeriodMatchesConfiguredLognormal) {
  const Parameters p;
  const auto courses = draw_many(p, 2020);
  std::vector<double> t;
  double sum_log = 0, sum_log2 = 0, sum = 0;
  for (const Course& c : courses) {
    t.push_back(c.incubation_days);
    const double l = std::log(c.incubation_days);
    sum_log += l;
    sum_log2 += l * l;
    sum += c.incubation_days;
  }
  const double n = kDraws;
  const double mean_log = sum_log / n;
  const double sd_log = std::sqrt(sum_log2 / n - mean_log * mean_log);
  EXPECT_NEAR(mean_log, p.incubation_meanlog, 0.007);
  EXPECT_NEAR(sd_log, p.incubation_sdlog, 0.005);
  const double mean = std::exp(p.incubation_meanlog + p.incubation_sdlog * p.incubation_sdlog / 2);
  EXPECT_NEAR(sum / n, mean, 0.04);
  EXPECT_NEAR(mean, 5.52, 0.01);  // the documented default
  std::sort(t.begin(), t.end());
  for (double q : {0.05, 0.25, 0.5, 0.75, 0.95}) {
    const double expected = std::exp(p.incubation_meanlog + p.incubation_sdlog * normal_quantile(q));
    const double sample = t[size_t(q * n)];
    EXPECT_NEAR(sample / expected, 1.0, 0.015) << "quantile " << q;
  }
  // Lauer et al.: median 5.1 d, 97.5% of onsets within 11.5 d.
  EXPECT_NEAR(std::exp(p.incubation_meanlog), 5.1, 0.05);
  EXPECT_NEAR(std::exp(p.incubation_meanlog + p.incubation_sdlog * normal_quantile(0.975)), 11.5, 0.1);
}

// Onset falls on day floor(u + T) after infection, whose expectation is exactly E[T]; the clamps
// (infectious from day 1, onset no earlier) move it by under 1e-4 d. Same tolerance as above.
TEST(NaturalHistory, WholeDayOnsetsKeepTheMeanIncubationPeriod) {
  const Parameters p;
  const auto courses = draw_many(p, 7);
  double onset = 0, incubation = 0;
  int symptomatic = 0;
  for (const Course& c : courses) {
    if (c.asymptomatic) continue;
    onset += c.onset_offset;
    incubation += c.incubation_days;
    ++symptomatic;
  }
  EXPECT_NEAR(onset / symptomatic, incubation / symptomatic, 0.01);  // same draws: only the floor differs
  EXPECT_NEAR(onset / symptomatic, std::exp(p.incubation_meanlog + p.incubation_sdlog * p.incubation_sdlog / 2), 0.045);
}

// se of a share of 0.2 over 100,000 is 0.0013; tolerance 0.007.
TEST(NaturalHistory, AsymptomaticShareAsConfigured) {
  for (double share : {0.2, 0.4}) {
    Parameters p;
    p.asymptomatic_share = share;
    const auto courses = draw_many(p, 11);
    const auto asym = std::count_if(courses.begin(), courses.end(), [](const Course& c) { return c.asymptomatic; });
    EXPECT_NEAR(double(asym) / kDraws, share, 0.007);
  }
}

TEST(NaturalHistory, OffsetsAreOrdered) {
  Parameters p;
  p.incubation_sdlog = 1.0;  // a wide spread exercises the clamps
  for (const Course& c : draw_many(p, 3)) {
    ASSERT_GE(c.infectious_offset, 1);
    if (c.asymptomatic) {
      ASSERT_EQ(c.onset_offset, -1);
      ASSERT_GT(c.recovery_offset, c.infectious_offset);
    } else {
      ASSERT_GE(c.onset_offset, c.infectious_offset);
      ASSERT_GT(c.recovery_offset, c.onset_offset);
    }
  }
}

// The expectations computed by integration match 100,000 sampled courses. Infectious days vary
// little (sd about 0.5 d), so the sample mean's se is under 0.002 d; tolerance 0.01 d.
TEST(CourseSummary, AgreesWithSampledCourses) {
  for (double pre : {2.0, 2.3, 0.0}) {
    Parameters p;
    p.presymptomatic_days = pre;
    const CourseSummary s(p);
    double days = 0, weighted = 0;
    for (const Course& c : draw_many(p, 5)) {
      const double d = c.recovery_offset - c.infectious_offset;
      days += d;
      if (c.asymptomatic) {
        weighted += p.asymptomatic_infectiousness * d;
      } else {
        weighted += p.presymptomatic_infectiousness * (c.onset_offset - c.infectious_offset) +
                    (c.recovery_offset - c.onset_offset);
      }
    }
    EXPECT_NEAR(days / kDraws, s.mean_infectious_days(), 0.01) << "presymptomatic_days " << pre;
    EXPECT_NEAR(weighted / kDraws, s.mean_weighted_infectious_days(), 0.01) << "presymptomatic_days " << pre;
  }
  // Defaults: 2 days before onset and 7 after, less the clamp for short incubations.
  const CourseSummary s{Parameters{}};
  EXPECT_NEAR(s.mean_infectious_days(), 9.0, 0.1);
  EXPECT_GT(s.presymptomatic_share(), 0.18);
  EXPECT_LT(s.presymptomatic_share(), 0.23);
}

TEST(CourseSummary, HouseholdCalibrationInvertsTheAttackRate) {
  const CourseSummary s{Parameters{}};
  for (double sar : {0.01, 0.112, 0.15, 0.3, 0.6}) {
    const double p = s.household_per_day_for(sar);
    EXPECT_GT(p, 0);
    EXPECT_NEAR(s.household_sar(p), sar, 1e-9);
  }
  EXPECT_EQ(s.household_per_day_for(0), 0);
  EXPECT_NEAR(s.household_sar(0), 0, 1e-12);
}

// Importation: share infected and the infection day uniform over the window ending on arrival.
// se of a share of 0.3 over 100,000 is 0.0015 (tolerance 0.007); the day offset is uniform on
// 0..13 (mean 6.5, sd 4.0), se of its mean over ~30,000 is 0.023 (tolerance 0.12).
TEST(Importation, ProbabilityAndWindow) {
  int infected = 0;
  double offset = 0;
  for (uint32_t i = 0; i < kDraws; ++i) {
    const Importation imp = draw_importation(9, 0, i, 0.3, 20, 14);
    const Importation again = draw_importation(9, 0, i, 0.3, 20, 14);
    ASSERT_EQ(imp.infected, again.infected);
    ASSERT_EQ(imp.infection_day, again.infection_day);
    ASSERT_LE(imp.infection_day, 20);
    ASSERT_GE(imp.infection_day, 20 - 13);
    if (imp.infected) {
      ++infected;
      offset += 20 - imp.infection_day;
    }
  }
  EXPECT_NEAR(double(infected) / kDraws, 0.3, 0.007);
  EXPECT_NEAR(offset / infected, 6.5, 0.12);
  // Monotone in the probability for a fixed person (same uniform).
  for (uint32_t i = 0; i < 1000; ++i)
    if (draw_importation(9, 0, i, 0.1, 0, 14).infected) {
      EXPECT_TRUE(draw_importation(9, 0, i, 0.2, 0, 14).infected);
    }
}

TEST(Importation, DetectionDrawsAreKeyed) {
  double sum = 0;
  for (uint32_t i = 0; i < kDraws; ++i) sum += detection_draw(1, 0, i, 3);
  EXPECT_NEAR(sum / kDraws, 0.5, 0.005);  // se 0.0009
  EXPECT_EQ(detection_draw(1, 0, 5, 3, 2), detection_draw(1, 0, 5, 3, 2));
  EXPECT_NE(detection_draw(1, 0, 5, 3, 0), detection_draw(1, 0, 5, 3, 1));
  EXPECT_NE(detection_draw(1, 0, 5, 3), detection_draw(1, 0, 5, 4));
  EXPECT_NE(detection_draw(1, 0, 5, 3), detection_draw(1, 1, 5, 3));
}

TEST(Parameters, ValidateListsEveryProblem) {
  Parameters p;
  EXPECT_TRUE(validate(p).empty());
  p.asymptomatic_share = 1.5;
  p.household_sar = -0.1;
  p.incubation_sdlog = 0;
  const auto problems = validate(p);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].find("incubation_sdlog"), std::string::npos);
  try {
    DiseaseModel m(p, Rates{});
    FAIL() << "expected InvalidParameters";
  } catch (const InvalidParameters& e) {
    EXPECT_EQ(e.problems().size(), 3u);
  }
  Rates r;
  r.household_per_day = 2;
  EXPECT_THROW(DiseaseModel(Parameters{}, r), InvalidParameters);
}

}  // namespace
}  // namespace vg::epidemic
