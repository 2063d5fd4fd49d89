#include "sim/show_commands.h"

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

std::string DevOf(const ControlPlane& cp, Ipv4Address ip) {
  return cp.PortName(cp.PortForNeighbor(ip));
}

}  // namespace

std::string FormatArpA(const ControlPlane& cp) {
  std::string out;
  for (const NeighborEntry& e : cp.neighbors().Entries()) {
    const std::string dev = DevOf(cp, e.ip);
    if (e.mac) {
      absl::StrAppend(&out, "? (", e.ip.ToString(), ") at ", e.mac->ToString(),
                      " [ether] ",
                      e.state == NeighborState::kPermanent ? "PERM " : "",
                      "on ", dev, "\n");
    } else {
      absl::StrAppend(&out, "? (", e.ip.ToString(), ") at <incomplete> on ",
                      dev, "\n");
    }
  }
  return out;
}

std::string FormatIpNeigh(const ControlPlane& cp) {
  std::string out;
  for (const NeighborEntry& e : cp.neighbors().Entries()) {
    absl::StrAppend(&out, e.ip.ToString(), " dev ", DevOf(cp, e.ip),
                    e.mac ? absl::StrCat(" lladdr ", e.mac->ToString()) : "",
                    " ", NeighborStateName(e.state), "\n");
  }
  return out;
}

std::string FormatDrops(const ControlPlane& cp) {
  std::string out;
  for (const auto& [reason, n] : cp.drops()) {
    absl::StrAppend(&out, DropReasonName(reason), ": ", n, "\n");
  }
  absl::StrAppend(&out, "forwarded: ", cp.forwarded(), "\n");
  return out;
}

}  // namespace nexthop
