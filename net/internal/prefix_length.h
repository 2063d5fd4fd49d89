// The "/LEN" of a prefix, shared by the IPv4 and IPv6 parsers: decimal
// digits only, no sign, no leading zero ("/08" is refused, as octets with
// leading zeros are), at most `max`.
#ifndef NEXTHOP_NET_INTERNAL_PREFIX_LENGTH_H_
#define NEXTHOP_NET_INTERNAL_PREFIX_LENGTH_H_

#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"

namespace nexthop::internal {

inline std::optional<int> ParsePrefixLength(absl::string_view text, int max) {
  int length = 0;
  if (text.empty() || text.size() > 3 ||
      text.find_first_not_of("0123456789") != absl::string_view::npos ||
      (text.size() > 1 && text[0] == '0') || !absl::SimpleAtoi(text, &length) ||
      length > max) {
    return std::nullopt;
  }
  return length;
}

}  // namespace nexthop::internal

#endif  // NEXTHOP_NET_INTERNAL_PREFIX_LENGTH_H_
