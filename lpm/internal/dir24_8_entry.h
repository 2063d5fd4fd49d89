// The 32-bit entry of Dir24_8's tables, shared by the structure and its
// batch lookup kernels.
//   bit 31     valid (a route covers this slot)
//   bit 30     points to a tbl8 group (tbl24 only)
//   bits 24-29 length of the matched prefix (so erase and LookupMatch need
//              no other data)
//   bits 0-23  next hop id, or group index
#ifndef NEXTHOP_LPM_INTERNAL_DIR24_8_ENTRY_H_
#define NEXTHOP_LPM_INTERNAL_DIR24_8_ENTRY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lpm/internal/reclaim.h"
#include "lpm/next_hop_id.h"
#include "net/ipv4.h"

namespace nexthop::internal::dir24_8 {

inline constexpr uint32_t kValid = 1u << 31;
inline constexpr uint32_t kGroup = 1u << 30;
inline constexpr uint32_t kValueMask = (1u << 24) - 1;

// Branch-free on purpose: uniform traffic misses ~29% of the time on a real
// table, and a mispredicted branch would discard the loads in flight. An
// invalid entry's clear top bit becomes all ones (kNoRoute) by the shift.
inline NextHopId Decode(uint32_t e) noexcept {
  static_assert(kValid == 1u << 31 && kNoRoute == 0xFFFFFFFFu);
  return (e & kValueMask) |
         static_cast<uint32_t>(static_cast<int32_t>(~e) >> 31);
}

// A group is filled before the store that links it, and what an entry's
// next hop id names before the entry (Dir24_8's writer may run beside
// readers): both are read through the loaded word (LoadDependent).
inline uint32_t Resolve(const uint32_t* tbl24, const uint32_t* tbl8,
                        uint32_t a) noexcept {
  uint32_t e = LoadDependent(&tbl24[a >> 8]);
  if (e & kGroup)
    e = LoadDependent(&tbl8[(size_t{e & kValueMask} << 8) | (a & 0xff)]);
  return e;
}

// Batch lookup over raw tables. Scalar code reads `in[i].value()`; the
// AVX2 kernel loads eight addresses at once with an unaligned vector load
// (an __m256i access, which may alias any object), never through a
// uint32_t pointer into the Ipv4Address array.
using BatchFn = void (*)(const uint32_t* tbl24, const uint32_t* tbl8,
                         const Ipv4Address* in, NextHopId* out,
                         size_t n) noexcept;
// The fastest kernel this CPU runs (AVX2 gathers, else scalar with
// prefetch), chosen once per process.
BatchFn ChooseBatch();

// Every kernel this CPU can run, so that tests check each one.
struct Kernel {
  const char* name;
  BatchFn fn;
};
std::vector<Kernel> AvailableKernels();

}  // namespace nexthop::internal::dir24_8

#endif  // NEXTHOP_LPM_INTERNAL_DIR24_8_ENTRY_H_
