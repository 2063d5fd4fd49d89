// nexthop router: the live router daemon (router/router.h), with its
// signals: SIGTERM and SIGINT stop it cleanly.
#include <signal.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "router/router.h"
#include "tools/commands.h"

namespace nexthop::tools {
namespace {

Router* g_router = nullptr;  // for the signal handler

void OnStopSignal(int) {
  if (g_router != nullptr) g_router->RequestStop();
}

}  // namespace

const char kRouterUsage[] =
    "usage: nexthop router --config FILE [--routes FILE]\n"
    "\n"
    "Forwards IPv4 between Linux interfaces with nexthop's own stack (the\n"
    "simulator's routers: ARP, ICMP errors, the fast path) over AF_PACKET\n"
    "sockets. FILE holds Linux commands, one a line, as in the simulator's\n"
    "topology files:\n"
    "  ip addr add 10.1.0.1/24 dev veth-a\n"
    "  ip route add 0.0.0.0/0 via 10.2.0.2\n"
    "The interfaces FILE names are the router's ports; each keeps its own\n"
    "MAC. The kernel must stay out of them: no kernel IPv4 address on them,\n"
    "net.ipv6.conf.IFACE.disable_ipv6=1 and net.ipv4.ip_forward=0 (checked;\n"
    "the router refuses to start otherwise and says which command fixes it).\n"
    "  --config FILE   the configuration (required)\n"
    "  --routes FILE   more routes, in any format `nexthop lookup` reads\n"
    "Needs CAP_NET_RAW. Runs until SIGTERM or SIGINT.\n"
    "Exit: 0 when stopped, 1 on an error (a bad line names FILE:LINE), 2 "
    "usage.\n";

int RunRouter(const std::vector<std::string>& args) {
  Router::Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kRouterUsage;
      return 0;
    }
    std::string* value = a == "--config"   ? &options.config_path
                         : a == "--routes" ? &options.routes_path
                                           : nullptr;
    if (value == nullptr || i + 1 >= args.size()) {
      std::cerr << "nexthop router: "
                << (value == nullptr
                        ? absl::StrCat("unknown argument '", a, "'")
                        : absl::StrCat(a, " needs a file"))
                << "\n"
                << kRouterUsage;
      return 2;
    }
    *value = args[++i];
  }
  if (options.config_path.empty()) {
    std::cerr << "nexthop router: --config FILE is required\n" << kRouterUsage;
    return 2;
  }
  std::vector<std::string> warnings;
  absl::StatusOr<std::unique_ptr<Router>> router =
      Router::Create(options, &warnings);
  for (const std::string& w : warnings) {
    std::cerr << "nexthop router: " << w << "\n";
  }
  if (!router.ok()) return Fail(1, std::string(router.status().message()));
  g_router = router->get();
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  std::vector<std::string> ports;
  for (const auto& p : (*router)->control_plane().interfaces()) {
    if (!p.loopback)
      ports.push_back(absl::StrCat(p.name, " ", p.mac.ToString()));
  }
  std::cerr << "nexthop router: forwarding on " << absl::StrJoin(ports, ", ")
            << std::endl;
  const absl::Status s = (*router)->Run();
  const RouterCounters c = (*router)->Counters();
  g_router = nullptr;
  if (!s.ok()) return Fail(1, std::string(s.message()));
  uint64_t ring_drops = 0, tx_errors = 0, dropped = 0;
  for (const RouterCounters::Port& p : c.ports) {
    ring_drops += p.io.rx_ring_drops;
    tx_errors += p.io.tx_errors;
  }
  for (const auto& [reason, n] : c.drops) dropped += n;
  std::cerr << "nexthop router: stopped; forwarded " << c.forwarded
            << ", dropped " << dropped << ", receive-ring overflows "
            << ring_drops << ", send errors " << tx_errors << "\n";
  return 0;
}

}  // namespace nexthop::tools
