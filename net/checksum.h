// The Internet checksum (RFC 1071) and its incremental update (RFC 1624),
// which routers use to fix the IPv4 header checksum after decrementing TTL
// without summing the header again.
//
// Example:
//   const uint8_t header[20] = {0x45, 0, 0, 20, 0, 1, 0, 0, 64, 1,
//                               0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
//   const uint16_t sum = InternetChecksum(header);  // for bytes 10-11
//   // TTL 64 -> 63 changes the word (TTL, protocol) from 0x4001 to 0x3f01:
//   const uint16_t after = UpdateChecksum(sum, 0x4001, 0x3f01);
#ifndef NEXTHOP_NET_CHECKSUM_H_
#define NEXTHOP_NET_CHECKSUM_H_

#include <cstdint>
#include <cstring>
#include <span>

namespace nexthop {

// The one's-complement of the one's-complement sum of `data` taken as
// big-endian 16-bit words (an odd last byte is padded with zero). Over a
// header that includes a correct checksum field the result is 0.
uint16_t InternetChecksum(std::span<const uint8_t> data) noexcept;

// True when an IPv4 header (`len` a multiple of 4, as IHL makes it)
// carries a correct checksum. The fast path's version of
// InternetChecksum(header) == 0: 32-bit words summed in native order into
// 64 bits and folded; a one's-complement sum is byte-order independent
// (RFC 1071 2.B), and all-ones reads the same either way.
inline bool HeaderChecksumValid(const uint8_t* header, size_t len) noexcept {
  uint64_t sum = 0;
  for (size_t i = 0; i < len; i += 4) {
    uint32_t w;
    std::memcpy(&w, header + i, 4);
    sum += w;
  }
  sum = (sum & 0xFFFFFFFF) + (sum >> 32);
  sum = (sum & 0xFFFFFFFF) + (sum >> 32);
  sum = (sum & 0xFFFF) + (sum >> 16);
  sum = (sum & 0xFFFF) + (sum >> 16);
  return sum == 0xFFFF;
}

// RFC 1624 eqn. 3: the new checksum when one 16-bit word of the summed data
// changes from `old_word` to `new_word`: HC' = ~(~HC + ~m + m').
inline uint16_t UpdateChecksum(uint16_t checksum, uint16_t old_word,
                               uint16_t new_word) noexcept {
  uint32_t sum = static_cast<uint16_t>(~checksum) +
                 static_cast<uint16_t>(~old_word) + uint32_t{new_word};
  sum = (sum & 0xFFFF) + (sum >> 16);
  sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

}  // namespace nexthop

#endif  // NEXTHOP_NET_CHECKSUM_H_
