// IPv6 addresses and prefixes (RFC 4291), and the Ipv6 address family.
//
// `Ipv6Address` holds the 128 bits as two 64-bit halves in host byte order
// (hi() is the first 8 bytes on the wire), so that longest-prefix-match
// structures shift and mask keys as they do IPv4's; bytes() gives the wire
// form. `Ipv6Prefix` is always canonical (no bits set past its length).
//
// Parsing accepts every RFC 4291 text form (full, `::`-compressed, with an
// embedded IPv4 address) through inet_pton, so nothing is read differently
// from the C library (`:::`, two `::`, a group of five hex digits are
// refused); a prefix is ADDRESS/LEN with LEN 0-128 in decimal without
// leading zeros. Printing follows RFC 5952: lower case, leading zeros
// dropped, the longest run of two or more zero groups (the first of equal
// runs) as `::`, and the mixed form `::ffff:1.2.3.4` for IPv4-mapped
// addresses only (glibc's inet_ntop also prints the deprecated
// IPv4-compatible `::1.2.3.4`, which RFC 5952 writes `::102:304`).
// Trivially copyable; thread-compatible.
//
// Example:
//   absl::StatusOr<Ipv6Prefix> p = Ipv6Prefix::Parse("2001:db8::/32");
//   std::string text = p->ToString();            // "2001:db8::/32"
//   bool in = p->Contains(*Ipv6Address::Parse("2001:db8:1::1"));  // true
//   bool bad = !Ipv6Prefix::Parse("2001:db8::/129").ok();  // true
#ifndef NEXTHOP_NET_IPV6_H_
#define NEXTHOP_NET_IPV6_H_

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nexthop {

class Ipv6Address {
 public:
  constexpr Ipv6Address() = default;
  // From the 16 bytes in network order.
  constexpr explicit Ipv6Address(const std::array<uint8_t, 16>& bytes)
      : hi_(Load(bytes, 0)), lo_(Load(bytes, 8)) {}
  static constexpr Ipv6Address FromHalves(uint64_t hi, uint64_t lo) {
    Ipv6Address a;
    a.hi_ = hi;
    a.lo_ = lo;
    return a;
  }
  // Any RFC 4291 form; InvalidArgument naming the text otherwise.
  static absl::StatusOr<Ipv6Address> Parse(absl::string_view text);

  // The first and last 64 bits, as numbers.
  constexpr uint64_t hi() const { return hi_; }
  constexpr uint64_t lo() const { return lo_; }
  // The 16 bytes in network order.
  constexpr std::array<uint8_t, 16> bytes() const {
    std::array<uint8_t, 16> b{};
    for (int i = 0; i < 8; ++i) {
      b[i] = static_cast<uint8_t>(hi_ >> (56 - 8 * i));
      b[8 + i] = static_cast<uint8_t>(lo_ >> (56 - 8 * i));
    }
    return b;
  }
  // Bit `i` counted from the most significant (0-127).
  constexpr int Bit(int i) const {
    return static_cast<int>(i < 64 ? hi_ >> (63 - i) & 1
                                   : lo_ >> (127 - i) & 1);
  }
  // ff00::/8 (RFC 4291 2.7).
  constexpr bool IsMulticast() const { return hi_ >> 56 == 0xff; }
  // ::1.
  constexpr bool IsLoopback() const { return hi_ == 0 && lo_ == 1; }
  // fe80::/10.
  constexpr bool IsLinkLocal() const { return hi_ >> 54 == 0x3fa; }
  // ::ffff:0:0/96, an IPv4 address as IPv6 (RFC 4291 2.5.5.2).
  constexpr bool IsV4Mapped() const { return hi_ == 0 && lo_ >> 32 == 0xffff; }
  std::string ToString() const;  // RFC 5952

  friend constexpr auto operator<=>(const Ipv6Address&,
                                    const Ipv6Address&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Ipv6Address& a) {
    return H::combine(std::move(h), a.hi_, a.lo_);
  }

 private:
  static constexpr uint64_t Load(const std::array<uint8_t, 16>& b, int at) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | b[at + i];
    return v;
  }
  uint64_t hi_ = 0;
  uint64_t lo_ = 0;
};

// The mask of the first `length` (0-128) bits, as (hi, lo).
constexpr std::pair<uint64_t, uint64_t> Ipv6MaskBits(int length) {
  const auto ones = [](int n) {  // n leading ones of 64, n in 0..64
    return n <= 0    ? uint64_t{0}
           : n >= 64 ? ~uint64_t{0}
                     : ~uint64_t{0} << (64 - n);
  };
  return {ones(length), ones(length - 64)};
}

class Ipv6Prefix {
 public:
  constexpr Ipv6Prefix() = default;  // ::/0
  // `address` with the bits past `length` (0-128, clamped) cleared.
  static constexpr Ipv6Prefix Canonical(const Ipv6Address& address,
                                        int length) {
    length = length < 0 ? 0 : length > 128 ? 128 : length;
    const auto [mhi, mlo] = Ipv6MaskBits(length);
    return Ipv6Prefix(
        Ipv6Address::FromHalves(address.hi() & mhi, address.lo() & mlo),
        length);
  }
  // Fails if `length` is out of range or `network` has host bits set.
  static absl::StatusOr<Ipv6Prefix> Create(const Ipv6Address& network,
                                           int length);
  // "ADDRESS/LEN" (LEN 0-128) or "ADDRESS" (a /128). Bits set past the
  // length are an error unless `allow_host_bits`, which clears them.
  static absl::StatusOr<Ipv6Prefix> Parse(absl::string_view text,
                                          bool allow_host_bits = false);

  constexpr Ipv6Address network() const { return network_; }
  constexpr int length() const { return length_; }
  constexpr bool Contains(const Ipv6Address& a) const {
    const auto [mhi, mlo] = Ipv6MaskBits(length_);
    return (a.hi() & mhi) == network_.hi() && (a.lo() & mlo) == network_.lo();
  }
  std::string ToString() const;  // "2001:db8::/32"

  friend constexpr auto operator<=>(const Ipv6Prefix&,
                                    const Ipv6Prefix&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Ipv6Prefix& p) {
    return H::combine(std::move(h), p.network_, p.length_);
  }

 private:
  constexpr Ipv6Prefix(const Ipv6Address& network, int length)
      : network_(network), length_(static_cast<uint8_t>(length)) {}
  Ipv6Address network_;
  uint8_t length_ = 0;
};

// The IPv6 address family, for code generic over families (lpm/lpm.h).
struct Ipv6 {
  using Address = Ipv6Address;
  using Prefix = Ipv6Prefix;
  static constexpr int kBits = 128;
};

}  // namespace nexthop

#endif  // NEXTHOP_NET_IPV6_H_
