// ARP frame decoding: no crash, no read past the buffer (ASan checks), and a
// decoded frame encodes back to the same packet.
#include <cstdlib>

#include "arp/arp_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<nexthop::ArpFrame> f =
      nexthop::DecodeArpFrame(std::span(data, size));
  if (!f.ok()) return 0;
  absl::StatusOr<nexthop::ArpFrame> again =
      nexthop::DecodeArpFrame(nexthop::EncodeArpFrame(*f));
  if (!again.ok() || !(again->arp == f->arp) || again->eth_dst != f->eth_dst ||
      again->eth_src != f->eth_src) {
    std::abort();
  }
  return 0;
}
