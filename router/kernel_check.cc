// CheckKernelStaysOut: one rule per way the kernel would interfere.
#include "router/kernel_check.h"

#include "absl/strings/str_cat.h"

namespace nexthop {

absl::Status CheckKernelStaysOut(const std::vector<InterfaceInfo>& ports,
                                 bool kernel_forwarding,
                                 std::vector<std::string>* warnings) {
  if (kernel_forwarding) {
    return absl::FailedPreconditionError(
        "the kernel forwards IPv4 in this namespace (net.ipv4.ip_forward=1) "
        "and would forward the router's packets a second time: "
        "sysctl -w net.ipv4.ip_forward=0");
  }
  for (const InterfaceInfo& p : ports) {
    if (!p.ipv4_addresses.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          p.name, " has the kernel IPv4 address ", p.ipv4_addresses[0],
          ": the kernel would answer for it beside the router; the router's "
          "addresses belong in its config only (ip addr flush dev ",
          p.name, ")"));
    }
    if (p.ipv6_disabled.has_value() && !*p.ipv6_disabled) {
      return absl::FailedPreconditionError(
          absl::StrCat("IPv6 is on for ", p.name,
                       ": the kernel would answer neighbour discovery on it "
                       "(sysctl -w net.ipv6.conf.",
                       p.name, ".disable_ipv6=1)"));
    }
    if (!p.up) {
      warnings->push_back(absl::StrCat(
          "warning: ", p.name, " is down: no traffic until ip link set ",
          p.name, " up"));
    }
  }
  return absl::OkStatus();
}

}  // namespace nexthop
