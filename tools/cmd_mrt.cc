// nexthop mrt FILE...: MRT files as `bgpdump -m` prints them.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "rib/mrt_reader.h"
#include "rib/mrt_text.h"
#include "tools/commands.h"

namespace nexthop::tools {

int RunMrt(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << "usage: nexthop mrt FILE...\n";
    return 2;
  }
  for (const std::string& path : args) {
    absl::StatusOr<mrt::Reader> reader = mrt::Reader::Open(path);
    if (!reader.ok()) return Fail(1, std::string(reader.status().message()));
    if (!reader->bytes().empty() && !mrt::LooksLikeMrt(reader->bytes())) {
      return Fail(1, path + ": not an MRT file (no MRT record header)");
    }
    mrt::Record record;
    while (true) {
      absl::StatusOr<bool> more = reader->Next(record);
      if (!more.ok()) {
        std::cout.flush();
        return Fail(1, std::string(more.status().message()));
      }
      if (!*more) break;
      for (const std::string& line : mrt::BgpdumpLines(record)) {
        std::cout << line << '\n';
      }
    }
    for (const auto& [why, n] : reader->stats().skipped) {
      std::cerr << path << ": skipped " << n << " " << why << "\n";
    }
  }
  return std::cout.flush() ? 0 : 1;
}

}  // namespace nexthop::tools
