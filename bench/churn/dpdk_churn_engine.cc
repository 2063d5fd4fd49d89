// DPDK peers of the churn replay. rte_lpm_rcu_qsbr_add is experimental in
// DPDK 22.11, so this file is compiled with ALLOW_EXPERIMENTAL_API.
#include "absl/strings/str_cat.h"
#include "bench/churn/churn_engine.h"
#include "bench/harness/dpdk_eal.h"

#ifdef NEXTHOP_HAVE_DPDK
#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_lpm.h>
#include <rte_rcu_qsbr.h>

#include <cstdlib>
#endif

namespace nexthop::bench {

#ifndef NEXTHOP_HAVE_DPDK
absl::StatusOr<std::unique_ptr<ChurnEngine>> MakeDpdkChurnEngine(
    const std::string& name, int) {
  return absl::UnavailableError(
      absl::StrCat(name,
                   " skipped: nexthop was built without DPDK (bash "
                   "scripts/install-deps.sh --with-dpdk, then rebuild)"));
}
#else
namespace {

constexpr uint64_t kFibMiss = 0x7FFFFFFF;
constexpr uint32_t kMaxRoutes = 1 << 20;  // a full table (901,899) and growth
int counter = 0;

absl::Status Checked(int r, const char* call, Ipv4Prefix p) {
  if (r >= 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(call, " ", p.ToString(), ": ", r));
}

// rte_fib: DIR24_8 with its own RIB (rte_rib); tbl8 groups are freed at
// once, so no reader may run beside the writer.
class RteFibChurn final : public ChurnEngine {
 public:
  ~RteFibChurn() override { Free(); }
  std::string name() const override { return "rte_fib"; }
  bool concurrent_readers() const override { return false; }
  NextHopId max_next_hop() const override { return kFibMiss - 1; }
  absl::Status Reset() override {
    Free();
    rte_fib_conf conf{};
    conf.type = RTE_FIB_DIR24_8;
    conf.default_nh = kFibMiss;
    conf.max_routes = kMaxRoutes;
    conf.dir24_8.nh_sz = RTE_FIB_DIR24_8_4B;
    conf.dir24_8.num_tbl8 = 1 << 15;
    fib_ = rte_fib_create(absl::StrCat("churnfib", counter++).c_str(),
                          SOCKET_ID_ANY, &conf);
    if (fib_ == nullptr) {
      return DpdkCreateError("rte_fib_create");
    }
    return absl::OkStatus();
  }
  absl::Status Apply(std::span<const FibOp> ops) override {
    for (const FibOp& op : ops) {
      absl::Status s =
          op.next_hop == kNoRoute
              ? Checked(rte_fib_delete(fib_, op.prefix.network().value(),
                                       op.prefix.length()),
                        "rte_fib_delete", op.prefix)
              : Add(op.prefix, op.next_hop);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  void ReaderLoop(int, const ReaderOptions&, ReaderSlot&,
                  const std::atomic<bool>&) const override {
    std::abort();  // concurrent_readers() is false
  }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const override {
    std::vector<uint64_t> nh(in.size());
    rte_fib_lookup_bulk(
        fib_,
        const_cast<uint32_t*>(reinterpret_cast<const uint32_t*>(in.data())),
        nh.data(), static_cast<unsigned>(in.size()));
    for (size_t i = 0; i < in.size(); ++i) {
      out[i] = nh[i] == kFibMiss ? kNoRoute : static_cast<NextHopId>(nh[i]);
    }
  }

 private:
  absl::Status Add(Ipv4Prefix p, NextHopId nh) {
    return Checked(rte_fib_add(fib_, p.network().value(),
                               static_cast<uint8_t>(p.length()), nh),
                   "rte_fib_add", p);
  }
  void Free() {
    if (fib_ != nullptr) rte_fib_free(fib_);
    fib_ = nullptr;
  }
  rte_fib* fib_ = nullptr;
};

// rte_lpm with its tbl8 groups reclaimed through an rte_rcu_qsbr variable
// (defer-queue mode, DPDK's default) that the readers report to.
class RteLpmChurn final : public ChurnEngine {
 public:
  explicit RteLpmChurn(int max_readers) : max_readers_(max_readers) {
    const size_t size = rte_rcu_qsbr_get_memsize(max_readers_);
    qsbr_ = static_cast<rte_rcu_qsbr*>(std::aligned_alloc(
        RTE_CACHE_LINE_SIZE, (size + RTE_CACHE_LINE_SIZE - 1) /
                                 RTE_CACHE_LINE_SIZE * RTE_CACHE_LINE_SIZE));
  }
  ~RteLpmChurn() override {
    Free();
    std::free(qsbr_);
  }
  std::string name() const override { return "rte_lpm"; }
  bool concurrent_readers() const override { return true; }
  NextHopId max_next_hop() const override { return (1u << 24) - 1; }
  absl::Status Reset() override {
    Free();
    if (rte_rcu_qsbr_init(qsbr_, max_readers_) != 0) {
      return absl::InternalError("rte_rcu_qsbr_init failed");
    }
    rte_lpm_config conf{};
    conf.max_rules = kMaxRoutes;
    conf.number_tbl8s = 1 << 16;
    lpm_ = rte_lpm_create(absl::StrCat("churnlpm", counter++).c_str(),
                          SOCKET_ID_ANY, &conf);
    if (lpm_ == nullptr) {
      return DpdkCreateError("rte_lpm_create");
    }
    rte_lpm_rcu_config rcu{};
    rcu.v = qsbr_;
    rcu.mode = RTE_LPM_QSBR_MODE_DQ;
    if (rte_lpm_rcu_qsbr_add(lpm_, &rcu) != 0) {
      return absl::InternalError(
          absl::StrCat("rte_lpm_rcu_qsbr_add: ", rte_strerror(rte_errno)));
    }
    return absl::OkStatus();
  }
  // rte_lpm takes depths 1-32: a default route is left out (the fresh
  // build the check compares with leaves it out too).
  absl::Status Apply(std::span<const FibOp> ops) override {
    for (const FibOp& op : ops) {
      if (op.prefix.length() == 0) continue;
      absl::Status s =
          op.next_hop == kNoRoute
              ? Checked(rte_lpm_delete(lpm_, op.prefix.network().value(),
                                       op.prefix.length()),
                        "rte_lpm_delete", op.prefix)
              : Add(op.prefix, op.next_hop);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  void ReaderLoop(int thread_index, const ReaderOptions& o, ReaderSlot& slot,
                  const std::atomic<bool>& stop) const override {
    const unsigned id = static_cast<unsigned>(thread_index);
    rte_rcu_qsbr_thread_register(qsbr_, id);
    rte_rcu_qsbr_thread_online(qsbr_, id);
    RunReaderLoop(
        o, slot, stop,
        [&](std::span<const Ipv4Address> in, std::span<NextHopId> out) {
          // Ipv4Address is a uint32_t in host order, as rte_lpm wants.
          rte_lpm_lookup_bulk(lpm_,
                              reinterpret_cast<const uint32_t*>(in.data()),
                              out.data(), static_cast<unsigned>(in.size()));
        },
        [&] { rte_rcu_qsbr_quiescent(qsbr_, id); });
    rte_rcu_qsbr_thread_offline(qsbr_, id);
    rte_rcu_qsbr_thread_unregister(qsbr_, id);
  }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const override {
    for (size_t i = 0; i < in.size(); ++i) {
      uint32_t nh;
      out[i] = rte_lpm_lookup(lpm_, in[i].value(), &nh) == 0 ? nh : kNoRoute;
    }
  }

 private:
  absl::Status Add(Ipv4Prefix p, NextHopId nh) {
    if (p.length() == 0) return absl::OkStatus();  // see Apply
    return Checked(rte_lpm_add(lpm_, p.network().value(),
                               static_cast<uint8_t>(p.length()), nh),
                   "rte_lpm_add", p);
  }
  void Free() {
    if (lpm_ != nullptr) rte_lpm_free(lpm_);
    lpm_ = nullptr;
  }
  int max_readers_;
  rte_rcu_qsbr* qsbr_ = nullptr;
  rte_lpm* lpm_ = nullptr;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ChurnEngine>> MakeDpdkChurnEngine(
    const std::string& name, int max_readers) {
  if (absl::StatusOr<const DpdkEal*> eal = StartDpdk(); !eal.ok())
    return eal.status();
  if (name == "rte_fib") return std::unique_ptr<ChurnEngine>(new RteFibChurn);
  if (name == "rte_lpm") {
    return std::unique_ptr<ChurnEngine>(new RteLpmChurn(max_readers));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("no DPDK engine '", name, "'"));
}
#endif

}  // namespace nexthop::bench
