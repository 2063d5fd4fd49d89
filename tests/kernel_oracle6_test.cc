// The Linux kernel as the oracle for the IPv6 structures (issue 16): the
// bundled table's 160,147 IPv6 prefixes are loaded into a network
// namespace the test creates (`ip -6 route add PREFIX via GATEWAY dev
// veth0`, one end of a veth pair: this kernel has no dummy links), then
// `ip -6 route get` answers for 10,000 addresses (half inside announced
// prefixes, half uniform over 2000::/3) and every structure of
// Ipv6Structures must pick the same gateway, or none where the kernel
// says the network is unreachable. Nothing is sent: route lookups only.
// Needs root and network namespaces; skipped with the reason otherwise.
// The namespace is removed when the test ends, also on failure.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "lpm/structures.h"
#include "tests/netns.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using testing::Netns;
using testing::Shell;

constexpr int kGateways = 16;
std::string Gateway(NextHopId nh) { return absl::StrCat("fd00:6::", nh + 1); }

TEST(KernelOracle6Test, RouteGetAgreesWithEveryIpv6Structure) {
  Netns ns(absl::StrCat("nh-oracle6-", getpid()));
  if (std::string why = ns.Create(); !why.empty()) GTEST_SKIP() << why;
  const std::string ip = ns.Ip();
  // One end of a veth pair, up, with an on-link /64 for the gateways.
  for (const std::string& c :
       {ip + "link add veth0 type veth peer name veth1",
        ip + "link set veth0 up", ip + "link set veth1 up",
        ip + "-6 addr add fd00:6::ffff/64 dev veth0 nodad"}) {
    ASSERT_EQ(Shell(c + " 2>&1").first, 0) << c;
  }
  const std::vector<Ipv6Prefix>& real = testing::RealTableIpv6Prefixes();
  std::mt19937_64 rng(6);
  std::vector<NextHopId> hops;
  const std::string batch = ::testing::TempDir() + "oracle6-routes.txt";
  {
    std::ofstream f(batch);
    for (const Ipv6Prefix& p : real) {
      hops.push_back(static_cast<NextHopId>(rng() % kGateways));
      f << "route add " << p.ToString() << " via " << Gateway(hops.back())
        << " dev veth0\n";
    }
  }
  auto [status, out] = Shell(absl::StrCat(ip, "-6 -batch ", batch, " 2>&1"));
  ASSERT_EQ(status, 0) << out.substr(0, 2000);

  // 5,000 addresses inside announced prefixes, 5,000 anywhere in 2000::/3.
  std::vector<Ipv6Address> probes;
  for (int i = 0; i < 5000; ++i) {
    const Ipv6Prefix& p = real[rng() % real.size()];
    const auto [mhi, mlo] = Ipv6MaskBits(p.length());
    probes.push_back(Ipv6Address::FromHalves(
        p.network().hi() | (rng() & ~mhi), p.network().lo() | (rng() & ~mlo)));
    probes.push_back(
        Ipv6Address::FromHalves((rng() >> 3) | (uint64_t{1} << 61), rng()));
  }
  const std::string gets = ::testing::TempDir() + "oracle6-gets.txt";
  {
    std::ofstream f(gets);
    for (const Ipv6Address& a : probes)
      f << "route get " << a.ToString() << "\n";
  }
  // -force: an unreachable address is an error line, and the rest go on.
  std::tie(status, out) =
      Shell(absl::StrCat(ip, "-6 -force -batch ", gets, " 2>/dev/null"));
  // "ADDR from :: via GW dev veth0 ...": the kernel's gateway per address.
  absl::flat_hash_map<Ipv6Address, std::string> kernel;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    const std::vector<absl::string_view> w = absl::StrSplit(line, ' ');
    if (w.size() < 2) continue;
    absl::StatusOr<Ipv6Address> a = Ipv6Address::Parse(w[0]);
    if (!a.ok()) continue;
    std::string via = "(on-link)";
    for (size_t i = 0; i + 1 < w.size(); ++i) {
      if (w[i] == "via") via = std::string(w[i + 1]);
    }
    kernel[*a] = via;
  }
  ASSERT_GT(kernel.size(), 4000u) << "too few answers parsed:\n"
                                  << out.substr(0, 1000);

  ForEachStructure<Ipv6Structures>([&]<typename T>() {
    T t;
    for (size_t i = 0; i < real.size(); ++i) {
      ASSERT_TRUE(t.Insert(real[i], hops[i]).ok());
    }
    int wrong = 0, routed = 0;
    for (const Ipv6Address& a : probes) {
      const NextHopId nh = t.Lookup(a);
      auto it = kernel.find(a);
      const std::string want = it == kernel.end() ? "unreachable" : it->second;
      const std::string got = nh == kNoRoute ? "unreachable" : Gateway(nh);
      routed += nh != kNoRoute;
      if (want != got && ++wrong <= 5) {
        ADD_FAILURE() << T::kName << ": " << a.ToString() << " kernel " << want
                      << ", nexthop " << got;
      }
    }
    EXPECT_EQ(wrong, 0) << T::kName;
    // Half the probes are inside announced prefixes.
    EXPECT_GE(routed, 5000) << T::kName;
    std::cout << T::kName << ": " << probes.size()
              << " addresses agree with the kernel (" << routed << " routed)\n";
  });
}

}  // namespace
}  // namespace nexthop
