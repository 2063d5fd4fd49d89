// Address, prefix and mask parsing: no crash, and what parses prints back
// to text that parses to the same value.
#include <cstdlib>

#include "net/ipv4.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto a = nexthop::Ipv4Address::Parse(text); a.ok()) {
    if (*nexthop::Ipv4Address::Parse(a->ToString()) != *a) std::abort();
  }
  if (auto p = nexthop::Ipv4Prefix::Parse(text); p.ok()) {
    if (*nexthop::Ipv4Prefix::Parse(p->ToString()) != *p) std::abort();
  }
  const size_t space = text.find(' ');
  if (space != absl::string_view::npos) {
    auto d = nexthop::ParseDestinationAndMask(
        text.substr(0, space), text.substr(space + 1),
        nexthop::HostBitsPolicy::kNormalise);
    if (d.ok() && nexthop::Ipv4Prefix::Canonical(
                      d->prefix.network(), d->prefix.length()) != d->prefix) {
      std::abort();
    }
  }
  return 0;
}
