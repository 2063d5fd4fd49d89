// The inner loop of LinearTable: first i with (address & masks[i]) ==
// networks[i], chosen once per process between AVX2 and portable code.
#ifndef NEXTHOP_LPM_INTERNAL_LINEAR_SCAN_H_
#define NEXTHOP_LPM_INTERNAL_LINEAR_SCAN_H_

#include <cstddef>
#include <cstdint>

namespace nexthop::internal {

// `count` is a multiple of 8; returns `count` when nothing matches.
size_t LinearScan(const uint32_t* networks, const uint32_t* masks, size_t count,
                  uint32_t address) noexcept;

}  // namespace nexthop::internal

#endif  // NEXTHOP_LPM_INTERNAL_LINEAR_SCAN_H_
