// MacAddress: a 48-bit Ethernet address.
//
// Parsed from and printed as six colon-separated hex pairs, lower case
// ("02:42:ac:11:00:03"), as ifconfig, arp and tcpdump print them. Trivially
// copyable, hashable, ordered.
#ifndef NEXTHOP_ARP_MAC_ADDRESS_H_
#define NEXTHOP_ARP_MAC_ADDRESS_H_

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
  constexpr explicit MacAddress(std::array<uint8_t, 6> bytes) : bytes_(bytes) {}
  static constexpr MacAddress Broadcast() {
    return MacAddress({0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  }
  // The low 48 bits of `v`, most significant byte first.
  static constexpr MacAddress FromUint64(uint64_t v) {
    return MacAddress({static_cast<uint8_t>(v >> 40), static_cast<uint8_t>(v >> 32),
                       static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                       static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)});
  }
  static absl::StatusOr<MacAddress> Parse(absl::string_view text);

  constexpr const std::array<uint8_t, 6>& bytes() const { return bytes_; }
  constexpr uint64_t ToUint64() const {
    uint64_t v = 0;
    for (uint8_t b : bytes_) v = (v << 8) | b;
    return v;
  }
  constexpr bool IsBroadcast() const { return *this == Broadcast(); }
  // Group bit: broadcast and multicast frames are flooded by switches.
  constexpr bool IsMulticast() const { return (bytes_[0] & 1) != 0; }
  constexpr bool IsZero() const { return ToUint64() == 0; }
  std::string ToString() const;

  friend constexpr auto operator<=>(const MacAddress&, const MacAddress&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const MacAddress& m) {
    return H::combine(std::move(h), m.ToUint64());
  }

 private:
  std::array<uint8_t, 6> bytes_{};
};

}  // namespace nexthop

#endif  // NEXTHOP_ARP_MAC_ADDRESS_H_
