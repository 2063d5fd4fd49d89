// Loading a route table for the CLI: the loader, then a Fib over the
// structure named by --algo, with warnings on stderr.
#ifndef NEXTHOP_TOOLS_TABLE_IO_H_
#define NEXTHOP_TOOLS_TABLE_IO_H_

#include <string>

#include "absl/status/statusor.h"
#include "lpm/any_lpm.h"
#include "rib/fib.h"
#include "rib/route_loader.h"

namespace nexthop::tools {

struct LoadedTable {
  LoadResult load;
  Fib<AnyLpm> fib;
};

// `path` "-" reads the table from stdin ("<stdin>" in messages). Errors
// carry "FILE:LINE: ..." wherever a line is to blame.
absl::StatusOr<LoadedTable> LoadTable(const std::string& path,
                                      const std::string& format,
                                      const std::string& algo, bool strict);

}  // namespace nexthop::tools

#endif  // NEXTHOP_TOOLS_TABLE_IO_H_
