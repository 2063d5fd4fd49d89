#include "net/ipv4.h"

#include <bit>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "net/internal/prefix_length.h"

namespace nexthop {
namespace {

absl::Status Bad(absl::string_view what, absl::string_view text,
                 absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid ", what, " '", text, "': ", why));
}

}  // namespace

absl::StatusOr<Ipv4Address> Ipv4Address::Parse(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() != 4) return Bad("IPv4 address", text, "expected 4 octets");
  uint32_t value = 0;
  for (absl::string_view part : parts) {
    if (part.empty() || part.size() > 3 ||
        part.find_first_not_of("0123456789") != absl::string_view::npos) {
      return Bad("IPv4 address", text, "octets are decimal numbers 0-255");
    }
    if (part.size() > 1 && part[0] == '0') {
      // inet_aton would read this as octal; refuse rather than guess.
      return Bad("IPv4 address", text, "octet with a leading zero");
    }
    uint32_t octet = 0;
    if (!absl::SimpleAtoi(part, &octet) || octet > 255) {
      return Bad("IPv4 address", text, "octet out of range 0-255");
    }
    value = (value << 8) | octet;
  }
  return Ipv4Address(value);
}

std::string Ipv4Address::ToString() const {
  return absl::StrFormat("%u.%u.%u.%u", value_ >> 24, (value_ >> 16) & 0xff,
                         (value_ >> 8) & 0xff, value_ & 0xff);
}

std::string Ipv4Address::ToBinaryString() const {
  std::string out;
  for (int bit = 31; bit >= 0; --bit) {
    out.push_back(((value_ >> bit) & 1) ? '1' : '0');
    if (bit % 8 == 0 && bit != 0) out.push_back('.');
  }
  return out;
}

absl::StatusOr<int> MaskLength(Ipv4Address mask) {
  const uint32_t m = mask.value();
  const int ones = std::countl_one(m);
  if (MaskBits(ones) != m) {
    return Bad("netmask", mask.ToString(), "the one bits are not contiguous");
  }
  return ones;
}

absl::StatusOr<Ipv4Prefix> Ipv4Prefix::Create(Ipv4Address network, int length) {
  if (length < 0 || length > 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid prefix length ", length, ": must be 0-32"));
  }
  if ((network.value() & ~MaskBits(length)) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid prefix ", network.ToString(), "/", length,
                     ": bits set outside the mask (network is ",
                     Canonical(network, length).ToString(), ")"));
  }
  return Ipv4Prefix(network, length);
}

absl::StatusOr<Ipv4Prefix> Ipv4Prefix::Parse(absl::string_view text) {
  absl::StatusOr<ParsedPrefix> parsed =
      ParsePrefix(text, HostBitsPolicy::kRefuse);
  if (!parsed.ok()) return parsed.status();
  return parsed->prefix;
}

std::string Ipv4Prefix::ToString() const {
  return absl::StrCat(network_.ToString(), "/", length_);
}

namespace {

absl::StatusOr<int> ParseLength(absl::string_view text) {
  std::optional<int> length = internal::ParsePrefixLength(text, 32);
  if (!length) return Bad("prefix length", text, "must be a number 0-32");
  return *length;
}

absl::StatusOr<ParsedPrefix> Build(Ipv4Address address, int length,
                                   HostBitsPolicy policy) {
  ParsedPrefix out;
  out.prefix = Ipv4Prefix::Canonical(address, length);
  out.normalised = out.prefix.network() != address;
  if (out.normalised && policy == HostBitsPolicy::kRefuse) {
    return Ipv4Prefix::Create(address, length).status();
  }
  return out;
}

}  // namespace

absl::StatusOr<ParsedPrefix> ParsePrefix(absl::string_view text,
                                         HostBitsPolicy policy) {
  if (text == "default") return ParsedPrefix{};
  const size_t slash = text.find('/');
  absl::StatusOr<Ipv4Address> address =
      Ipv4Address::Parse(text.substr(0, slash));
  if (!address.ok()) return address.status();
  int length = 32;
  if (slash != absl::string_view::npos) {
    absl::StatusOr<int> parsed = ParseLength(text.substr(slash + 1));
    if (!parsed.ok()) return parsed.status();
    length = *parsed;
  }
  return Build(*address, length, policy);
}

absl::StatusOr<ParsedPrefix> ParseDestinationAndMask(
    absl::string_view destination, absl::string_view mask,
    HostBitsPolicy policy) {
  Ipv4Address address;
  if (destination != "default") {
    absl::StatusOr<Ipv4Address> parsed = Ipv4Address::Parse(destination);
    if (!parsed.ok()) return parsed.status();
    address = *parsed;
  }
  int length = 0;
  if (mask.find('.') != absl::string_view::npos) {
    absl::StatusOr<Ipv4Address> m = Ipv4Address::Parse(mask);
    if (!m.ok()) return m.status();
    absl::StatusOr<int> len = MaskLength(*m);
    if (!len.ok()) return len.status();
    length = *len;
  } else {
    absl::StatusOr<int> len = ParseLength(mask);
    if (!len.ok()) return len.status();
    length = *len;
  }
  if (destination == "default" && length != 0) {
    return Bad("destination", destination,
               absl::StrCat("'default' needs mask 0.0.0.0, not /", length));
  }
  return Build(address, length, policy);
}

bool LooksNumeric(absl::string_view token) {
  return !token.empty() &&
         token.find_first_not_of("0123456789./") == absl::string_view::npos;
}

}  // namespace nexthop
