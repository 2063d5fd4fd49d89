// RxRing: walking TPACKET_V3 blocks (Documentation/networking/packet_mmap
// in the kernel tree describes the layout).
#include "io/internal/rx_ring.h"

#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace nexthop::io_internal {
namespace {

// Frames are at most a jumbo frame plus the kernel's headers; the ring's
// frame size only matters to the kernel's block accounting in V3.
constexpr int kFrameBytes = 1 << 11;

}  // namespace

absl::StatusOr<RxRing> RxRing::Create(int fd, int blocks, int block_bytes,
                                      int block_timeout_ms) {
  tpacket_req3 req{};
  req.tp_block_size = static_cast<unsigned>(block_bytes);
  req.tp_block_nr = static_cast<unsigned>(blocks);
  req.tp_frame_size = kFrameBytes;
  req.tp_frame_nr = req.tp_block_size / kFrameBytes * req.tp_block_nr;
  req.tp_retire_blk_tov = static_cast<unsigned>(block_timeout_ms);
  if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) != 0) {
    return absl::InternalError(
        absl::StrCat("PACKET_RX_RING: ", std::strerror(errno)));
  }
  const size_t bytes = static_cast<size_t>(blocks) * block_bytes;
  void* map = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_LOCKED | MAP_POPULATE, fd, 0);
  if (map == MAP_FAILED) {
    // MAP_LOCKED fails past RLIMIT_MEMLOCK without CAP_IPC_LOCK; the ring
    // works unlocked, only less predictably under memory pressure.
    map = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  }
  if (map == MAP_FAILED) {
    return absl::ResourceExhaustedError(
        absl::StrCat("mmap of the receive ring: ", std::strerror(errno)));
  }
  return RxRing(static_cast<uint8_t*>(map), bytes, blocks, block_bytes);
}

RxRing::RxRing(RxRing&& other) noexcept
    : map_(other.map_),
      map_bytes_(other.map_bytes_),
      blocks_(other.blocks_),
      block_bytes_(other.block_bytes_),
      next_(other.next_) {
  other.map_ = nullptr;
}

RxRing::~RxRing() {
  if (map_ != nullptr) munmap(map_, map_bytes_);
}

size_t RxRing::Drain(absl::FunctionRef<void(std::span<const uint8_t>)> fn,
                     size_t max, uint64_t* bytes) noexcept {
  size_t n = 0;
  while (n < max) {
    auto* block = reinterpret_cast<tpacket_block_desc*>(
        map_ + static_cast<size_t>(next_) * block_bytes_);
    // The status word is the hand-over between kernel and user space.
    std::atomic_ref<uint32_t> status(block->hdr.bh1.block_status);
    if ((status.load(std::memory_order_acquire) & TP_STATUS_USER) == 0) break;
    const uint32_t count = block->hdr.bh1.num_pkts;
    auto* hdr = reinterpret_cast<tpacket3_hdr*>(
        reinterpret_cast<uint8_t*>(block) + block->hdr.bh1.offset_to_first_pkt);
    for (uint32_t i = 0; i < count; ++i) {
      const uint8_t* frame =
          reinterpret_cast<const uint8_t*>(hdr) + hdr->tp_mac;
      fn(std::span<const uint8_t>(frame, hdr->tp_snaplen));
      *bytes += hdr->tp_snaplen;
      hdr = reinterpret_cast<tpacket3_hdr*>(reinterpret_cast<uint8_t*>(hdr) +
                                            hdr->tp_next_offset);
    }
    n += count;
    status.store(TP_STATUS_KERNEL, std::memory_order_release);
    next_ = (next_ + 1) % blocks_;
  }
  return n;
}

}  // namespace nexthop::io_internal
