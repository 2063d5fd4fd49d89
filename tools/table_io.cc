#include "tools/table_io.h"

#include <iostream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace nexthop::tools {

absl::StatusOr<LoadedTable> LoadTable(const std::string& path,
                                      const std::string& format,
                                      const std::string& algo,
                                      const std::string& algo6, bool strict) {
  absl::StatusOr<RouteFormat> f =
      ParseFormatName(format.empty() ? "auto" : format);
  if (!f.ok()) return f.status();
  absl::StatusOr<AnyLpm> lpm = AnyLpm::Create(algo);
  if (!lpm.ok()) return lpm.status();
  absl::StatusOr<AnyLpm6> lpm6 = AnyLpm6::Create(algo6);
  if (!lpm6.ok()) return lpm6.status();
  const LoadOptions options{.format = *f, .strict = strict};
  absl::StatusOr<LoadResult> load;
  if (path == "-") {
    // The table from standard input (then the addresses come from the
    // arguments).
    std::string text((std::istreambuf_iterator<char>(std::cin)),
                     std::istreambuf_iterator<char>());
    load = ParseRoutes(text, "<stdin>", options);
  } else {
    load = LoadRouteFile(path, options);
  }
  if (!load.ok()) return load.status();
  for (const std::string& w : load->warnings) std::cerr << w << "\n";
  LoadedTable table{*std::move(load), DualFib<AnyLpm, AnyLpm6>(
                                          *std::move(lpm), *std::move(lpm6))};
  const LoadResult& l = table.load;
  size_t failed = 0;
  if (absl::Status s = table.fib.Add(l.routes, l.routes6, &failed); !s.ok()) {
    // DualFib counts the IPv4 routes first.
    const int line = failed < l.routes.size()
                         ? l.lines[failed]
                         : l.lines6[failed - l.routes.size()];
    return absl::Status(s.code(), absl::StrCat(path == "-" ? "<stdin>" : path,
                                               ":", line, ": ", s.message()));
  }
  return table;
}

}  // namespace nexthop::tools
