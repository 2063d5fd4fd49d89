// What runs on a simulated node: ping and traceroute sessions.
#ifndef NEXTHOP_SIM_NODE_APPS_H_
#define NEXTHOP_SIM_NODE_APPS_H_

#include "fwd/ipv4_packet.h"
#include "sim/node.h"

namespace nexthop {

// A program waiting for ICMP on a node.
struct Node::Session {
  virtual ~Session() = default;
  virtual void OnIcmp(const Ipv4View& ip, const IcmpMessage& m) = 0;
  // One of our own packets was dropped because its next hop never
  // answered ARP.
  virtual void OnHostUnreachable(const Ipv4View& ip) = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_NODE_APPS_H_
