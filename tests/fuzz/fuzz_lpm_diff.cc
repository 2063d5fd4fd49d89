// Differential: random insert/erase/lookup sequences on every LPM structure
// of lpm/structures.h, each beside its own golden table; abort on the first
// disagreement. Structures with resource limits get small ones, so running
// out (ResourceExhausted, which must change nothing) is exercised too: the
// golden table is left alone on a refused operation, so any change the
// refusal made shows up as a wrong answer later.
//
// Speed (issue 13): a 90 s run managed ~1,600 inputs. Per input,
// CheckInvariants read every structure whole (all 16M tbl24 entries of
// Dir24_8, all 256K Poptrie chunks: ~0.3 s under the sanitizers and
// compare tracing), short prefixes made Dir24_8 rewrite up to millions of
// tbl24 slots, and a Poptrie whose final erase was refused was rebuilt
// from scratch (5 MB). Now:
//   - the full CheckInvariants runs on the first input and then on every
//     kFullCheckEvery-th; every input still compares every lookup with
//     the golden table, the answers at both ends of every route left at
//     its end and, after erasing, of every prefix it touched (a digest of
//     the content in O(operations)), and checks that no group, node or
//     leaf is left;
//   - an input's inserts may cover kSlotBudget tbl24 slots in all;
//   - refused final erases are retried while a pass frees something;
//   - neither this target nor nexthop::lpm is built with comparison
//     tracing (-fsanitize-coverage=trace-cmp): it took 40% of the time.
// That gives ~1,050-1,090 inputs per CPU-second under libFuzzer + ASan +
// UBSan (from ~370 a second before the last step; scripts/fuzz.sh).
// The standalone driver (the corpora as regression tests in every build)
// runs the full check on every input.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "lpm/structures.h"
#include "tests/golden_table.h"
#include "tests/small_structures.h"

namespace {

using namespace nexthop;

#ifdef NEXTHOP_FUZZ_STANDALONE
constexpr uint64_t kFullCheckEvery = 1;
#else
constexpr uint64_t kFullCheckEvery = 8192;
#endif

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

// The lowest and highest address of `p`: where a range written one slot
// too far or too short shows.
std::array<Ipv4Address, 2> Ends(Ipv4Prefix p) {
  const uint32_t first = p.network().value();
  return {Ipv4Address(first), Ipv4Address(first | ~p.mask().value())};
}

template <typename T>
void CheckEnds(const T& t, const testing::GoldenTable& golden,
               const std::vector<Ipv4Prefix>& touched, const char* name,
               const char* what) {
  std::vector<Ipv4Address> ends;
  for (Ipv4Prefix p : touched) {
    for (Ipv4Address a : Ends(p)) {
      Check(t.LookupMatch(a) == golden.LookupMatch(a), name, what);
      ends.push_back(a);
    }
  }
  // All of them in one batch too: lanes at every depth, side by side,
  // across the batch code's blocks.
  std::vector<NextHopId> out(ends.size());
  t.LookupBatch(ends, out);
  for (size_t i = 0; i < ends.size(); ++i)
    Check(out[i] == golden.Lookup(ends[i]), name, "batch at a route's ends");
}

// One decoded operation of an input.
struct Op {
  enum Kind { kInsert, kErase, kLookup } kind;
  Ipv4Prefix prefix;  // kLookup: the address is prefix.network() of a /32
  NextHopId next_hop;
};

// Each operation: op, 4 address bytes, length byte, next-hop byte.
std::vector<Op> Decode(const uint8_t* data, size_t size) {
  std::vector<Op> ops;
  ops.reserve(size / 7);
  // Dir24_8 writes one tbl24 slot per /24 a prefix covers (65,536 for a
  // /8), tens of nanoseconds a slot under the sanitizers and compare
  // tracing: a few short prefixes made one input take tens of
  // milliseconds. So the inserts of one input may cover kSlotBudget slots
  // in all, and an insert past the budget is lengthened until it fits
  // (one /12 or sixteen /16 an input at most). The fill code is the same
  // at every length under /24, and Poptrie still gets short routes (/18
  // and shorter) spanning many chunks.
  constexpr uint64_t kSlotBudget = 4096;
  uint64_t slots = 0;
  for (size_t i = 0; i + 7 <= size; i += 7) {
    const uint32_t a = static_cast<uint32_t>(data[i + 1]) << 24 |
                       data[i + 2] << 16 | data[i + 3] << 8 | data[i + 4];
    // /8 to /32 only: a shorter prefix covers millions of tbl24 slots, and
    // under the fuzzer's compare tracing one such insert takes a second.
    // The conformance suite covers /0 to /7 (RandomInterleavedOperations).
    int len = 8 + data[i + 5] % 25;
    const Op::Kind kind = static_cast<Op::Kind>(data[i] % 3);
    if (kind == Op::kLookup) {
      ops.push_back({kind, Ipv4Prefix::Canonical(Ipv4Address(a), 32), 0});
      continue;
    }
    auto cost = [](int l) { return l < 24 ? uint64_t{1} << (24 - l) : 0; };
    if (kind == Op::kInsert) {
      while (slots + cost(len) > kSlotBudget) ++len;
      slots += cost(len);
    }
    ops.push_back(
        {kind, Ipv4Prefix::Canonical(Ipv4Address(a), len), data[i + 6]});
  }
  return ops;
}

// One structure's run. Big structures (a fresh Dir24_8 clears 64 MiB) are
// kept across inputs; each input erases what it inserted, which must leave
// the structure empty.
template <typename T>
void RunOne(const std::vector<Op>& ops, bool full_check) {
  static std::unique_ptr<T> t = Small<T>();
  const char* name = T::kName.data();
  testing::GoldenTable golden;
  std::vector<Ipv4Prefix> touched;  // every prefix inserted or erased
  touched.reserve(ops.size());
  for (const Op& op : ops) {
    const Ipv4Prefix p = op.prefix;
    if (op.kind != Op::kLookup) touched.push_back(p);
    if (op.kind == Op::kInsert) {
      const absl::Status s = t->Insert(p, op.next_hop);
      if (s.code() == absl::StatusCode::kResourceExhausted) continue;
      Check(s.ok(), name, "insert");
      golden.Insert(p, op.next_hop);
    } else if (op.kind == Op::kErase) {
      const absl::Status s = t->Erase(p);
      if (s.code() == absl::StatusCode::kResourceExhausted) continue;
      Check(s.ok() == golden.Erase(p), name, "erase");
    } else {
      const Ipv4Address addr = p.network();
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
  std::vector<Ipv4Prefix> routes;
  for (const auto& [p, unused] : golden.routes()) routes.push_back(p);
  CheckEnds(*t, golden, routes, name, "lookup at a route's ends");
  if constexpr (requires { t->CheckInvariants(); }) {
    if (full_check) Check(t->CheckInvariants().ok(), name, "invariants");
  }
  // Erase everything. An erase at the limits can be refused (Poptrie
  // rebuilds a chunk into fresh memory first): retry the refused ones
  // while a pass frees something, and only when none does start afresh
  // (a new Poptrie initialises 5 MB: ~10 ms under the sanitizers).
  std::vector<Ipv4Prefix> left = routes;
  for (size_t before = 0; !left.empty() && left.size() != before;) {
    before = left.size();
    std::erase_if(left, [&](Ipv4Prefix p) {
      const absl::Status s = t->Erase(p);
      Check(s.ok() || s.code() == absl::StatusCode::kResourceExhausted, name,
            "erase at the end");
      return s.ok();
    });
  }
  if (t->size() != 0) t = Small<T>();
  Check(t->size() == 0 && !t->LookupMatch(Ipv4Address(0x0A000001)).has_value(),
        name, "not empty after erasing all");
  // Cheap structural checks on every input: nothing leaked.
  if constexpr (requires { t->groups_in_use(); }) {
    Check(t->groups_in_use() == 0, name, "groups left after erasing all");
  }
  if constexpr (requires { t->node_count(); }) {
    Check(t->node_count() == 0, name, "nodes left after erasing all");
  }
  if constexpr (requires { t->leaf_count(); }) {
    Check(t->leaf_count() == 0, name, "leaves left after erasing all");
  }
  CheckEnds(*t, testing::GoldenTable(), touched, name,
            "a route left after erasing all");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first input is checked fully, so that a crashing input replayed on
  // its own is.
  static uint64_t inputs = 0;
  const bool full_check = inputs++ % kFullCheckEvery == 0;
  const std::vector<Op> ops = Decode(data, size);
  ForEachStructure<Ipv4Structures>(
      [&]<typename T>() { RunOne<T>(ops, full_check); });
  return 0;
}
