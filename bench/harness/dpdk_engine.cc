// DPDK peers: rte_fib (DIR24_8) and rte_lpm, when built with libdpdk.
#include "absl/strings/str_cat.h"
#include "bench/harness/dpdk_eal.h"
#include "bench/harness/engine.h"
#include "bench/harness/pages.h"

#ifdef NEXTHOP_HAVE_DPDK
#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_lpm.h>
#endif

namespace nexthop::bench {

#ifndef NEXTHOP_HAVE_DPDK
absl::StatusOr<std::unique_ptr<Engine>> MakeDpdkEngine(
    const std::string& name) {
  return absl::UnavailableError(absl::StrCat(name, ": built without DPDK"));
}
#else
namespace {

// A DPDK update call's negative errno as a status naming the call and route.
absl::Status Checked(int r, const char* call, Ipv4Prefix p) {
  if (r >= 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(call, " ", p.ToString(), ": ", r));
}

// rte_fib's "default next hop" (4 bytes): what a miss answers.
constexpr uint64_t kFibMiss = 0x7FFFFFFF;
constexpr uint32_t kMaxRoutes = 1 << 20;  // a full table (901,899) and growth
int counter = 0;

class RteFibEngine final : public Engine {
 public:
  ~RteFibEngine() override { Free(); }
  std::string name() const override { return "rte_fib"; }
  absl::Status Reset() override {
    Free();
    rte_fib_conf conf{};
    conf.type = RTE_FIB_DIR24_8;
    conf.default_nh = kFibMiss;
    conf.max_routes = kMaxRoutes;
    conf.dir24_8.nh_sz = RTE_FIB_DIR24_8_4B;
    conf.dir24_8.num_tbl8 = 1 << 15;
    num_tbl8_ = conf.dir24_8.num_tbl8;
    fib_ = rte_fib_create(absl::StrCat("fib", counter++).c_str(), SOCKET_ID_ANY,
                          &conf);
    if (fib_ == nullptr) {
      return DpdkCreateError("rte_fib_create");
    }
    // Its fastest lookup, as a user on this CPU would pick it: AVX-512
    // where the CPU has it and the EAL allows 512-bit vectors.
    const int r =
        rte_fib_select_lookup(fib_, RTE_FIB_LOOKUP_DIR24_8_VECTOR_AVX512);
    lookup_ = r == 0 ? "AVX-512 lookup"
                     : absl::StrCat("scalar lookup (AVX-512 refused: ", r, ")");
    return absl::OkStatus();
  }
  std::string pages() const override {
    return DescribePages(UseAt(ReadSmaps(), fib_));
  }
  std::string detail() const override { return lookup_; }
  absl::Status Insert(Ipv4Prefix p, NextHopId nh) override {
    return Checked(rte_fib_add(fib_, p.network().value(),
                               static_cast<uint8_t>(p.length()), nh),
                   "rte_fib_add", p);
  }
  absl::Status Erase(Ipv4Prefix p) override {
    return Checked(rte_fib_delete(fib_, p.network().value(),
                                  static_cast<uint8_t>(p.length())),
                   "rte_fib_delete", p);
  }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const override {
    std::vector<uint64_t> nh(in.size());
    rte_fib_lookup_bulk(
        fib_,
        const_cast<uint32_t*>(reinterpret_cast<const uint32_t*>(in.data())),
        nh.data(), static_cast<unsigned>(in.size()));
    for (size_t i = 0; i < std::min(in.size(), out.size()); ++i) {
      out[i] = nh[i] == kFibMiss ? kNoRoute : static_cast<NextHopId>(nh[i]);
    }
  }
  uint64_t RunSingle(std::span<const Ipv4Address> addrs,
                     size_t rounds) const override {
    // rte_fib has no single lookup: a bulk call of one address.
    uint64_t sum = 0;
    for (size_t r = 0; r < rounds; ++r) {
      for (Ipv4Address a : addrs) {
        uint32_t ip = a.value();
        uint64_t nh;
        rte_fib_lookup_bulk(fib_, &ip, &nh, 1);
        sum += nh;
      }
    }
    return sum;
  }
  uint64_t RunBatch(std::span<const Ipv4Address> addrs, size_t batch,
                    size_t rounds) const override {
    uint64_t sum = 0;
    std::vector<uint64_t> out(batch);
    uint32_t* ips =
        const_cast<uint32_t*>(reinterpret_cast<const uint32_t*>(addrs.data()));
    for (size_t r = 0; r < rounds; ++r) {
      for (size_t i = 0; i + batch <= addrs.size(); i += batch) {
        rte_fib_lookup_bulk(fib_, ips + i, out.data(),
                            static_cast<unsigned>(batch));
        sum += out[0] + out[batch - 1];
      }
    }
    return sum;
  }
  size_t MemoryBytes() const override {
    // tbl24 (2^24 4-byte entries) and the tbl8 pool, as configured; the RIB
    // is not counted (DPDK does not report it).
    return (size_t{1} << 24) * 4 + size_t{num_tbl8_} * 256 * 4;
  }

 private:
  void Free() {
    if (fib_ != nullptr) rte_fib_free(fib_);
    fib_ = nullptr;
  }
  rte_fib* fib_ = nullptr;
  uint32_t num_tbl8_ = 0;
  std::string lookup_;
};

class RteLpmEngine final : public Engine {
 public:
  ~RteLpmEngine() override { Free(); }
  std::string name() const override { return "rte_lpm"; }
  bool fast_updates() const override { return false; }
  absl::Status Reset() override {
    Free();
    rte_lpm_config conf{};
    conf.max_rules = kMaxRoutes;
    conf.number_tbl8s = 1 << 16;
    num_tbl8_ = conf.number_tbl8s;
    lpm_ = rte_lpm_create(absl::StrCat("lpm", counter++).c_str(), SOCKET_ID_ANY,
                          &conf);
    if (lpm_ == nullptr) {
      return DpdkCreateError("rte_lpm_create");
    }
    return absl::OkStatus();
  }
  std::string pages() const override {
    return DescribePages(UseAt(ReadSmaps(), lpm_));
  }
  absl::Status Insert(Ipv4Prefix p, NextHopId nh) override {
    return Checked(rte_lpm_add(lpm_, p.network().value(),
                               static_cast<uint8_t>(p.length()), nh),
                   "rte_lpm_add", p);
  }
  absl::Status Erase(Ipv4Prefix p) override {
    return Checked(rte_lpm_delete(lpm_, p.network().value(),
                                  static_cast<uint8_t>(p.length())),
                   "rte_lpm_delete", p);
  }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const override {
    for (size_t i = 0; i < std::min(in.size(), out.size()); ++i) {
      uint32_t nh;
      out[i] = rte_lpm_lookup(lpm_, in[i].value(), &nh) == 0 ? nh : kNoRoute;
    }
  }
  uint64_t RunSingle(std::span<const Ipv4Address> addrs,
                     size_t rounds) const override {
    uint64_t sum = 0;
    for (size_t r = 0; r < rounds; ++r) {
      for (Ipv4Address a : addrs) {
        uint32_t nh = 0;
        rte_lpm_lookup(lpm_, a.value(), &nh);
        sum += nh;
      }
    }
    return sum;
  }
  uint64_t RunBatch(std::span<const Ipv4Address> addrs, size_t batch,
                    size_t rounds) const override {
    uint64_t sum = 0;
    std::vector<uint32_t> out(batch);
    const uint32_t* ips = reinterpret_cast<const uint32_t*>(addrs.data());
    for (size_t r = 0; r < rounds; ++r) {
      for (size_t i = 0; i + batch <= addrs.size(); i += batch) {
        rte_lpm_lookup_bulk(lpm_, ips + i, out.data(),
                            static_cast<unsigned>(batch));
        sum += out[0] + out[batch - 1];
      }
    }
    return sum;
  }
  size_t MemoryBytes() const override {
    return (size_t{1} << 24) * 4 + size_t{num_tbl8_} * 256 * 4;
  }

 private:
  void Free() {
    if (lpm_ != nullptr) rte_lpm_free(lpm_);
    lpm_ = nullptr;
  }
  rte_lpm* lpm_ = nullptr;
  uint32_t num_tbl8_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> MakeDpdkEngine(
    const std::string& name) {
  if (absl::StatusOr<const DpdkEal*> eal = StartDpdk(); !eal.ok())
    return eal.status();
  if (name == "rte_fib") return std::unique_ptr<Engine>(new RteFibEngine);
  if (name == "rte_lpm") return std::unique_ptr<Engine>(new RteLpmEngine);
  return absl::InvalidArgumentError(
      absl::StrCat("no DPDK engine '", name, "'"));
}
#endif

}  // namespace nexthop::bench
