// Differential: random insert/erase/lookup sequences on every LPM structure
// and the golden table; abort on the first disagreement. Dir24_8 has only a
// few tbl8 groups, so running out (ResourceExhausted, nothing changed) is
// exercised too.
#include <cstdio>
#include <cstdlib>

#include "lpm/dir24_8.h"
#include "lpm/linear_table.h"
#include "lpm/patricia_trie.h"
#include "lpm/poptrie.h"
#include "tests/golden_table.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "disagreement: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nexthop;
  // One Dir24_8 for the whole run (a fresh one costs a 64 MiB clear); each
  // input erases everything it inserted, which must leave it empty.
  static Dir24_8* dir = new Dir24_8(/*max_groups=*/4);
  // Poptrie likewise (a fresh one clears 6 MiB), with room for a handful
  // of nodes so that its all-or-nothing ResourceExhausted path runs too.
  static Poptrie* pop = [] {
    Poptrie::Limits limits;
    limits.max_nodes = 24;
    return new Poptrie(limits);
  }();
  LinearTable linear;
  PatriciaTrie patricia;
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
    const Prefix p = Prefix::Canonical(Ipv4Address(a), len);
    const NextHopId nh = data[i + 6];
    if (op == 0) {
      const absl::Status s = dir->Insert(p, nh);
      if (s.code() == absl::StatusCode::kResourceExhausted) {
        Check(!dir->rib().ExactMatch(p) || golden.Contains(p),
              "failed insert changed the RIB");
        continue;
      }
      Check(s.ok(), "dir24_8 insert");
      const absl::Status ps = pop->Insert(p, nh);
      if (ps.code() == absl::StatusCode::kResourceExhausted) {
        // Undo Dir24_8's insert so that all structures stay equal.
        auto old = golden.routes().find(p);
        Check(old != golden.routes().end() ? dir->Insert(p, old->second).ok()
                                           : dir->Erase(p).ok(),
              "dir24_8 undo");
        continue;
      }
      Check(ps.ok(), "poptrie insert");
      Check(linear.Insert(p, nh).ok() && patricia.Insert(p, nh).ok(), "insert");
      golden.Insert(p, nh);
    } else if (op == 1) {
      const bool had = golden.Contains(p);
      Check(dir->Erase(p).ok() == had, "dir24_8 erase");
      const absl::Status ps = pop->Erase(p);
      if (ps.code() == absl::StatusCode::kResourceExhausted) {
        // Poptrie's erase rebuilds a chunk into fresh memory, so at its
        // limits it can fail (changing nothing): put it back in Dir24_8.
        Check(dir->Insert(p, golden.routes().at(p)).ok(),
              "re-insert after a failed poptrie erase");
        continue;
      }
      Check(ps.ok() == had, "poptrie erase");
      golden.Erase(p);
      Check(linear.Erase(p).ok() == had, "linear erase");
      Check(patricia.Erase(p).ok() == had, "patricia erase");
    } else {
      const Ipv4Address addr(a);
      const std::optional<LpmMatch> want = golden.LookupMatch(addr);
      Check(dir->LookupMatch(addr) == want, "dir24_8 lookup");
      Check(pop->LookupMatch(addr) == want, "poptrie lookup");
      NextHopId batch_out[1];
      pop->LookupBatch(std::span<const Ipv4Address>(&addr, 1), batch_out);
      Check(batch_out[0] == (want ? want->next_hop : kNoRoute), "poptrie batch");
      Check(linear.LookupMatch(addr) == want, "linear lookup");
      Check(patricia.LookupMatch(addr) == want, "patricia lookup");
    }
    Check(dir->size() == golden.size() && pop->size() == golden.size() &&
              linear.size() == golden.size() &&
              patricia.size() == golden.size(),
          "size");
  }
  Check(patricia.CheckInvariants().ok(), "patricia invariants");
  Check(dir->rib().CheckInvariants().ok(), "dir24_8 rib invariants");
  Check(pop->CheckInvariants().ok(), "poptrie invariants");
  std::vector<Prefix> left;
  for (const auto& [p, nh] : golden.routes()) left.push_back(p);
  for (const Prefix& p : left) {
    Check(dir->Erase(p).ok(), "dir24_8 erase at the end");
    const absl::Status s = pop->Erase(p);
    Check(s.ok() || s.code() == absl::StatusCode::kResourceExhausted,
          "poptrie erase at the end");
  }
  if (pop->size() != 0) {  // an erase at the limits failed: start afresh
    Poptrie::Limits limits;
    limits.max_nodes = 24;
    *pop = Poptrie(limits);
  }
  Check(pop->node_count() == 0, "poptrie not empty after erasing all");
  Check(dir->size() == 0 && dir->groups_in_use() == 0,
        "dir24_8 not empty after erasing all");
  Check(!dir->LookupMatch(Ipv4Address(0x0A000001)).has_value(),
        "dir24_8 answers when empty");
  return 0;
}
