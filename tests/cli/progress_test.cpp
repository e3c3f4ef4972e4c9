// The progress printer (src/cli/progress.h): nothing for work shorter than a second; then a first
// line with the work queued and one line rewritten in place with what is done, the rate and the
// time left; ended with a newline.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/progress.h"

namespace {

TEST(Progress, SaysNothingForShortWork) {
  std::ostringstream out;
  double now = 0;
  {
    vg::cli::Progress p(out, "plan", "replicates", [&] { return now; });
    p.queue(10);
    now = 0.5;
    p.done(10);
  }
  EXPECT_EQ(out.str(), "");
}

TEST(Progress, QueuedDoneRateAndTimeLeft) {
  std::ostringstream out;
  double now = 0;
  {
    vg::cli::Progress p(out, "compare", "replicates", [&] { return now; });
    p.queue(100);
    now = 2;
    p.done(20);  // 10 a second: 80 left, 8 s
    now = 4;
    p.finish();
  }
  EXPECT_EQ(out.str(),
            "compare: 100 replicates queued\n"
            "\rcompare: 20 of 100 replicates done (20%), 10.0/s, about 8 s left\x1b[K"
            "\rcompare: 20 of 100 replicates done (20%), 5.0/s in 4 s\x1b[K\n");
}

}  // namespace
