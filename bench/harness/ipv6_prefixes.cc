#include "bench/harness/ipv6_prefixes.h"

#include <zlib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace nexthop::bench {

absl::StatusOr<std::vector<Ipv6Prefix>> ReadIpv6Prefixes(
    const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  }
  std::vector<Ipv6Prefix> out;
  char line[256];
  for (int number = 1; gzgets(f, line, sizeof(line)) != nullptr; ++number) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.find(':') == absl::string_view::npos || text[0] == '#') continue;
    absl::StatusOr<Ipv6Prefix> p = Ipv6Prefix::Parse(text);
    if (!p.ok()) {
      gzclose(f);
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": ", p.status().message()));
    }
    out.push_back(*p);
  }
  if (gzclose(f) != Z_OK) {
    return absl::DataLossError(absl::StrCat(path, ": cannot read"));
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no IPv6 prefixes"));
  }
  return out;
}

}  // namespace nexthop::bench
