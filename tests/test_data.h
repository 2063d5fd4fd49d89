// Where tests find the project's files, and the bundled real table.
#ifndef NEXTHOP_TESTS_TEST_DATA_H_
#define NEXTHOP_TESTS_TEST_DATA_H_

#include <string>
#include <vector>

#include "net/ipv4.h"
#include "net/ipv6.h"

namespace nexthop::testing {

inline std::string SourcePath(const std::string& relative) {
  return std::string(NEXTHOP_SOURCE_DIR) + "/" + relative;
}

// The IPv4 prefixes of bench/data/bgp-tier1-2024.txt.gz, loaded once by
// the route loader.
const std::vector<Ipv4Prefix>& RealTablePrefixes();
// Its IPv6 prefixes (160,147), from the same load.
const std::vector<Ipv6Prefix>& RealTableIpv6Prefixes();

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_TEST_DATA_H_
