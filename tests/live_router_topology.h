// The live router's test network: h1 -- r -- h2, three network namespaces
// joined by veth pairs, with `nexthop router` as r.
//
//   h1 eth0 10.77.1.2/24 --- veth-a [r: 10.77.1.1/24 in nexthop only]
//   [r: 10.77.2.1/24 in nexthop only] veth-b (MTU 1280) --- h2 eth0
//                                                          10.77.2.2/24
//
// The hosts' default routes point at r. r's kernel holds no IPv4 address,
// has IPv6 off and ip_forward=0, as the router requires; TX checksum
// offload is off on every veth (forwarded TCP and UDP would otherwise
// carry partial checksums). Everything - namespaces (and with them the
// veths) and the router process, killed by its PID - is removed when the
// topology is destroyed, also after a failed assertion. Private to the
// test: 10.77.0.0/16 and namespace names holding the test's PID.
#ifndef NEXTHOP_TESTS_LIVE_ROUTER_TOPOLOGY_H_
#define NEXTHOP_TESTS_LIVE_ROUTER_TOPOLOGY_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "tests/netns.h"

namespace nexthop::testing {

class LiveRouterTopology {
 public:
  // The binary `nexthop`, whose `router` command runs in r.
  explicit LiveRouterTopology(std::string cli);
  ~LiveRouterTopology();

  // Empty on success, else why the network cannot be built here (a skip
  // reason when namespaces are unavailable, else a failure to report:
  // `*fatal` says which).
  std::string Build(bool* fatal);
  // Starts the router and waits (up to 5 s) until it says it forwards;
  // empty on success, else its output.
  std::string StartRouter();
  // SIGTERM, then its exit status (waits up to 5 s, then SIGKILL: -1).
  int StopRouter();

  pid_t router_pid() const { return router_; }
  const Netns& h1() const { return *h1_; }
  const Netns& r() const { return *r_; }
  const Netns& h2() const { return *h2_; }
  const std::string& config_path() const { return config_; }
  const std::string& log_path() const { return log_; }

 private:
  std::string cli_;
  std::unique_ptr<Netns> h1_, r_, h2_;
  std::string config_, log_;
  pid_t router_ = -1;
};

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_LIVE_ROUTER_TOPOLOGY_H_
