#include "tools/table_io.h"

#include <iostream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace nexthop::tools {

absl::StatusOr<LoadedTable> LoadTable(const std::string& path,
                                      const std::string& format,
                                      const std::string& algo, bool strict) {
  absl::StatusOr<RouteFormat> f =
      ParseFormatName(format.empty() ? "auto" : format);
  if (!f.ok()) return f.status();
  absl::StatusOr<AnyLpm> lpm = AnyLpm::Create(algo);
  if (!lpm.ok()) return lpm.status();
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
  LoadedTable table{*std::move(load), Fib<AnyLpm>(*std::move(lpm))};
  size_t failed = 0;
  if (absl::Status s = table.fib.Add(table.load.routes, &failed); !s.ok()) {
    return absl::Status(
        s.code(), absl::StrCat(path == "-" ? "<stdin>" : path, ":",
                               table.load.lines[failed], ": ", s.message()));
  }
  return table;
}

}  // namespace nexthop::tools
