// MacAddress: a 48-bit Ethernet address.
//
// Parsed from and printed as six colon-separated hex pairs, lower case
// ("02:42:ac:11:00:03"), as ifconfig, arp and tcpdump print them. Held as
// one 64-bit integer, so copies, compares and optional<MacAddress> returns
// are single register moves (a byte array made the neighbour lookup stall
// on store forwarding). Trivially copyable, hashable, ordered.
//
// Example:
//   absl::StatusOr<MacAddress> m = MacAddress::Parse("02:42:AC:11:00:03");
//   std::string text = m->ToString();          // "02:42:ac:11:00:03"
//   bool group = MacAddress::Broadcast().IsMulticast();  // true
#ifndef NEXTHOP_NET_MAC_ADDRESS_H_
#define NEXTHOP_NET_MAC_ADDRESS_H_

#include <array>
#include <compare>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nexthop {

class MacAddress {
 public:
  constexpr MacAddress() = default;
  constexpr explicit MacAddress(std::array<uint8_t, 6> bytes) {
    for (uint8_t b : bytes) value_ = (value_ << 8) | b;
  }
  static constexpr MacAddress Broadcast() { return FromUint64(kMask); }
  // The low 48 bits of `v`, most significant byte first on the wire.
  static constexpr MacAddress FromUint64(uint64_t v) {
    MacAddress m;
    m.value_ = v & kMask;
    return m;
  }
  static absl::StatusOr<MacAddress> Parse(absl::string_view text);

  // In wire order.
  constexpr std::array<uint8_t, 6> bytes() const {
    std::array<uint8_t, 6> b{};
    for (int i = 0; i < 6; ++i)
      b[i] = static_cast<uint8_t>(value_ >> (40 - 8 * i));
    return b;
  }
  constexpr uint64_t ToUint64() const { return value_; }
  constexpr bool IsBroadcast() const { return value_ == kMask; }
  // Group bit: broadcast and multicast frames are flooded by switches.
  constexpr bool IsMulticast() const { return ((value_ >> 40) & 1) != 0; }
  constexpr bool IsZero() const { return value_ == 0; }
  std::string ToString() const;

  friend constexpr auto operator<=>(const MacAddress&,
                                    const MacAddress&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const MacAddress& m) {
    return H::combine(std::move(h), m.value_);
  }

 private:
  static constexpr uint64_t kMask = (uint64_t{1} << 48) - 1;
  uint64_t value_ = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_NET_MAC_ADDRESS_H_
