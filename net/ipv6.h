// IPv6 addresses and prefixes: parsing and printing only, for now.
//
// Parsing accepts every RFC 4291 text form (full, `::`-compressed, with an
// embedded IPv4 address) through inet_pton, so nothing is read differently
// from the C library; a prefix is ADDRESS/LEN with LEN 0-128 in decimal
// without leading zeros. Printing follows RFC 5952 (inet_ntop). The route
// loaders use these to tell a real IPv6 prefix, which they skip and count
// until IPv6 routes are loaded (the IPv6 issue), from a malformed field,
// which is an error. Trivially copyable; thread-compatible.
//
// Example:
//   absl::StatusOr<Ipv6Prefix> p = Ipv6Prefix::Parse("2001:db8::/32");
//   std::string text = p->ToString();            // "2001:db8::/32"
//   bool bad = !Ipv6Prefix::Parse("2001:db8::/129").ok();  // true
#ifndef NEXTHOP_NET_IPV6_H_
#define NEXTHOP_NET_IPV6_H_

#include <array>
#include <compare>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nexthop {

class Ipv6Address {
 public:
  constexpr Ipv6Address() = default;
  constexpr explicit Ipv6Address(std::array<uint8_t, 16> bytes)
      : bytes_(bytes) {}
  // Any RFC 4291 form; InvalidArgument naming the text otherwise.
  static absl::StatusOr<Ipv6Address> Parse(absl::string_view text);

  constexpr const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  std::string ToString() const;  // RFC 5952

  friend constexpr auto operator<=>(const Ipv6Address&,
                                    const Ipv6Address&) = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

class Ipv6Prefix {
 public:
  constexpr Ipv6Prefix() = default;  // ::/0
  // `address` with the bits past `length` (0-128, clamped) cleared.
  static Ipv6Prefix Canonical(const Ipv6Address& address, int length);
  // "ADDRESS/LEN" (LEN 0-128) or "ADDRESS" (a /128). Bits set past the
  // length are an error unless `allow_host_bits`, which clears them.
  static absl::StatusOr<Ipv6Prefix> Parse(absl::string_view text,
                                          bool allow_host_bits = false);

  constexpr const Ipv6Address& network() const { return network_; }
  constexpr int length() const { return length_; }
  std::string ToString() const;  // "2001:db8::/32"

  friend constexpr auto operator<=>(const Ipv6Prefix&,
                                    const Ipv6Prefix&) = default;

 private:
  Ipv6Address network_;
  uint8_t length_ = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_NET_IPV6_H_
