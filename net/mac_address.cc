#include "net/mac_address.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace nexthop {

absl::StatusOr<MacAddress> MacAddress::Parse(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  std::array<uint8_t, 6> bytes{};
  bool ok = parts.size() == 6;
  for (size_t i = 0; ok && i < 6; ++i) {
    const absl::string_view p = parts[i];
    ok = p.size() == 2 && std::isxdigit(static_cast<unsigned char>(p[0])) &&
         std::isxdigit(static_cast<unsigned char>(p[1]));
    if (ok) {
      auto nibble = [](char c) {
        return static_cast<uint8_t>(std::isdigit(static_cast<unsigned char>(c))
                                        ? c - '0'
                                        : (std::tolower(c) - 'a' + 10));
      };
      bytes[i] = static_cast<uint8_t>(nibble(p[0]) << 4 | nibble(p[1]));
    }
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid MAC address '", text,
                     "': expected six hex pairs like 02:42:ac:11:00:03"));
  }
  return MacAddress(bytes);
}

std::string MacAddress::ToString() const {
  const std::array<uint8_t, 6> b = bytes();
  return absl::StrFormat("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2],
                         b[3], b[4], b[5]);
}

}  // namespace nexthop
