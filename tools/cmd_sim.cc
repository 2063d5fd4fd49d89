// nexthop sim: run a topology file and print what crosses the network.
//
// Its options repeat (-i, --run), which absl flags do not accumulate, so
// this command reads its own arguments.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sim/network.h"
#include "sim/topology.h"
#include "tools/commands.h"

namespace nexthop::tools {

const char kSimUsage[] =
    "usage: nexthop sim FILE [-i NODE:IFACE]... [--run 'NODE: COMMAND']...\n"
    "                        [--pcap DIR] [-t] [-e] [--seed N]\n"
    "\n"
    "Builds the network FILE describes (hosts, routers and switches\n"
    "configured with ip/ifconfig/route/arp/sysctl commands, see\n"
    "examples/sim/), runs the file's `run` lines and then each --run\n"
    "command in order, and prints their output (ping, traceroute, arp -a,\n"
    "route -n, ip route, ip neigh, drops; brctl showmacs on a switch).\n"
    "  -i NODE:IFACE   print tcpdump -n lines for frames on that interface\n"
    "                  (repeatable; with several, each line names its own)\n"
    "  --run CMD       'NODE: COMMAND', run after the file's own (repeatable)\n"
    "  --pcap DIR      write one capture per link, DIR/A-eth0--sw1-p1.pcap\n"
    "  -t              no timestamps on capture lines (tcpdump -t)\n"
    "  -e              print MAC addresses and ethertype (tcpdump -e)\n"
    "  --seed N        seed for ping ids and neighbour timers (default 1)\n"
    "Exit: 0, 1 if the file or a command fails (FILE:LINE named), 2 usage.\n";

int RunSim(const std::vector<std::string>& args) {
  std::string file, pcap_dir;
  std::vector<std::string> captures, runs;
  Network::Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::cout << kSimUsage;
      return 0;
    } else if (a == "-i" || a == "--i") {
      if (!value(&v)) return Fail(2, "sim: -i needs NODE:IFACE");
      captures.push_back(v);
    } else if (a == "--run" || a == "-run") {
      if (!value(&v)) return Fail(2, "sim: --run needs 'NODE: COMMAND'");
      runs.push_back(v);
    } else if (a == "--pcap" || a == "-pcap") {
      if (!value(&pcap_dir)) return Fail(2, "sim: --pcap needs a directory");
      // An empty value (a shell variable that was never set) would
      // otherwise mean "no captures" without a word.
      if (pcap_dir.empty()) {
        return Fail(2, "sim: --pcap needs a directory, not an empty string");
      }
    } else if (a == "-t") {
      options.timestamps = false;
    } else if (a == "-e") {
      options.link_header = true;
    } else if (a == "--seed" || a == "-seed") {
      if (!value(&v) || !absl::SimpleAtoi(v, &options.seed))
        return Fail(2, "sim: --seed needs a number");
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "nexthop sim: unknown flag '" << a << "'\n" << kSimUsage;
      return 2;
    } else if (file.empty()) {
      file = a;
    } else {
      return Fail(2, absl::StrCat("sim: unexpected argument '", a, "'"));
    }
  }
  if (file.empty()) {
    std::cerr << kSimUsage;
    return 2;
  }
  absl::StatusOr<Topology> t = LoadTopology(file, options);
  if (!t.ok()) return Fail(1, std::string(t.status().message()));
  Network& net = *t->network;
  for (const std::string& c : captures) {
    const size_t colon = c.find(':');
    if (colon == std::string::npos)
      return Fail(2, absl::StrCat("sim: -i wants NODE:IFACE, got '", c, "'"));
    if (absl::Status s = net.Capture({c.substr(0, colon), c.substr(colon + 1)});
        !s.ok())
      return Fail(1, absl::StrCat("-i ", c, ": ", s.message()));
  }
  if (!pcap_dir.empty()) {
    if (absl::Status s = net.WritePcaps(pcap_dir); !s.ok())
      return Fail(1, std::string(s.message()));
  }
  std::vector<std::pair<std::string, std::string>> all = t->runs;
  for (const std::string& r : runs) {
    auto parsed = ParseRunCommand(r);
    if (!parsed.ok())
      return Fail(2, absl::StrCat("--run: ", parsed.status().message()));
    all.push_back(*parsed);
  }
  for (const auto& [device, command] : all) {
    if (absl::Status s = net.Run(device, command, std::cout); !s.ok()) {
      std::cout.flush();
      return Fail(1, absl::StrCat(device, ": ", command, ": ", s.message()));
    }
  }
  return 0;
}

}  // namespace nexthop::tools
