// nexthop router: the live router daemon (router/router.h) with the
// services wired to it (router/router_services.h), and its signals:
// SIGTERM and SIGINT stop it cleanly.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "router/router.h"
#include "router/router_services.h"
#include "tools/commands.h"

namespace nexthop::tools {
namespace {

// For the signal handler, which is installed before the router exists (a
// SIGTERM during the initial kernel dump must still stop it cleanly).
std::atomic<Router*> g_router{nullptr};
std::atomic<bool> g_stop{false};

void OnStopSignal(int) {
  g_stop.store(true);
  if (Router* r = g_router.load()) r->RequestStop();
}

void InstallStopHandler() {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

int Usage(const std::string& message) {
  std::cerr << "nexthop router: " << message << "\n" << kRouterUsage;
  return 2;
}

}  // namespace

const char kRouterUsage[] =
    "usage: nexthop router --config FILE [--routes FILE] [--kernel-table N]\n"
    "                      [--control PATH|none] [--metrics-port P]\n"
    "       nexthop router show [--control PATH]\n"
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
    "  --config FILE       the configuration (required)\n"
    "  --routes FILE       more routes, in any format `nexthop lookup` reads\n"
    "  --kernel-table N    also follow kernel routing table N (1-4294967295)\n"
    "                      of this network namespace over rtnetlink; add\n"
    "                      routes there with `ip route add P via G dev D\n"
    "                      onlink table N`. They join the configured routes\n"
    "                      in one table: per prefix the lowest metric wins\n"
    "                      (ties: a fixed rule, never arrival order); a\n"
    "                      kernel route identical to a configured one is\n"
    "                      refused and counted\n"
    "  --control PATH      the control socket `nexthop router show` asks\n"
    "                      (default $NEXTHOP_CONTROL_DIR, else\n"
    "                      /run/nexthop, /router-PID.sock; none: no socket)\n"
    "  --metrics-port P    serve the counters in the Prometheus text format\n"
    "                      at http://127.0.0.1:P/metrics (default: off;\n"
    "                      0: any free port, printed at start)\n"
    "`show` prints the counters and routes of the router whose control\n"
    "socket is PATH (default: the only one in that directory whose router\n"
    "is still running).\n"
    "Needs CAP_NET_RAW; without CAP_NET_ADMIN --kernel-table's 8 MiB\n"
    "event buffer is capped at net.core.rmem_max. Runs until SIGTERM or\n"
    "SIGINT.\n"
    "Exit: 0 when stopped, 1 on an error (a bad line names FILE:LINE), 2 "
    "usage.\n";

int RunRouter(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "show") {
    return RunRouterShow(
        std::vector<std::string>(args.begin() + 1, args.end()));
  }
  Router::Options options;
  RouterServices::Options services;
  services.control_path = DefaultControlPath(getpid());
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kRouterUsage;
      return 0;
    }
    const bool known = a == "--config" || a == "--routes" ||
                       a == "--kernel-table" || a == "--control" ||
                       a == "--metrics-port";
    if (!known) return Usage(absl::StrCat("unknown argument '", a, "'"));
    if (i + 1 >= args.size()) return Usage(absl::StrCat(a, " needs a value"));
    const std::string& v = args[++i];
    if (a == "--config") {
      options.config_path = v;
    } else if (a == "--routes") {
      options.routes_path = v;
    } else if (a == "--control") {
      services.control_path = v == "none" ? "" : v;
    } else if (a == "--kernel-table") {
      uint32_t table;
      // 0 is RT_TABLE_UNSPEC: not a table routes can be added to.
      if (!absl::SimpleAtoi(v, &table) || table == 0) {
        return Usage(
            absl::StrCat("--kernel-table wants a table number "
                         "1-4294967295, not '",
                         v, "'"));
      }
      services.kernel_table = table;
    } else {
      int port;
      if (!absl::SimpleAtoi(v, &port) || port < 0 || port > 65535) {
        return Usage(
            absl::StrCat("--metrics-port wants a port 0-65535, "
                         "not '",
                         v, "'"));
      }
      services.metrics_port = port;
    }
  }
  if (options.config_path.empty()) return Usage("--config FILE is required");
  InstallStopHandler();
  std::vector<std::string> warnings;
  absl::StatusOr<std::unique_ptr<Router>> router =
      Router::Create(options, &warnings);
  for (const std::string& w : warnings) {
    std::cerr << "nexthop router: " << w << "\n";
  }
  if (!router.ok()) return Fail(1, std::string(router.status().message()));
  if (!services.control_path.empty()) {
    if (absl::Status s = MakeControlDirectory(services.control_path); !s.ok()) {
      return Fail(1, std::string(s.message()));
    }
  }
  absl::StatusOr<std::unique_ptr<RouterServices>> attached =
      RouterServices::Attach(router->get(), services);
  if (!attached.ok()) return Fail(1, std::string(attached.status().message()));
  g_router.store(router->get());
  if (g_stop.load()) (*router)->RequestStop();  // a signal while starting
  if (services.metrics_port) {
    std::cerr << "nexthop router: metrics at http://"
              << services.metrics_address << ":" << (*attached)->metrics_port()
              << "/metrics\n";
  }
  if (!services.control_path.empty()) {
    std::cerr << "nexthop router: control socket " << services.control_path
              << "\n";
  }
  std::vector<std::string> ports;
  for (const auto& p : (*router)->control_plane().interfaces()) {
    if (!p.loopback)
      ports.push_back(absl::StrCat(p.name, " ", p.mac.ToString()));
  }
  std::cerr << "nexthop router: forwarding on " << absl::StrJoin(ports, ", ")
            << std::endl;
  const absl::Status s = (*router)->Run();
  const RouterCounters c = (*attached)->Counters();
  g_router.store(nullptr);
  attached->reset();  // its sockets go (and the control socket's file)
  if (!s.ok()) return Fail(1, std::string(s.message()));
  uint64_t ring_drops = 0, tx_errors = 0, dropped = 0;
  for (const RouterCounters::Port& p : c.ports) {
    ring_drops += p.io.rx_ring_drops;
    tx_errors += p.io.tx_errors;
  }
  for (const auto& [reason, n] : c.drops) dropped += n;
  std::cerr << "nexthop router: stopped; forwarded " << c.forwarded
            << ", dropped " << dropped << ", receive-ring overflows "
            << ring_drops << ", send errors " << tx_errors;
  if (c.mirror) std::cerr << ", mirror resyncs " << c.mirror->stats.resyncs;
  std::cerr << "\n";
  return 0;
}

}  // namespace nexthop::tools
