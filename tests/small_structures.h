// Structures with resource limits small enough for a test or a fuzzer to
// reach, so that their ResourceExhausted paths (which must change nothing)
// run too.
#ifndef NEXTHOP_TESTS_SMALL_STRUCTURES_H_
#define NEXTHOP_TESTS_SMALL_STRUCTURES_H_

#include <cstdint>
#include <type_traits>

#include "lpm/structures.h"

namespace nexthop::testing {

// `room` Poptrie nodes (any structure with Limits::max_nodes), room * 4
// Dxr6 tree lines, room / 2 Dir24_8 tbl8 groups, room * 4 PatriciaTrie (or
// PatriciaTrie6) nodes; structures without limits as they are.
template <typename T>
T MakeSmall(uint32_t room = 2) {
  if constexpr (std::is_same_v<T, Dir24_8>) {
    return T(/*max_groups=*/room / 2);
  } else if constexpr (std::is_same_v<T, PatriciaTrie> ||
                       std::is_same_v<T, PatriciaTrie6>) {
    return T(/*max_nodes=*/room * 4);
  } else if constexpr (std::is_same_v<T, Dxr6>) {
    typename T::Limits limits;
    limits.max_lines = room * 4;
    return T(limits);
  } else if constexpr (requires { typename T::Limits; }) {
    typename T::Limits limits;
    limits.max_nodes = room;
    return T(limits);
  } else {
    return T();
  }
}

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_SMALL_STRUCTURES_H_
