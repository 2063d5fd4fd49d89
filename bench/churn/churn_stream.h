// The churn replay's input: an MRT update stream decoded once, before
// anything is timed, into compact IPv4 events for MultipathRib (so the
// timed replay measures the RIB and the FIB, not MRT decoding, which
// rib/mrt_reader.h measures on its own: 4-7 M events/s).
#ifndef NEXTHOP_BENCH_CHURN_CHURN_STREAM_H_
#define NEXTHOP_BENCH_CHURN_CHURN_STREAM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "net/ipv4.h"

namespace nexthop::bench {

struct ChurnEvent {
  enum class Kind : uint8_t { kAnnounce, kWithdraw, kPeerDown };
  Kind kind = Kind::kAnnounce;
  uint32_t peer = 0;  // >= 1; 0 is the pseudo-peer of the loaded table
  Ipv4Prefix prefix;
  uint32_t as_path_length = 0;  // announce
  Ipv4Address next_hop;         // announce
};

struct ChurnStream {
  std::string path;
  std::vector<ChurnEvent> events;  // IPv4 unicast and peer-down only
  uint64_t mrt_events = 0;         // every event the reader returned
  uint64_t ipv6 = 0;               // IPv6 prefixes: counted and skipped
  uint64_t other_skipped = 0;      // multicast, or no IPv4 next hop
  uint64_t state_changes = 0;      // of which kPeerDown: left Established
  uint32_t peers = 0;              // ids 1..peers, in address order
  double decode_s = 0;
};

// Reads the whole MRT file. Peers are numbered in the order of their
// addresses (IPv4 before IPv6), so "lowest peer id" is "lowest peer
// address". The AS path length counts each ASN of AS_SEQUENCE segments,
// an AS_SET as one, confederation segments as none (RFC 4271 9.1.2.2 a,
// RFC 5065 5.3). A state change to any state but Established (6) drops the
// peer's paths.
absl::StatusOr<ChurnStream> LoadChurnStream(const std::string& path);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_CHURN_STREAM_H_
