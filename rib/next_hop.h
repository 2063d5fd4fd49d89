// Next hops and routes: what the control plane knows about a destination.
//
// A `NextHop` is where a packet goes: a gateway (an address, or a symbolic
// name such as the articles' "A"), or on-link delivery (gateway 0.0.0.0, or
// :: for IPv6), plus the output interface. An IPv6 route's gateway is in
// `gateway6`; IPv4 routes keep theirs in `gateway`, so IPv4 code reads the
// 4-byte address it always did. LPM structures never store `NextHop` values:
// they store a small `NextHopId` handed out by `NextHopTable`, so lookups
// touch 4-byte integers only.
//
// Example:
//   NextHopTable table;
//   NextHop hop;
//   hop.gateway = Ipv4Address::FromOctets(10, 0, 0, 1);
//   hop.dev = "eth0";
//   NextHopId id = table.Intern(hop);
//   table.Get(id).dev;  // "eth0"
#ifndef NEXTHOP_RIB_NEXT_HOP_H_
#define NEXTHOP_RIB_NEXT_HOP_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "lpm/next_hop_id.h"
#include "net/ipv4.h"
#include "net/ipv6.h"

namespace nexthop {

struct NextHop {
  std::optional<Ipv4Address> gateway;   // nullopt and no name: on-link
  std::string gateway_name;             // symbolic gateway such as "A"
  std::string dev;                      // output interface, may be empty
  // Last, so that positional initialisers NextHop{gw, name, dev} written
  // before IPv6 still mean what they did.
  std::optional<Ipv6Address> gateway6;  // IPv6 routes only

  bool on_link() const { return !gateway && !gateway6 && gateway_name.empty(); }
  // "192.168.1.1", "2001:db8::1", "A", or `on_link` ("0.0.0.0"; IPv6
  // tables print "::").
  std::string GatewayString(absl::string_view on_link = "0.0.0.0") const;

  friend bool operator==(const NextHop&, const NextHop&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const NextHop& n) {
    // This absl hashes no std::optional: (engaged, value) pairs instead.
    return H::combine(std::move(h), n.gateway.has_value(),
                      n.gateway.value_or(Ipv4Address()), n.gateway6.has_value(),
                      n.gateway6.value_or(Ipv6Address()), n.gateway_name,
                      n.dev);
  }
};

// One route of the control plane, of one address family (Ipv4 or Ipv6):
// `Route` and `Route6`. Several routes may share a prefix; the one with
// the lowest metric is forwarded.
template <typename Family>
struct BasicRoute {
  typename Family::Prefix prefix;
  NextHop next_hop;
  uint32_t metric = 0;

  // The route(8) flags: U (up) always, G with a gateway, and for IPv4 H
  // for a /32 (`route -A inet6` prints no H for a /128: the kernel sets no
  // RTF_HOST on IPv6 routes).
  std::string Flags() const {
    std::string flags = "U";
    if (!next_hop.on_link()) flags += 'G';
    if (Family::kBits == 32 && prefix.length() == 32) flags += 'H';
    return flags;
  }
  // What the gateway column prints for on-link routes of the family.
  static constexpr absl::string_view kOnLink =
      Family::kBits == 32 ? "0.0.0.0" : "::";
  std::string GatewayString() const { return next_hop.GatewayString(kOnLink); }

  friend bool operator==(const BasicRoute&, const BasicRoute&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const BasicRoute& r) {
    return H::combine(std::move(h), r.prefix, r.next_hop, r.metric);
  }
};
using Route = BasicRoute<Ipv4>;
using Route6 = BasicRoute<Ipv6>;

// Interns next hops so that equal ones share an id. Ids are dense, start
// at 0 and are never reused. Not thread-safe.
// NextHopTable: the ids an LPM structure stores, each standing for one
// (next hop, metric) pair: what the route a prefix forwards by looks like,
// so that a lookup can give the whole route record from the id alone.
//
// Entries never move or change once interned (blocks of 256, addressed
// through a block list reserved up front), so a reader that got an id from
// a structure published after the entry was interned may read it while the
// writer interns more. Truncate (the undo of a failed batch) forgets ids;
// with `keep_truncated` (set while readers may hold ids: Fib does it with a
// grace period) it only stops interning to them, and the entries stay
// readable. Writers (Intern, Truncate) need one thread at a time.
class NextHopTable {
 public:
  NextHopTable();
  NextHopTable(NextHopTable&&) noexcept = default;
  NextHopTable& operator=(NextHopTable&&) noexcept = default;

  NextHopId Intern(const NextHop& next_hop, uint32_t metric = 0);
  const NextHop& Get(NextHopId id) const { return At(id).next_hop; }
  uint32_t Metric(NextHopId id) const { return At(id).metric; }
  size_t size() const { return size_; }
  // Forgets every id >= `size`; used to undo a failed load.
  void Truncate(size_t size);
  void set_keep_truncated(bool keep) { keep_truncated_ = keep; }

 private:
  struct Entry {
    NextHop next_hop;
    uint32_t metric = 0;
    friend bool operator==(const Entry&, const Entry&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Entry& e) {
      return H::combine(std::move(h), e.next_hop, e.metric);
    }
  };
  static constexpr size_t kBlock = 256;
  // Ids up to Dir24_8's 2^24: the list's capacity is reserved at once, so
  // it never reallocates under a reader (untouched, it costs address space).
  static constexpr size_t kMaxBlocks = (size_t{1} << 24) / kBlock;
  const Entry& At(NextHopId id) const {
    return blocks_.data()[id / kBlock][id % kBlock];
  }

  std::vector<std::unique_ptr<Entry[]>> blocks_;
  size_t size_ = 0;  // ids handed out (or kept, past a truncation)
  absl::flat_hash_map<Entry, NextHopId> ids_;
  bool keep_truncated_ = false;
};

}  // namespace nexthop

#endif  // NEXTHOP_RIB_NEXT_HOP_H_
