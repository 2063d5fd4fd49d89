// RxRing: the TPACKET_V3 receive ring of one AF_PACKET socket - blocks of
// frames the kernel fills and hands to user space by a status word, walked
// here in order and handed back once read.
//
// Internal to nexthop::io (AfPacketPort owns one). Move-only; unmaps the
// ring when destroyed. Not thread-safe.
#ifndef NEXTHOP_IO_INTERNAL_RX_RING_H_
#define NEXTHOP_IO_INTERNAL_RX_RING_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace nexthop::io_internal {

class RxRing {
 public:
  // Sets PACKET_RX_RING on `fd` (which must already use TPACKET_V3) and
  // maps it.
  static absl::StatusOr<RxRing> Create(int fd, int blocks, int block_bytes,
                                       int block_timeout_ms);
  RxRing(RxRing&& other) noexcept;
  RxRing& operator=(RxRing&&) = delete;
  ~RxRing();

  // Hands every frame of the blocks the kernel has released to `fn`,
  // block by block, until `max` frames or no block is left; the count.
  // `bytes` gets the frames' total length.
  size_t Drain(absl::FunctionRef<void(std::span<const uint8_t>)> fn, size_t max,
               uint64_t* bytes) noexcept;

 private:
  RxRing(uint8_t* map, size_t map_bytes, int blocks, int block_bytes)
      : map_(map),
        map_bytes_(map_bytes),
        blocks_(blocks),
        block_bytes_(block_bytes) {}

  uint8_t* map_;
  size_t map_bytes_;
  int blocks_;
  int block_bytes_;
  int next_ = 0;  // the block to read next
};

}  // namespace nexthop::io_internal

#endif  // NEXTHOP_IO_INTERNAL_RX_RING_H_
