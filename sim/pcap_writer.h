// One pcap file (Ethernet link type) written through libpcap, so that
// tcpdump, tshark and Wireshark read it.
#ifndef NEXTHOP_SIM_PCAP_WRITER_H_
#define NEXTHOP_SIM_PCAP_WRITER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace nexthop {

class PcapWriter {
 public:
  static absl::StatusOr<std::unique_ptr<PcapWriter>> Open(const std::string& path);
  ~PcapWriter();
  void Write(absl::Time at, std::span<const uint8_t> frame);

 private:
  PcapWriter() = default;
  struct Handles;
  std::unique_ptr<Handles> h_;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_PCAP_WRITER_H_
