// IPv4 addresses, netmasks and prefixes, with strict parsing.
//
// `Ipv4Address` is a 32-bit value in host byte order; `Ipv4Prefix` is always
// canonical (no bits set past its length), so two equal prefixes compare
// equal. Parsing never accepts what Linux tools would read differently:
// octets are decimal with no leading zeros, masks must be contiguous, and
// lengths are 0..32. All types are trivially copyable and thread-compatible.
//
// Example:
//   auto p = Ipv4Prefix::Parse("10.10.64.0/21");   // StatusOr<Ipv4Prefix>
//   p->Contains(Ipv4Address::FromOctets(10, 10, 71, 255));  // true
#ifndef NEXTHOP_NET_IPV4_H_
#define NEXTHOP_NET_IPV4_H_

#include <compare>
#include <cstdint>
#include <string>
#include <type_traits>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nexthop {

class Ipv4Address {
 public:
  constexpr Ipv4Address() = default;
  constexpr explicit Ipv4Address(uint32_t value) : value_(value) {}
  static constexpr Ipv4Address FromOctets(uint8_t a, uint8_t b, uint8_t c,
                                          uint8_t d) {
    return Ipv4Address((uint32_t{a} << 24) | (uint32_t{b} << 16) |
                       (uint32_t{c} << 8) | d);
  }
  // Dotted quad, four decimal octets 0..255 without leading zeros.
  static absl::StatusOr<Ipv4Address> Parse(absl::string_view text);

  constexpr uint32_t value() const { return value_; }
  // 224.0.0.0/4 (RFC 5771).
  constexpr bool IsMulticast() const { return (value_ >> 28) == 0xE; }
  // 255.255.255.255, the limited broadcast (RFC 919).
  constexpr bool IsLimitedBroadcast() const { return value_ == ~uint32_t{0}; }
  // 127.0.0.0/8.
  constexpr bool IsLoopback() const { return (value_ >> 24) == 127; }
  std::string ToString() const;
  // The 32 bits as four dotted groups of eight, as in the articles' examples.
  std::string ToBinaryString() const;

  friend constexpr auto operator<=>(Ipv4Address, Ipv4Address) = default;
  template <typename H>
  friend H AbslHashValue(H h, Ipv4Address a) {
    return H::combine(std::move(h), a.value_);
  }

 private:
  uint32_t value_ = 0;
};

// The netmask with `length` leading one bits; length must be 0..32.
constexpr uint32_t MaskBits(int length) {
  return length == 0 ? 0u : ~uint32_t{0} << (32 - length);
}

// The prefix length of a contiguous netmask such as 255.255.248.0.
absl::StatusOr<int> MaskLength(Ipv4Address mask);

// Four bytes, no padding: an array of addresses is as dense as the uint32_t
// array DPDK takes, and vector loads (which may alias anything) can read
// eight at once. Scalar kernels still read them through value().
static_assert(sizeof(Ipv4Address) == sizeof(uint32_t) &&
              std::is_standard_layout_v<Ipv4Address>);

class Ipv4Prefix {
 public:
  constexpr Ipv4Prefix() = default;  // 0.0.0.0/0
  // Clears any bits past `length`; `length` must be 0..32.
  static constexpr Ipv4Prefix Canonical(Ipv4Address address, int length) {
    return Ipv4Prefix(Ipv4Address(address.value() & MaskBits(length)), length);
  }
  // Fails if `length` is out of range or `network` has host bits set.
  static absl::StatusOr<Ipv4Prefix> Create(Ipv4Address network, int length);
  // "a.b.c.d/len", "a.b.c.d" (a /32) or "default" (0.0.0.0/0). Host bits
  // set past the length are an error: use ParseLenient to normalise them.
  static absl::StatusOr<Ipv4Prefix> Parse(absl::string_view text);

  constexpr Ipv4Address network() const { return network_; }
  constexpr int length() const { return length_; }
  constexpr Ipv4Address mask() const { return Ipv4Address(MaskBits(length_)); }
  constexpr bool Contains(Ipv4Address a) const {
    return (a.value() & MaskBits(length_)) == network_.value();
  }
  // The number of addresses covered: 2^(32 - length).
  constexpr uint64_t size() const { return uint64_t{1} << (32 - length_); }
  std::string ToString() const;  // always "a.b.c.d/len"

  friend constexpr auto operator<=>(const Ipv4Prefix&,
                                    const Ipv4Prefix&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Ipv4Prefix& p) {
    return H::combine(std::move(h), p.network_, p.length_);
  }

 private:
  constexpr Ipv4Prefix(Ipv4Address network, int length)
      : network_(network), length_(static_cast<uint8_t>(length)) {}
  Ipv4Address network_;
  uint8_t length_ = 0;
};

// The IPv4 address family, for code that is generic over families (the LPM
// concept in lpm/lpm.h; IPv6 gets the same shape).
struct Ipv4 {
  using Address = Ipv4Address;
  using Prefix = Ipv4Prefix;
  static constexpr int kBits = 32;
};

// How a destination with bits outside its mask (192.168.1.0 + 255.255.0.0)
// is treated: lenient loads normalise it and warn, strict loads refuse it.
enum class HostBitsPolicy { kNormalise, kRefuse };

struct ParsedPrefix {
  Ipv4Prefix prefix;
  bool normalised = false;  // host bits were cleared
};

// Builds a prefix from a destination and a netmask or length, as route
// tables write them. `destination` may be "default".
absl::StatusOr<ParsedPrefix> ParseDestinationAndMask(
    absl::string_view destination, absl::string_view mask,
    HostBitsPolicy policy);
absl::StatusOr<ParsedPrefix> ParsePrefix(absl::string_view text,
                                         HostBitsPolicy policy);

// True when the token looks like a dotted-quad attempt (digits and dots
// only), so that "192.168.1.300" is an error rather than a symbolic name.
bool LooksNumeric(absl::string_view token);

}  // namespace nexthop

#endif  // NEXTHOP_NET_IPV4_H_
