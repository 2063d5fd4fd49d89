// The names a topology and its commands use, checked in one place: node
// and switch names, interface names and interface labels (aliases).
//
// A node or switch name is 1-64 letters, digits, '-', '_' or '.': a ':'
// would make "NODE:PORT" ambiguous. An interface name follows Linux's
// dev_valid_name: 1-15 bytes, not "." or "..", no '/', ':' or whitespace.
// A label is an interface name, or one with ":SUFFIX" (1-15 bytes in all,
// as IFNAMSIZ allows), as `ip addr add ... label eth0:1` and `ifconfig
// eth0:1` take it.
//
// Plain functions; thread-safe. Errors are InvalidArgument and quote the
// name (escaped and cut, net/message_text.h).
//
// Example:
//   absl::Status s = ValidateNodeName("R1");        // OK
//   s = ValidateNodeName("A:B");                    // InvalidArgument
//   s = ValidateInterfaceName("eth0");              // OK
//   s = ValidateInterfaceLabel("eth0:1", "eth0");   // OK
//   s = ValidateInterfaceLabel("eth1:1", "eth0");   // InvalidArgument
#ifndef NEXTHOP_SIM_NAMES_H_
#define NEXTHOP_SIM_NAMES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace nexthop {

absl::Status ValidateNodeName(absl::string_view name);
absl::Status ValidateInterfaceName(absl::string_view name);
// `label` must be `dev` or start with "dev:".
absl::Status ValidateInterfaceLabel(absl::string_view label,
                                    absl::string_view dev);

}  // namespace nexthop

#endif  // NEXTHOP_SIM_NAMES_H_
