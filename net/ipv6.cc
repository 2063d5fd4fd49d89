#include "net/ipv6.h"

#include <arpa/inet.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "net/internal/prefix_length.h"

namespace nexthop {

absl::StatusOr<Ipv6Address> Ipv6Address::Parse(absl::string_view text) {
  // inet_pton wants a NUL-terminated string; no IPv6 text is longer than
  // 45 characters (RFC 4291 with an embedded IPv4 address). Messages
  // quote the text whole: their sinks cut it (net/message_text.h).
  std::array<uint8_t, 16> bytes{};
  if (text.size() > 45 || text.find('\0') != absl::string_view::npos ||
      inet_pton(AF_INET6, std::string(text).c_str(), bytes.data()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid IPv6 address '", text, "'"));
  }
  return Ipv6Address(bytes);
}

std::string Ipv6Address::ToString() const {
  // glibc writes ::a.b.c.d for the deprecated IPv4-compatible addresses
  // (first 96 bits zero, more than 16 bits after them); RFC 5952 section 5
  // keeps the mixed form for IPv4-mapped ones, so those are written here.
  if (hi_ == 0 && lo_ >> 32 == 0 && lo_ >> 16 != 0) {
    return absl::StrCat("::", absl::Hex(lo_ >> 16), ":",
                        absl::Hex(lo_ & 0xffff));
  }
  char buf[INET6_ADDRSTRLEN];
  const std::array<uint8_t, 16> b = bytes();
  inet_ntop(AF_INET6, b.data(), buf, sizeof(buf));
  return buf;
}

absl::StatusOr<Ipv6Prefix> Ipv6Prefix::Parse(absl::string_view text,
                                             bool allow_host_bits) {
  const size_t slash = text.find('/');
  absl::StatusOr<Ipv6Address> address =
      Ipv6Address::Parse(text.substr(0, slash));
  if (!address.ok()) return address.status();
  int length = 128;
  if (slash != absl::string_view::npos) {
    const absl::string_view len = text.substr(slash + 1);
    std::optional<int> parsed = internal::ParsePrefixLength(len, 128);
    if (!parsed) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid IPv6 prefix length '", len, "': expected 0-128"));
    }
    length = *parsed;
  }
  const Ipv6Prefix p = Canonical(*address, length);
  if (p.network_ != *address && !allow_host_bits) {
    return absl::InvalidArgumentError(
        absl::StrCat("IPv6 prefix '", text, "' has bits set past /", length));
  }
  return p;
}

absl::StatusOr<Ipv6Prefix> Ipv6Prefix::Create(const Ipv6Address& network,
                                              int length) {
  if (length < 0 || length > 128) {
    return absl::InvalidArgumentError(
        absl::StrCat("IPv6 prefix length ", length, " is not in 0-128"));
  }
  const Ipv6Prefix p = Canonical(network, length);
  if (p.network_ != network) {
    return absl::InvalidArgumentError(
        absl::StrCat("IPv6 prefix ", network.ToString(), "/", length,
                     " has bits set past the length"));
  }
  return p;
}

std::string Ipv6Prefix::ToString() const {
  return absl::StrCat(network_.ToString(), "/", length_);
}

}  // namespace nexthop
