// lpm/structures.h's list as GoogleTest's type list, so that typed suites
// run every structure without listing them again.
#ifndef NEXTHOP_TESTS_STRUCTURE_TYPES_H_
#define NEXTHOP_TESTS_STRUCTURE_TYPES_H_

#include "gtest/gtest.h"
#include "lpm/structures.h"
#include "tests/small_structures.h"  // IWYU pragma: export

namespace nexthop::testing {

template <typename List>
struct GTestTypesOf;
template <typename... T>
struct GTestTypesOf<StructureList<T...>> {
  using type = ::testing::Types<T...>;
};

using AllIpv4Structures = GTestTypesOf<Ipv4Structures>::type;
using AllIpv6Structures = GTestTypesOf<Ipv6Structures>::type;

template <typename A, typename B>
struct Concat;
template <typename... A, typename... B>
struct Concat<StructureList<A...>, StructureList<B...>> {
  using type = ::testing::Types<A..., B...>;
};
// Both families, for suites written over T::Family.
using AllStructures = Concat<Ipv4Structures, Ipv6Structures>::type;

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_STRUCTURE_TYPES_H_
