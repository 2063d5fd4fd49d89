// One pcap file (Ethernet link type) written through libpcap, so that
// tcpdump, tshark and Wireshark read it.
//
// Example:
//   #include <filesystem>
//   #include <unistd.h>
//   #include "net/ethernet.h"
//   const std::string path =
//       "/tmp/nexthop-example-" + std::to_string(getpid()) + ".pcap";
//   absl::StatusOr<std::unique_ptr<PcapWriter>> w = PcapWriter::Open(path);
//   const std::vector<uint8_t> frame = BuildFrame(
//       MacAddress::Broadcast(), *MacAddress::Parse("02:00:00:00:00:01"),
//       kEtherTypeArp, std::vector<uint8_t>(28, 0));  // an ARP packet, say
//   (*w)->Write(absl::UnixEpoch() + absl::Seconds(1), frame);
//   w->reset();  // closes the file: complete only now
//   std::filesystem::file_size(path);  // 24 + 16 + 60 = 100 bytes
//   std::filesystem::remove(path);
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
  static absl::StatusOr<std::unique_ptr<PcapWriter>> Open(
      const std::string& path);
  ~PcapWriter();
  void Write(absl::Time at, std::span<const uint8_t> frame);

 private:
  PcapWriter() = default;
  struct Handles;
  std::unique_ptr<Handles> h_;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_PCAP_WRITER_H_
