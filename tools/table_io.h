// Loading a route table for the CLI: the loader, then a dual-stack Fib over
// the IPv4 structure named by --algo and the IPv6 one named by --algo6,
// with warnings on stderr.
#ifndef NEXTHOP_TOOLS_TABLE_IO_H_
#define NEXTHOP_TOOLS_TABLE_IO_H_

#include <string>

#include "absl/status/statusor.h"
#include "lpm/any_lpm.h"
#include "rib/dual_fib.h"
#include "rib/route_loader.h"

namespace nexthop::tools {

struct LoadedTable {
  LoadResult load;
  DualFib<AnyLpm, AnyLpm6> fib;
};

// `path` "-" reads the table from stdin ("<stdin>" in messages). Errors
// carry "FILE:LINE: ..." wherever a line is to blame.
absl::StatusOr<LoadedTable> LoadTable(const std::string& path,
                                      const std::string& format,
                                      const std::string& algo,
                                      const std::string& algo6, bool strict);

}  // namespace nexthop::tools

#endif  // NEXTHOP_TOOLS_TABLE_IO_H_
