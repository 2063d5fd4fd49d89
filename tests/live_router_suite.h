// LiveRouterSuite: the gtest fixture of the live router's test binaries -
// one LiveRouterTopology per binary, built once for its tests, skipped with
// the reason where it cannot be (no root, a missing tool), and removed
// (router stopped by PID, namespaces deleted) after the last test, also
// when one failed.
#ifndef NEXTHOP_TESTS_LIVE_ROUTER_SUITE_H_
#define NEXTHOP_TESTS_LIVE_ROUTER_SUITE_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/live_router_topology.h"
#include "tests/netns.h"

namespace nexthop::testing {

class LiveRouterSuite : public ::testing::Test {
 protected:
  // For a derived SetUpTestSuite: checks `tools`, builds the network on
  // 10.`net`.0.0/16, runs `prepare` (if given; a non-empty answer is an
  // error) and starts `cli`'s router with `router_args`.
  static void SetUpNetwork(const std::string& cli, int net,
                           const std::vector<std::string>& tools,
                           const std::function<std::string()>& prepare,
                           const std::vector<std::string>& router_args);
  static void TearDownTestSuite();
  void SetUp() override;

  // A command in h1, h2 or r, bounded in time; status and output.
  static std::pair<int, std::string> In(const Netns& ns,
                                        const std::string& command);

  static LiveRouterTopology* net_;
  static std::string skip_, error_;
};

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_LIVE_ROUTER_SUITE_H_
