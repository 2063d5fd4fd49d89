// AfPacketPort: a PacketPort on a Linux interface through an AF_PACKET
// socket - a TPACKET_V3 receive ring mapped into this process (the kernel
// fills blocks of frames, poll() wakes the reader when a block is handed
// over, nothing is copied by a system call) and transmission in batches of
// up to kTxBatch frames, one sendmmsg() each, with PACKET_QDISC_BYPASS
// (straight to the driver, no queueing discipline).
//
// The socket takes every frame the interface receives (ETH_P_ALL), not the
// ones it sends (PACKET_IGNORE_OUTGOING). The kernel's own stack still sees
// the frames too: keeping it from answering or forwarding them is the
// owner's job (the live router checks the interface has no IPv4 address
// and no IPv6, and that forwarding is off).
//
// A ring block is handed over when it is full or `block_timeout` after its
// first frame, so a lone frame waits at most that long. Open needs
// CAP_NET_RAW; without it, PermissionDenied says so. Cost: `blocks` *
// `block_bytes` of locked memory per port (4 MiB by default). Not
// thread-safe: one thread per port.
//
// Example:
//   absl::StatusOr<std::unique_ptr<AfPacketPort>> port =
//       AfPacketPort::Open("veth0", {});
//   // NotFound: Cannot find device "veth0" (or, without CAP_NET_RAW,
//   // PermissionDenied: ... needs CAP_NET_RAW)
//   if (port.ok()) {
//     pollfd p{(*port)->fd(), POLLIN, 0};
//     poll(&p, 1, 10);
//     size_t bytes = 0;
//     (*port)->Receive(
//         [&](std::span<const uint8_t> frame) { bytes += frame.size(); }, 64);
//   }
#ifndef NEXTHOP_IO_AF_PACKET_PORT_H_
#define NEXTHOP_IO_AF_PACKET_PORT_H_

#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "io/internal/rx_ring.h"
#include "io/packet_port.h"

namespace nexthop {

class AfPacketPort final : public PacketPort {
 public:
  struct Options {
    int blocks = 64;
    int block_bytes = 1 << 16;  // a power of two, a multiple of the page
    absl::Duration block_timeout = absl::Milliseconds(1);
  };

  static absl::StatusOr<std::unique_ptr<AfPacketPort>> Open(
      absl::string_view interface, const Options& options);
  ~AfPacketPort() override;
  AfPacketPort(const AfPacketPort&) = delete;
  AfPacketPort& operator=(const AfPacketPort&) = delete;

  int fd() const override { return fd_; }
  size_t Receive(absl::FunctionRef<void(std::span<const uint8_t>)> fn,
                 size_t max) noexcept override;
  bool Send(std::span<const uint8_t> frame) noexcept override;
  void Flush() noexcept override;
  absl::Status TakeError() noexcept override;
  PortCounters counters() const noexcept override;

  // Frames queued before Send flushes by itself.
  static constexpr size_t kTxBatch = 64;

 private:
  AfPacketPort(std::string name, int fd, io_internal::RxRing ring)
      : name_(std::move(name)), fd_(fd), ring_(std::move(ring)) {}

  std::string name_;
  int fd_;
  io_internal::RxRing ring_;
  mutable PortCounters counters_;
  // The queued frames, back to back, and where each ends.
  std::vector<uint8_t> tx_bytes_;
  std::vector<size_t> tx_ends_;
};

}  // namespace nexthop

#endif  // NEXTHOP_IO_AF_PACKET_PORT_H_
