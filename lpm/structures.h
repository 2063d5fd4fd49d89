// The one list of nexthop's LPM structures.
//
// Everything that enumerates structures reads this list: AnyLpm (and so
// `nexthop lookup --algo` and topology files' `lpm NAME`), their help texts,
// nexthop-bench's engines, the typed conformance suite and the differential
// fuzzer. Adding a structure is its own files plus, here, its #include
// and its entry in the list (lpm/ sources are globbed: no CMake edit).
//
// Example:
//   ForEachStructure<Ipv4Structures>([]<LpmStructure T>() {
//     std::cout << T::kName << "\n";
//   });
#ifndef NEXTHOP_LPM_STRUCTURES_H_
#define NEXTHOP_LPM_STRUCTURES_H_

#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_join.h"
#include "lpm/dir24_8.h"
#include "lpm/dxr6.h"
#include "lpm/linear_table.h"
#include "lpm/lpm.h"
#include "lpm/patricia_trie.h"
#include "lpm/poptrie.h"
#include "lpm/poptrie6.h"

namespace nexthop {

template <ConcurrentLpmStructure... T>
struct StructureList {
  static constexpr size_t kSize = sizeof...(T);
};

// In the order help texts list them.
using Ipv4Structures =
    StructureList<LinearTable, PatriciaTrie, Dir24_8, Poptrie>;
// IPv6 (issue 16).
using Ipv6Structures = StructureList<PatriciaTrie6, Poptrie6, Dxr6>;

// The list of a family's structures: StructuresFor<Ipv6> is Ipv6Structures.
template <typename Family>
using StructuresFor =
    std::conditional_t<Family::kBits == 32, Ipv4Structures, Ipv6Structures>;

// Calls fn.template operator()<T>() for every T in the list, in order.
template <typename List, typename Fn>
void ForEachStructure(Fn&& fn) {
  [&]<typename... T>(StructureList<T...>*) {
    (fn.template operator()<T>(), ...);
  }(static_cast<List*>(nullptr));
}

// The names (`T::kName`) of a list, in order.
template <typename List>
std::vector<std::string> StructureNames() {
  std::vector<std::string> names;
  ForEachStructure<List>(
      [&]<typename T>() { names.push_back(std::string(T::kName)); });
  return names;
}

// "linear, patricia, dir24_8 or poptrie", for help texts.
template <typename List>
std::string StructureNamesText() {
  std::vector<std::string> names = StructureNames<List>();
  if (names.size() < 2) return absl::StrJoin(names, "");
  std::string last = names.back();
  names.pop_back();
  return absl::StrCat(absl::StrJoin(names, ", "), " or ", last);
}

}  // namespace nexthop

#endif  // NEXTHOP_LPM_STRUCTURES_H_
