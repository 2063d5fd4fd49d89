// nexthop: look up, print and reason about IPv4 and IPv6 route tables.
#include <cstring>
#include <iostream>
#include <list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "lpm/structures.h"
#include "tools/commands.h"

ABSL_FLAG(std::string, table, "",
          "route table file (any format nexthop reads; may be .gz)");
ABSL_FLAG(
    std::string, format, "",
    "lookup: the table's format (auto, route-n, exercise, ip, cidr, bgpdump, "
    "mrt); "
    "show: the output style (route or ip)");
ABSL_FLAG(std::string, input_format, "auto", "show: the table's format");
ABSL_FLAG(std::string, algo, "patricia",
          "IPv4 LPM structure (`nexthop lookup --help` lists them)");
ABSL_FLAG(std::string, algo6, "patricia6",
          "IPv6 LPM structure (`nexthop lookup --help` lists them)");
ABSL_FLAG(
    bool, strict, false,
    "refuse destinations with bits outside their mask and duplicate routes");
ABSL_FLAG(bool, explain, false, "show the route decision entry by entry");
ABSL_FLAG(bool, json, false, "print one JSON object per address");

namespace {

struct Command {
  int (*run)(const std::vector<std::string>&);
  std::set<std::string> flags;
  std::string usage;
};

const std::map<std::string, Command>& Commands() {
  static const auto* commands = new std::map<std::string, Command>{
      {"lookup",
       {nexthop::tools::RunLookup,
        {"table", "format", "algo", "algo6", "strict", "explain", "json"},
        "usage: nexthop lookup --table FILE [--format F] [--algo A] "
        "[--algo6 A6]\n"
        "                      [--strict] [--explain] [--json] [ADDR...]\n"
        "\n"
        "Finds the route for each ADDR, IPv4 or IPv6 (or for each line of "
        "stdin\n"
        "when no ADDR is given) by longest prefix match. The table may hold "
        "both\n"
        "families; each address is looked up among the routes of its own.\n"
        "  --table FILE   the route table; formats: route-n, exercise, ip, "
        "cidr,\n"
        "                 bgpdump, mrt (detected unless --format says); .gz "
        "and\n"
        "                 .bz2 are fine\n"
        "  --format F     auto (default), route-n, exercise, ip, cidr, "
        "bgpdump, mrt\n"
        "  --algo A       " +
            nexthop::StructureNamesText<nexthop::Ipv4Structures>() +
            " (default: patricia)\n"
            "  --algo6 A6     " +
            nexthop::StructureNamesText<nexthop::Ipv6Structures>() +
            " (default: patricia6)\n"
            "  --strict       refuse destinations with bits outside their mask "
            "and\n"
            "                 duplicate routes instead of fixing them with a "
            "warning\n"
            "  --explain      walk the decision: every entry, dst AND mask, "
            "which\n"
            "                 match, and why the longest mask wins\n"
            "  --json         one object a line: dst, prefix (null on a "
            "miss),\n"
            "                 gateway, dev, metric, flags, on_link, arp_for "
            "(IPv6:\n"
            "                 ndp_for), family (inet or inet6)\n"
            "A miss is an answer (\"unreachable\"), not an error: exit 0.\n"}},
      {"show",
       {nexthop::tools::RunShow,
        {"table", "format", "input_format", "strict"},
        "usage: nexthop show --table FILE [--format route|ip] [--input_format "
        "F]\n"
        "                    [--strict]\n"
        "\n"
        "Prints the table like `route -n` (default) or like `ip route`: "
        "IPv4\n"
        "routes so, then IPv6 routes like `route -A inet6 -n` or `ip -6 "
        "route`.\n"}},
      {"calc",
       {nexthop::tools::RunCalc,
        {},
        "usage: nexthop calc ADDR/LEN\n"
        "       nexthop calc ADDR MASK\n"
        "       nexthop calc IPV6ADDR[/LEN]\n"
        "\n"
        "Network, broadcast, host range and size of a subnet, the address and\n"
        "mask in binary, and whether the address is in a private block\n"
        "(RFC 1918). For IPv6: the prefix, its first and last address, the\n"
        "address count and the kind of address space (RFC 4291, 4193, "
        "3849).\n"}},
      {"mrt",
       {nexthop::tools::RunMrt,
        {},
        "usage: nexthop mrt FILE...\n"
        "\n"
        "Prints MRT files (RFC 6396 RIB dumps and BGP update streams; plain,\n"
        ".gz or .bz2) one line per RIB entry, announced or withdrawn prefix\n"
        "and state change, in the format of `bgpdump -m`. What is skipped\n"
        "(unknown record types, multicast RIBs) is counted on stderr.\n"}},
  };
  return *commands;
}

std::string MainUsage() {
  return "usage: nexthop COMMAND [FLAGS] [ARGS]\n"
         "\n"
         "commands:\n"
         "  lookup   longest-prefix-match lookups against a route table\n"
         "  show     print a route table like route -n or ip route\n"
         "  calc     subnet arithmetic for ADDR/LEN or ADDR MASK\n"
         "  mrt      print an MRT file (BGP dumps) as bgpdump -m lines\n"
         "  sim      run a network of hosts, switches and routers, hop by hop\n"
         "  router   forward real packets between Linux interfaces (a daemon)\n"
         "\n"
         "`nexthop COMMAND --help` describes each command.\n";
}

// A string flag (--table FILE): its value is the next argument. Bool flags
// stand alone.
bool TakesValue(const std::string& flag) {
  const absl::CommandLineFlag* f = absl::FindCommandLineFlag(flag);
  return f != nullptr && f->IsOfType<std::string>();
}

bool IsHelp(const char* arg) {
  return std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0 ||
         std::strcmp(arg, "--helpfull") == 0 || std::strcmp(arg, "-help") == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || IsHelp(argv[1])) {
    std::cout << MainUsage();
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  if (name == "sim") {
    return nexthop::tools::RunSim(
        std::vector<std::string>(argv + 2, argv + argc));
  }
  if (name == "router") {
    return nexthop::tools::RunRouter(
        std::vector<std::string>(argv + 2, argv + argc));
  }
  auto it = Commands().find(name);
  if (it == Commands().end()) {
    std::cerr << "nexthop: unknown command '" << name << "'\n" << MainUsage();
    return 2;
  }
  const Command& command = it->second;
  std::list<std::string> joined;  // "--flag=value" strings rest points into
  std::vector<char*> rest = {argv[0]};
  for (int i = 2; i < argc; ++i) {
    if (IsHelp(argv[i])) {
      std::cout << command.usage;
      return 0;
    }
    // Flags are global to absl; refuse ones that mean nothing here.
    absl::string_view arg = argv[i];
    if (arg == "--") {
      for (; i < argc; ++i) rest.push_back(argv[i]);
      break;
    }
    if (absl::StartsWith(arg, "-") && arg.size() > 1) {
      std::string flag(arg.substr(arg.find_first_not_of('-')));
      const bool has_value = flag.find('=') != std::string::npos;
      flag = flag.substr(0, flag.find('='));
      // String flags take the next argument as their value; absl would
      // read "-" as a mistake and a missing value as a parse failure with
      // exit 1, so both are settled here: "--table -" is stdin, a flag
      // without its value is a usage error (exit 2).
      if (!has_value && command.flags.contains(flag) && TakesValue(flag)) {
        if (i + 1 >= argc) {
          std::cerr << "nexthop " << name << ": --" << flag
                    << " needs a value\n"
                    << command.usage;
          return 2;
        }
        joined.push_back("--" + flag + "=" + argv[++i]);
        rest.push_back(joined.back().data());
        continue;
      }
      if (!command.flags.contains(flag) &&
          !(absl::StartsWith(flag, "no") &&
            command.flags.contains(flag.substr(2)))) {
        std::cerr << "nexthop " << name << ": unknown flag '" << arg << "'\n"
                  << command.usage;
        return 2;
      }
    }
    rest.push_back(argv[i]);
  }
  absl::SetProgramUsageMessage(command.usage);
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(rest.size()), rest.data());
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return command.run(args);
}
