#include "sim/config_command.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sim/names.h"

namespace nexthop {
namespace {

using Words = std::vector<std::string>;
using Opts = std::map<std::string, std::string>;

absl::Status Usage(absl::string_view command, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(what, " in '", command, "'"));
}

// "key value" pairs after a fixed head: "dev eth0 via 10.0.0.1 metric 5".
absl::StatusOr<Opts> Options(absl::string_view command, const Words& words,
                             size_t from, const std::vector<std::string>& keys,
                             const std::vector<std::string>& flags = {}) {
  Opts out;
  for (size_t i = from; i < words.size(); ++i) {
    if (std::find(flags.begin(), flags.end(), words[i]) != flags.end()) {
      out[words[i]] = "";
      continue;
    }
    if (std::find(keys.begin(), keys.end(), words[i]) == keys.end())
      return Usage(command, absl::StrCat("unexpected '", words[i], "'"));
    if (i + 1 >= words.size())
      return Usage(command, absl::StrCat("'", words[i], "' needs a value"));
    out[words[i]] = words[i + 1];
    ++i;
  }
  return out;
}

absl::StatusOr<Ipv4Address> ParseAddr(absl::string_view command,
                                      absl::string_view text) {
  absl::StatusOr<Ipv4Address> a = Ipv4Address::Parse(text);
  if (!a.ok()) return Usage(command, a.status().message());
  return *a;
}

// "68-65535", as ip and ifconfig accept.
absl::StatusOr<uint16_t> ParseMtu(absl::string_view command,
                                  absl::string_view text) {
  int mtu = 0;
  if (!absl::SimpleAtoi(text, &mtu) || mtu < 68 || mtu > 65535)
    return Usage(command, "mtu must be 68-65535");
  return static_cast<uint16_t>(mtu);
}

// The one place a command's interface name is checked: valid as Linux
// takes it, then found, or (while a topology is read) declared.
absl::StatusOr<int> Device(absl::string_view command, ControlPlane& cp,
                           absl::string_view name, ConfigPhase phase) {
  if (absl::Status s = ValidateInterfaceName(name); !s.ok())
    return Usage(command, s.message());
  if (const int port = cp.PortIndex(name); port >= 0) return port;
  if (phase == ConfigPhase::kSetup) return cp.AddInterface(name);
  return absl::NotFoundError(
      absl::StrCat("Cannot find device \"", name, "\" in '", command, "'"));
}

// An interface's own MAC must be one host's: the kernel refuses a group
// or all-zero address (is_valid_ether_addr), as `arp -s` does.
absl::StatusOr<MacAddress> UnicastMac(absl::string_view command,
                                      absl::string_view text) {
  absl::StatusOr<MacAddress> mac = MacAddress::Parse(text);
  if (!mac.ok()) return Usage(command, mac.status().message());
  if (mac->IsMulticast() || mac->IsZero())
    return Usage(command, absl::StrCat(mac->ToString(),
                                       " is not a unicast address: Cannot "
                                       "assign requested address"));
  return *mac;
}

// The options ip route and route share: gateway (`via` or `gw`), device,
// metric.
absl::Status AddRouteWith(absl::string_view command, Ipv4Prefix prefix,
                          const Opts& opts, const std::string& gateway_key,
                          ControlPlane& cp, ConfigPhase phase) {
  std::optional<Ipv4Address> gw;
  if (auto it = opts.find(gateway_key); it != opts.end()) {
    absl::StatusOr<Ipv4Address> g = ParseAddr(command, it->second);
    if (!g.ok()) return g.status();
    gw = *g;
  }
  uint32_t metric = 0;
  if (auto it = opts.find("metric");
      it != opts.end() && !absl::SimpleAtoi(it->second, &metric)) {
    return Usage(command, "bad metric");
  }
  std::string dev;
  if (auto it = opts.find("dev"); it != opts.end()) {
    absl::StatusOr<int> port = Device(command, cp, it->second, phase);
    if (!port.ok()) return port.status();
    dev = it->second;
  }
  return cp.AddRoute(prefix, gw, dev, metric);
}

// ip addr add ADDRESS[/LENGTH] dev IFACE [label IFACE:N] [broadcast B]
// [scope host|link|global]
absl::Status IpAddrAdd(absl::string_view command, const Words& w,
                       ControlPlane& cp, ConfigPhase phase) {
  // Host bits are the point here: 10.10.64.55/21.
  const size_t slash = w[3].find('/');
  int len = 32;
  absl::StatusOr<Ipv4Address> a = ParseAddr(command, w[3].substr(0, slash));
  if (!a.ok()) return a.status();
  if (slash != std::string::npos &&
      (!absl::SimpleAtoi(w[3].substr(slash + 1), &len) || len < 0 || len > 32))
    return Usage(command, "expected ADDRESS/LENGTH");
  auto opts = Options(command, w, 4, {"dev", "label", "broadcast", "scope"});
  if (!opts.ok()) return opts.status();
  if (!opts->count("dev")) return Usage(command, "missing 'dev IFACE'");
  const std::string dev = (*opts)["dev"];
  const std::string label = opts->count("label") ? (*opts)["label"] : dev;
  if (absl::Status s = ValidateInterfaceLabel(label, dev); !s.ok())
    return Usage(command, s.message());
  std::optional<ControlPlane::Scope> scope;
  if (opts->count("scope")) {
    const std::string& v = (*opts)["scope"];
    if (v == "host") {
      scope = ControlPlane::Scope::kHost;
    } else if (v == "link") {
      scope = ControlPlane::Scope::kLink;
    } else if (v == "global") {
      scope = ControlPlane::Scope::kGlobal;
    } else {
      return Usage(command, "scope is host, link or global");
    }
  }
  absl::StatusOr<int> port = Device(command, cp, dev, phase);
  if (!port.ok()) return port.status();
  return cp.AddAddress(label, *a, len, scope);
}

// ip link set [dev] IFACE [address MAC] [mtu N] [up|down]
// Everything is checked before anything is applied.
absl::Status IpLinkSet(absl::string_view command, const Words& w,
                       ControlPlane& cp, ConfigPhase phase) {
  size_t i = 3;
  if (w[i] == "dev") ++i;
  if (i >= w.size()) return Usage(command, "missing interface");
  auto opts = Options(command, w, i + 1, {"address", "mtu"}, {"up", "down"});
  if (!opts.ok()) return opts.status();
  std::optional<MacAddress> mac;
  if (opts->count("address")) {
    absl::StatusOr<MacAddress> m = UnicastMac(command, (*opts)["address"]);
    if (!m.ok()) return m.status();
    mac = *m;
  }
  std::optional<uint16_t> mtu;
  if (opts->count("mtu")) {
    absl::StatusOr<uint16_t> m = ParseMtu(command, (*opts)["mtu"]);
    if (!m.ok()) return m.status();
    mtu = *m;
  }
  absl::StatusOr<int> port = Device(command, cp, w[i], phase);
  if (!port.ok()) return port.status();
  if (mac) cp.SetMac(*port, *mac);
  if (mtu) cp.SetMtu(*port, *mtu);
  return absl::OkStatus();
}

// ifconfig IFACE[:N] [ADDRESS[/LENGTH]] [netmask M] [mtu N] [hw ether MAC]
// [up]. Everything is checked before anything is applied.
absl::Status Ifconfig(absl::string_view command, const Words& w,
                      ControlPlane& cp, ConfigPhase phase) {
  const std::string label = w[1];
  const std::string dev = label.substr(0, label.find(':'));
  if (absl::Status s = ValidateInterfaceLabel(label, dev); !s.ok())
    return Usage(command, s.message());
  size_t i = 2;
  std::optional<Ipv4Address> addr;
  int len = -1;
  if (i < w.size() && w[i] != "netmask" && w[i] != "mtu" && w[i] != "hw" &&
      w[i] != "up") {
    const size_t slash = w[i].find('/');
    absl::StatusOr<Ipv4Address> a = ParseAddr(command, w[i].substr(0, slash));
    if (!a.ok()) return a.status();
    addr = *a;
    if (slash != std::string::npos &&
        (!absl::SimpleAtoi(w[i].substr(slash + 1), &len) || len < 0 ||
         len > 32))
      return Usage(command, "bad prefix length");
    ++i;
  }
  std::optional<uint16_t> mtu;
  std::optional<MacAddress> mac;
  for (; i < w.size(); ++i) {
    if (w[i] == "up") continue;
    if (w[i] == "netmask" && i + 1 < w.size()) {
      absl::StatusOr<Ipv4Address> m = ParseAddr(command, w[++i]);
      if (!m.ok()) return m.status();
      absl::StatusOr<int> l = MaskLength(*m);
      if (!l.ok()) return Usage(command, l.status().message());
      len = *l;
    } else if (w[i] == "mtu" && i + 1 < w.size()) {
      absl::StatusOr<uint16_t> m = ParseMtu(command, w[++i]);
      if (!m.ok()) return m.status();
      mtu = *m;
    } else if (w[i] == "hw" && i + 2 < w.size() && w[i + 1] == "ether") {
      absl::StatusOr<MacAddress> m = UnicastMac(command, w[i + 2]);
      if (!m.ok()) return m.status();
      mac = *m;
      i += 2;
    } else {
      return Usage(command, absl::StrCat("unexpected '", w[i], "'"));
    }
  }
  absl::StatusOr<int> port = Device(command, cp, dev, phase);
  if (!port.ok()) return port.status();
  if (addr) {
    if (len < 0) len = 24;  // ifconfig's classful guess, simplified
    if (absl::Status s = cp.AddAddress(label, *addr, len); !s.ok()) return s;
  }
  if (mac) cp.SetMac(*port, *mac);
  if (mtu) cp.SetMtu(*port, *mtu);
  return absl::OkStatus();
}

// ip route add PREFIX|default [via GW] [dev IFACE] [metric N] ...
absl::Status IpRouteAdd(absl::string_view command, const Words& w,
                        ControlPlane& cp, ConfigPhase phase) {
  Ipv4Prefix prefix;
  if (w[3] != "default") {
    absl::StatusOr<ParsedPrefix> p = ParsePrefix(w[3], HostBitsPolicy::kRefuse);
    if (!p.ok()) return Usage(command, p.status().message());
    prefix = p->prefix;
  }
  auto opts =
      Options(command, w, 4, {"via", "dev", "metric", "proto", "scope", "src"});
  if (!opts.ok()) return opts.status();
  return AddRouteWith(command, prefix, *opts, "via", cp, phase);
}

// route add -host A | -net A [netmask M] | default [gw GW] [dev IFACE]
// [metric N]
absl::Status RouteAdd(absl::string_view command, const Words& w,
                      ControlPlane& cp, ConfigPhase phase) {
  size_t i = 2;
  std::string netmask;
  std::string dest;
  if (w[i] == "default") {
    dest = "default";
    ++i;
  } else if ((w[i] == "-host" || w[i] == "-net") && i + 1 < w.size()) {
    const bool host = w[i] == "-host";
    dest = w[i + 1];
    i += 2;
    if (host) netmask = "255.255.255.255";
  } else {
    return Usage(command, "expected -host, -net or default");
  }
  auto opts = Options(command, w, i, {"gw", "dev", "metric", "netmask"});
  if (!opts.ok()) return opts.status();
  if (opts->count("netmask")) netmask = (*opts)["netmask"];
  Ipv4Prefix prefix;
  if (dest == "default") {
    prefix = Ipv4Prefix();
  } else if (dest.find('/') != std::string::npos) {
    absl::StatusOr<ParsedPrefix> p = ParsePrefix(dest, HostBitsPolicy::kRefuse);
    if (!p.ok()) return Usage(command, p.status().message());
    prefix = p->prefix;
  } else {
    absl::StatusOr<ParsedPrefix> p = ParseDestinationAndMask(
        dest, netmask.empty() ? "255.255.255.255" : netmask,
        HostBitsPolicy::kRefuse);
    if (!p.ok()) return Usage(command, p.status().message());
    prefix = p->prefix;
  }
  return AddRouteWith(command, prefix, *opts, "gw", cp, phase);
}

// sysctl [-w] KEY=VALUE
absl::Status Sysctl(absl::string_view command, const Words& w, ControlPlane& cp,
                    ConfigPhase phase) {
  const std::string& kv = w.back();
  const size_t eq = kv.find('=');
  int value = 0;
  if (eq == std::string::npos || !absl::SimpleAtoi(kv.substr(eq + 1), &value))
    return Usage(command, "expected key=value");
  const std::string key = kv.substr(0, eq);
  const bool boolean = value == 0 || value == 1;
  if (key == "net.ipv4.ip_forward") {
    if (!boolean) return Usage(command, "ip_forward is 0 or 1");
    cp.set_ip_forward(value != 0);
    return absl::OkStatus();
  }
  if (key == "net.ipv4.icmp_echo_ignore_broadcasts") {
    if (!boolean)
      return Usage(command, "icmp_echo_ignore_broadcasts is 0 or 1");
    cp.set_icmp_echo_ignore_broadcasts(value != 0);
    return absl::OkStatus();
  }
  absl::string_view rest = key;
  if (absl::ConsumePrefix(&rest, "net.ipv4.conf.") &&
      absl::ConsumeSuffix(&rest, ".arp_ignore")) {
    if (value < 0 || value > 8) return Usage(command, "arp_ignore is 0-8");
    if (rest == "all") {
      cp.set_arp_ignore_all(value);
      return absl::OkStatus();
    }
    if (rest == "default") {  // what interfaces created later start with
      cp.set_arp_ignore_default(value);
      return absl::OkStatus();
    }
    absl::StatusOr<int> port = Device(command, cp, rest, phase);
    if (!port.ok()) return port.status();
    cp.SetArpIgnore(*port, value);
    return absl::OkStatus();
  }
  return Usage(command, absl::StrCat("unsupported sysctl '", key, "'"));
}

}  // namespace

absl::Status ApplyConfigCommand(absl::string_view command, ControlPlane& cp,
                                ConfigPhase phase) {
  const Words w =
      absl::StrSplit(command, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (w.empty()) return absl::OkStatus();
  auto is = [&](std::initializer_list<const char*> head) {
    if (w.size() < head.size()) return false;
    size_t i = 0;
    for (const char* h : head) {
      if (w[i++] != h) return false;
    }
    return true;
  };
  if (is({"lpm"}) && w.size() == 2) {
    absl::StatusOr<AnyLpm> lpm = AnyLpm::Create(w[1]);
    if (!lpm.ok()) return lpm.status();
    return cp.ReplaceLpm(*std::move(lpm));
  }
  if ((is({"ip", "addr", "add"}) || is({"ip", "address", "add"}) ||
       is({"ip", "a", "add"})) &&
      w.size() >= 4) {
    return IpAddrAdd(command, w, cp, phase);
  }
  if (is({"ip", "link", "set"}) && w.size() >= 4) {
    return IpLinkSet(command, w, cp, phase);
  }
  if (is({"ifconfig"}) && w.size() >= 2) return Ifconfig(command, w, cp, phase);
  if (is({"ip", "route", "add"}) && w.size() >= 4) {
    return IpRouteAdd(command, w, cp, phase);
  }
  if (is({"route", "add"}) && w.size() >= 3)
    return RouteAdd(command, w, cp, phase);
  if (is({"arp", "-s"}) && w.size() == 4) {
    absl::StatusOr<Ipv4Address> ip = ParseAddr(command, w[2]);
    if (!ip.ok()) return ip.status();
    absl::StatusOr<MacAddress> mac = UnicastMac(command, w[3]);
    if (!mac.ok()) return mac.status();
    return cp.AddPermanentNeighbor(*ip, *mac);
  }
  if (is({"arp", "-d"}) && w.size() == 3) {
    absl::StatusOr<Ipv4Address> ip = ParseAddr(command, w[2]);
    if (!ip.ok()) return ip.status();
    return cp.DeleteNeighbor(*ip);
  }
  if ((is({"sysctl", "-w"}) && w.size() == 3) ||
      (is({"sysctl"}) && w.size() == 2)) {
    return Sysctl(command, w, cp, phase);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown command '", command, "'"));
}

}  // namespace nexthop
