// The MRT reader on arbitrary bytes: no crash, no read out of bounds, every
// error names the input and a record, and whatever decodes is well formed
// (record numbers rise, prefixes are canonical, every announce points at
// attributes of its record) and renders as bgpdump lines. The first byte
// picks the path: bit 0 through a file (so gzip and bzip2 seeds run the
// decompressors and their truncation checks), bit 1 through the route
// loader (auto-detection and the announce/withdraw table) instead of the
// reader.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "rib/mrt_reader.h"
#include "rib/mrt_text.h"
#include "rib/route_loader.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool Canonical(const nexthop::mrt::Prefix& prefix) {
  if (const auto* v4 = std::get_if<nexthop::Ipv4Prefix>(&prefix)) {
    return v4->length() <= 32 &&
           nexthop::Ipv4Prefix::Canonical(v4->network(), v4->length()) == *v4;
  }
  const auto& v6 = std::get<nexthop::Ipv6Prefix>(prefix);
  return v6.length() <= 128 &&
         nexthop::Ipv6Prefix::Canonical(v6.network(), v6.length()) == v6;
}

void ReadAll(nexthop::mrt::Reader& reader, const std::string& source) {
  nexthop::mrt::Record record;
  uint64_t last = 0;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    if (!more.ok()) {
      Check(absl::StartsWith(more.status().message(), source + ": record "));
      return;
    }
    if (!*more) return;
    Check(record.number > last);
    last = record.number;
    for (const nexthop::mrt::Event& e : record.events) {
      Check(Canonical(e.prefix));
      Check(e.attributes < static_cast<int>(record.attributes.size()));
    }
    Check(nexthop::mrt::BgpdumpLines(record).size() == record.events.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool via_file = (data[0] & 1) != 0;
  const bool as_table = (data[0] & 2) != 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const std::string path =
      "/tmp/nexthop-fuzz-mrt-" + std::to_string(getpid());
  if (via_file) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  const std::string source = via_file ? path : "fuzz";
  if (as_table) {
    const nexthop::LoadOptions options{.format = nexthop::RouteFormat::kAuto};
    absl::StatusOr<nexthop::LoadResult> r =
        via_file ? nexthop::LoadRouteFile(path, options)
                 : nexthop::ParseRoutes(bytes, source, options);
    if (!r.ok()) {
      Check(absl::StartsWith(r.status().message(), source + ":"));
      return 0;
    }
    Check(r->routes.size() == r->lines.size());
    return 0;
  }
  if (via_file) {
    absl::StatusOr<nexthop::mrt::Reader> reader =
        nexthop::mrt::Reader::Open(path);
    if (!reader.ok()) {
      Check(absl::StartsWith(reader.status().message(), path + ":"));
      return 0;
    }
    ReadAll(*reader, source);
  } else {
    nexthop::mrt::Reader reader(bytes, source);
    ReadAll(reader, source);
  }
  return 0;
}
