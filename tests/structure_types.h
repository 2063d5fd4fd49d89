// lpm/structures.h's list as GoogleTest's type list, so that typed suites
// run every structure without listing them again.
#ifndef NEXTHOP_TESTS_STRUCTURE_TYPES_H_
#define NEXTHOP_TESTS_STRUCTURE_TYPES_H_

#include <type_traits>

#include "gtest/gtest.h"
#include "lpm/structures.h"

namespace nexthop::testing {

template <typename List>
struct GTestTypesOf;
template <typename... T>
struct GTestTypesOf<StructureList<T...>> {
  using type = ::testing::Types<T...>;
};

using AllIpv4Structures = GTestTypesOf<Ipv4Structures>::type;

// A structure whose resource limits a test can reach: `room` Poptrie
// nodes, room / 2 Dir24_8 tbl8 groups; structures without limits as they
// are.
template <typename T>
T MakeSmall(uint32_t room = 2) {
  if constexpr (std::is_same_v<T, Dir24_8>) {
    return T(/*max_groups=*/room / 2);
  } else if constexpr (requires { typename T::Limits; }) {
    typename T::Limits limits;
    limits.max_nodes = room;
    return T(limits);
  } else {
    return T();
  }
}

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_STRUCTURE_TYPES_H_
