// A test binary whose fixture fails on purpose: googletest then reports its test as skipped and
// exits 1. Not registered with ctest itself; tests/support/gate_test.sh runs it through
// tools/check-tests.sh to prove that such a failure fails the suite instead of hiding.
#include <gtest/gtest.h>

class FailingFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { FAIL() << "the probe's fixture fails on purpose"; }
};

TEST_F(FailingFixture, IsNeverReached) { SUCCEED(); }
