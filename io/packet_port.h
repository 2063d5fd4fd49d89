// PacketPort: one network interface's frames, received in bursts and sent
// one by one, behind a small interface so that the live router does not
// depend on how the frames reach it (AF_PACKET today, af_packet_port.h;
// AF_XDP or a test double later).
//
// A port is driven by one thread: it poll()s fd() for POLLIN, then calls
// Receive, which hands each waiting frame to a callback, Send, which
// queues one frame for transmission, and Flush, which hands the queue to
// the kernel (a backend may batch frames into one system call there; it
// flushes by itself when its queue is full). None blocks; all are
// noexcept. The spans handed to the callback point into the port's
// receive buffer and are valid only during the call. Cost: that of the
// backend; the interface adds one virtual call per burst and per frame
// sent. Not thread-safe: one thread per port.
//
// Example:
//   struct Loop : PacketPort {  // a port that echoes what it is sent
//     std::vector<std::vector<uint8_t>> queue;
//     PortCounters c;
//     int fd() const override { return -1; }
//     size_t Receive(absl::FunctionRef<void(std::span<const uint8_t>)> fn,
//                    size_t max) noexcept override {
//       size_t n = 0;
//       for (; n < queue.size() && n < max; ++n) fn(queue[n]);
//       queue.erase(queue.begin(), queue.begin() + n);
//       return n;
//     }
//     bool Send(std::span<const uint8_t> f) noexcept override {
//       queue.emplace_back(f.begin(), f.end());
//       return true;
//     }
//     PortCounters counters() const noexcept override { return c; }
//   } port;
//   const uint8_t frame[60] = {};
//   port.Send(frame);
//   size_t got = 0;
//   port.Receive([&](std::span<const uint8_t> f) { got = f.size(); }, 64);
//   // got == 60
#ifndef NEXTHOP_IO_PACKET_PORT_H_
#define NEXTHOP_IO_PACKET_PORT_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace nexthop {

// What a port has seen since it opened.
struct PortCounters {
  uint64_t rx_frames = 0;
  uint64_t rx_bytes = 0;
  uint64_t tx_frames = 0;
  uint64_t tx_bytes = 0;
  // Frames the kernel refused to send (queue full, frame over the MTU).
  uint64_t tx_errors = 0;
  // Frames the kernel dropped because the receive ring was full.
  uint64_t rx_ring_drops = 0;
};

class PacketPort {
 public:
  virtual ~PacketPort() = default;
  // A file descriptor that poll() reports readable (POLLIN) when Receive
  // has frames to hand over; -1 if the port is not pollable.
  virtual int fd() const = 0;
  // Calls `fn` for each waiting frame (Ethernet header first), at most
  // about `max` (a backend may finish the block it is in); the count.
  virtual size_t Receive(absl::FunctionRef<void(std::span<const uint8_t>)> fn,
                         size_t max) noexcept = 0;
  // Queues `frame` (a whole Ethernet frame, no FCS) for transmission; false
  // if it cannot be (too big for the port). What the kernel refuses when
  // the queue is flushed is counted in tx_errors.
  virtual bool Send(std::span<const uint8_t> frame) noexcept = 0;
  // Sends what Send queued. A backend that sends at once needs none.
  virtual void Flush() noexcept {}
  // After poll() reported POLLERR on fd(): reads and clears the error (the
  // kernel sets one when the interface goes down; it comes back up by
  // itself). NotFound once the interface is gone: the port is dead.
  virtual absl::Status TakeError() noexcept { return absl::OkStatus(); }
  virtual PortCounters counters() const noexcept = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_IO_PACKET_PORT_H_
