// Text that is safe to put in an error message: what a bad input looked
// like, without letting the input take over the message.
//
// Bytes outside printable ASCII become \xNN (binary junk and control
// characters cannot reach a terminal raw; a UTF-8 byte order mark shows as
// \xef\xbb\xbf instead of hiding), and a quoted token ('...', as messages
// quote input) longer than 48 characters is cut to its first 40 and "..."
// (a 10 MB one-token line gives a short message, not a 10 MB one); other
// runs without a space, such as file names, only past 256. Cost: linear in
// the text.
// Thread-compatible.
//
// Example:
//   std::string m = SafeForMessage("invalid address '\x01" "abc'");
//   // m == "invalid address '\\x01abc'"
#ifndef NEXTHOP_NET_MESSAGE_TEXT_H_
#define NEXTHOP_NET_MESSAGE_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace nexthop {

std::string SafeForMessage(absl::string_view text);

}  // namespace nexthop

#endif  // NEXTHOP_NET_MESSAGE_TEXT_H_
