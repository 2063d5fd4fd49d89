// Differential: random insert/erase/lookup sequences on every LPM structure
// of lpm/structures.h, each beside its own golden table; abort on the first
// disagreement. Structures with resource limits get small ones, so running
// out (ResourceExhausted, which must change nothing) is exercised too: the
// golden table is left alone on a refused operation, so any change the
// refusal made shows up as a wrong answer later.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "lpm/structures.h"
#include "tests/golden_table.h"
#include "tests/small_structures.h"

namespace {

using namespace nexthop;

void Check(bool ok, const char* name, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "disagreement: %s %s\n", name, what);
    std::abort();
  }
}

// A few Dir24_8 groups, a few dozen Poptrie nodes.
template <typename T>
std::unique_ptr<T> Small() {
  return std::make_unique<T>(testing::MakeSmall<T>(/*room=*/24));
}

// One structure's run. Big structures (a fresh Dir24_8 clears 64 MiB) are
// kept across inputs; each input erases what it inserted, which must leave
// the structure empty.
template <typename T>
void RunOne(const uint8_t* data, size_t size) {
  static std::unique_ptr<T> t = Small<T>();
  const char* name = T::kName.data();
  testing::GoldenTable golden;
  // Each operation: op, 4 address bytes, length byte, next-hop byte.
  for (size_t i = 0; i + 7 <= size; i += 7) {
    const uint8_t op = data[i] % 3;
    const uint32_t a = static_cast<uint32_t>(data[i + 1]) << 24 |
                       data[i + 2] << 16 | data[i + 3] << 8 | data[i + 4];
    // /8 to /32 only: a shorter prefix covers millions of tbl24 slots, and
    // under the fuzzer's compare tracing one such insert takes a second.
    // The conformance suite covers /0 to /7 (RandomInterleavedOperations).
    const int len = 8 + data[i + 5] % 25;
    const Ipv4Prefix p = Ipv4Prefix::Canonical(Ipv4Address(a), len);
    const NextHopId nh = data[i + 6];
    if (op == 0) {
      const absl::Status s = t->Insert(p, nh);
      if (s.code() == absl::StatusCode::kResourceExhausted) continue;
      Check(s.ok(), name, "insert");
      golden.Insert(p, nh);
    } else if (op == 1) {
      const absl::Status s = t->Erase(p);
      if (s.code() == absl::StatusCode::kResourceExhausted) continue;
      Check(s.ok() == golden.Erase(p), name, "erase");
    } else {
      const Ipv4Address addr(a);
      const std::optional<LpmMatch<Ipv4>> want = golden.LookupMatch(addr);
      Check(t->LookupMatch(addr) == want, name, "lookup match");
      Check(t->Lookup(addr) == (want ? want->next_hop : kNoRoute), name,
            "lookup");
      NextHopId batch_out[1];
      t->LookupBatch(std::span<const Ipv4Address>(&addr, 1), batch_out);
      Check(batch_out[0] == (want ? want->next_hop : kNoRoute), name, "batch");
    }
    Check(t->size() == golden.size(), name, "size");
  }
  if constexpr (requires { t->CheckInvariants(); }) {
    Check(t->CheckInvariants().ok(), name, "invariants");
  }
  for (const auto& [p, unused] : golden.routes()) {
    const absl::Status s = t->Erase(p);
    Check(s.ok() || s.code() == absl::StatusCode::kResourceExhausted, name,
          "erase at the end");
  }
  // An erase at the limits can be refused (Poptrie rebuilds a chunk into
  // fresh memory): start afresh then.
  if (t->size() != 0) t = Small<T>();
  Check(t->size() == 0 && !t->LookupMatch(Ipv4Address(0x0A000001)).has_value(),
        name, "not empty after erasing all");
  if constexpr (requires { t->groups_in_use(); }) {
    Check(t->groups_in_use() == 0, name, "groups left after erasing all");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ForEachStructure<Ipv4Structures>(
      [&]<typename T>() { RunOne<T>(data, size); });
  return 0;
}
