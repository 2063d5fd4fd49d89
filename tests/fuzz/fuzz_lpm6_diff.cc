// Differential, IPv6: random insert/erase/lookup sequences on every IPv6
// structure of lpm/structures.h (Ipv6Structures), each beside its own
// golden table; abort on the first disagreement. Addresses fall in a few
// /20 chunks of 2001::/16 so that routes nest, split nodes and share
// chunks; lengths run 0-128, so short routes (/20 and shorter, which
// rewrite direct entries), node-slot routes and deep ones (past /64) all
// occur. Structures with limits get small ones, so refusals (which must
// change nothing) are exercised: the golden table is left alone on a
// refused operation. Each input erases what it inserted, which must leave
// the structure empty. The full CheckInvariants (every chunk against a
// fresh build) runs on the first input and every kFullCheckEvery-th
// (every input in the standalone driver).
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
constexpr uint64_t kFullCheckEvery = 1024;
#endif

void Check(bool ok, const char* name, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "disagreement: %s %s\n", name, what);
    std::abort();
  }
}

struct Op {
  enum Kind { kInsert, kErase, kLookup } kind;
  Ipv6Prefix prefix;  // kLookup: the address is prefix.network()
  NextHopId next_hop;
};

// Each operation: op, 6 address bytes, length byte, next-hop byte.
std::vector<Op> Decode(const uint8_t* d, size_t size) {
  std::vector<Op> ops;
  // A route of /20 or shorter rewrites Poptrie6's 2^(20 - len) direct
  // entries (a /0: a million, tens of milliseconds under the sanitizers):
  // an input's short routes may cover kChunkBudget entries in all, and one
  // past the budget is lengthened until it fits (the code is the same at
  // every length up to /20; the conformance suite inserts /0 to /20).
  constexpr uint64_t kChunkBudget = 4096;
  uint64_t chunks = 0;
  for (size_t i = 0; i + 9 <= size; i += 9) {
    const uint64_t bits = uint64_t{d[i + 1]} << 40 | uint64_t{d[i + 2]} << 32 |
                          uint64_t{d[i + 3]} << 24 | uint64_t{d[i + 4]} << 16 |
                          uint64_t{d[i + 5]} << 8 | d[i + 6];
    // 2001::/16, the top two of its next four bits from the input: four
    // chunks. The low half repeats the input's bits so that deep routes
    // and lookups meet.
    const uint64_t hi = uint64_t{0x2001} << 48 | (bits & 0x3fff'ffff'ffff);
    const uint64_t lo = bits * 0x9E3779B97F4A7C15u;
    const Ipv6Address a = Ipv6Address::FromHalves(hi, lo);
    const auto kind = static_cast<Op::Kind>(d[i] % 3);
    int len = kind == Op::kLookup ? 128 : d[i + 7] % 129;
    auto cost = [](int l) { return l <= 20 ? uint64_t{1} << (20 - l) : 0; };
    if (kind == Op::kInsert) {
      while (chunks + cost(len) > kChunkBudget) ++len;
      chunks += cost(len);
    }
    ops.push_back({kind, Ipv6Prefix::Canonical(a, len), d[i + 8]});
  }
  return ops;
}

template <typename T>
void RunOne(const std::vector<Op>& ops, bool full_check) {
  static std::unique_ptr<T> t =
      std::make_unique<T>(testing::MakeSmall<T>(/*room=*/64));
  const char* name = T::kName.data();
  testing::GoldenTable6 golden;
  std::vector<Ipv6Prefix> touched;
  for (const Op& op : ops) {
    const Ipv6Prefix& p = op.prefix;
    if (op.kind == Op::kInsert) {
      touched.push_back(p);
      const absl::Status s = t->Insert(p, op.next_hop);
      if (s.code() == absl::StatusCode::kResourceExhausted) continue;
      Check(s.ok(), name, "insert");
      golden.Insert(p, op.next_hop);
    } else if (op.kind == Op::kErase) {
      touched.push_back(p);
      const absl::Status s = t->Erase(p);
      if (s.code() == absl::StatusCode::kResourceExhausted) continue;
      Check(s.ok() == golden.Erase(p), name, "erase");
    } else {
      const Ipv6Address addr = p.network();
      const auto want = golden.LookupMatch(addr);
      Check(t->LookupMatch(addr) == want, name, "lookup match");
      Check(t->Lookup(addr) == (want ? want->next_hop : kNoRoute), name,
            "lookup");
      NextHopId out[1];
      t->LookupBatch(std::span<const Ipv6Address>(&addr, 1), out);
      Check(out[0] == (want ? want->next_hop : kNoRoute), name, "batch");
    }
    Check(t->size() == golden.size(), name, "size");
  }
  // Both ends of every route left and of every prefix touched.
  for (const Ipv6Prefix& p : touched) {
    const auto [mhi, mlo] = Ipv6MaskBits(p.length());
    const Ipv6Address last = Ipv6Address::FromHalves(p.network().hi() | ~mhi,
                                                     p.network().lo() | ~mlo);
    for (const Ipv6Address& a : {p.network(), last}) {
      Check(t->Lookup(a) == golden.Lookup(a), name, "lookup at a route's end");
    }
  }
  if constexpr (requires { t->CheckInvariants(); }) {
    if (full_check) Check(t->CheckInvariants().ok(), name, "invariants");
  }
  std::vector<Ipv6Prefix> left;
  for (const auto& [p, unused] : golden.routes()) left.push_back(p);
  for (size_t before = 0; !left.empty() && left.size() != before;) {
    before = left.size();
    std::erase_if(left, [&](const Ipv6Prefix& p) {
      const absl::Status s = t->Erase(p);
      Check(s.ok() || s.code() == absl::StatusCode::kResourceExhausted, name,
            "erase at the end");
      if (s.ok()) golden.Erase(p);
      return s.ok();
    });
  }
  if (!left.empty()) {
    // Every erase left was refused for room: with limits this small an
    // erase that rebuilds a node needs the new copy before the old one is
    // freed, so a full structure can be stuck. Legal, but only if the
    // refusals changed nothing: the routes left still answer as the golden
    // table does. Then start again from an empty structure.
    Check(t->size() == golden.size(), name, "size when stuck");
    for (const Ipv6Prefix& p : touched) {
      Check(t->Lookup(p.network()) == golden.Lookup(p.network()), name,
            "lookup when stuck");
    }
    t = std::make_unique<T>(testing::MakeSmall<T>(/*room=*/64));
  }
  Check(t->size() == 0, name, "not empty after erasing all");
  if constexpr (requires { t->leaf_count(); }) {
    Check(t->node_count() == 0 && t->leaf_count() == 0, name,
          "nodes or leaves left after erasing all");
  }
  for (const Ipv6Prefix& p : touched) {
    Check(t->Lookup(p.network()) == kNoRoute, name,
          "a route left after erasing all");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static uint64_t inputs = 0;
  const bool full_check = inputs++ % kFullCheckEvery == 0;
  const std::vector<Op> ops = Decode(data, size);
  ForEachStructure<Ipv6Structures>(
      [&]<typename T>() { RunOne<T>(ops, full_check); });
  return 0;
}
