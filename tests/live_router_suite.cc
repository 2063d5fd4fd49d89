#include "tests/live_router_suite.h"

#include <stdlib.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace nexthop::testing {

LiveRouterTopology* LiveRouterSuite::net_ = nullptr;
std::string LiveRouterSuite::skip_;
std::string LiveRouterSuite::error_;

void LiveRouterSuite::SetUpNetwork(
    const std::string& cli, int net, const std::vector<std::string>& tools,
    const std::function<std::string()>& prepare,
    const std::vector<std::string>& router_args) {
  net_ = new LiveRouterTopology(cli, net);
  // Routers started without --control put their sockets in the test's own
  // directory, not the host's /run/nexthop.
  setenv(
      "NEXTHOP_CONTROL_DIR",
      absl::StrCat(::testing::TempDir(), "nexthop-control-", getpid()).c_str(),
      1);
  for (const std::string& tool : tools) {
    if (Shell(absl::StrCat("command -v ", tool, " >/dev/null")).first) {
      skip_ = absl::StrCat("no `", tool, "` (scripts/install-deps.sh)");
      return;
    }
  }
  if (skip_ = WhyNoNamespaces(); !skip_.empty()) return;
  bool fatal = false;
  if (std::string why = net_->Build(&fatal); !why.empty()) {
    (fatal ? error_ : skip_) = why;
    return;
  }
  if (prepare) {
    if (error_ = prepare(); !error_.empty()) return;
  }
  error_ = net_->StartRouter(router_args);
}

void LiveRouterSuite::TearDownTestSuite() {
  delete net_;  // stops the router, removes the namespaces
  net_ = nullptr;
  // The stopped router removed its socket; the directory goes too.
  if (const char* dir = getenv("NEXTHOP_CONTROL_DIR"); dir != nullptr) {
    rmdir(dir);
  }
}

void LiveRouterSuite::SetUp() {
  if (!skip_.empty()) GTEST_SKIP() << skip_;
  ASSERT_EQ(error_, "");
}

std::pair<int, std::string> LiveRouterSuite::In(const Netns& ns,
                                                const std::string& command) {
  return Shell(absl::StrCat(ns.Exec(), "timeout 30 ", command, " 2>&1"));
}

}  // namespace nexthop::testing
