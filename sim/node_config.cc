// Node configuration: the Linux commands of a topology file.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sim/node.h"

namespace nexthop {
namespace {

absl::Status Usage(absl::string_view command, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(what, " in '", command, "'"));
}

// "key value" pairs after a fixed head: "dev eth0 via 10.0.0.1 metric 5".
absl::StatusOr<std::map<std::string, std::string>> Options(
    absl::string_view command, const std::vector<std::string>& words,
    size_t from, const std::vector<std::string>& keys,
    const std::vector<std::string>& flags = {}) {
  std::map<std::string, std::string> out;
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

}  // namespace

absl::Status Node::AddAddress(absl::string_view label, Ipv4Address ip,
                              int length) {
  const std::string dev(label.substr(0, label.find(':')));
  const int port = AddInterface(dev);
  Interface& iface = ifaces_[port];
  for (const Address& a : iface.addresses) {
    if (a.ip == ip)
      return absl::AlreadyExistsError(absl::StrCat(
          "RTNETLINK answers: File exists (", a.ip.ToString(), " on ", dev, ")"));
  }
  iface.addresses.push_back({ip, length, std::string(label)});
  RebuildPlane();
  const Ipv4Prefix net = Ipv4Prefix::Canonical(ip, length);
  if (iface.loopback || length == 32) return absl::OkStatus();
  // The connected route, as the kernel adds it ("proto kernel scope link").
  Route r{net, NextHop{std::nullopt, "", dev}, 0};
  if (fib_->routes().Best(net) != nullptr) {
    bool same = false;
    fib_->routes().ForEach([&](const Route& x) { same |= x == r; });
    if (same) return absl::OkStatus();
  }
  absl::Status s = fib_->Add(std::vector<Route>{r});
  RebuildPlane();
  return s;
}

absl::Status Node::AddRoute(Ipv4Prefix prefix, std::optional<Ipv4Address> gateway,
                            std::string dev, uint32_t metric) {
  if (gateway && dev.empty()) {
    // The kernel wants the gateway on a connected network.
    const int port = PortForNeighbor(*gateway);
    if (port < 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "Network is unreachable: no interface has ", gateway->ToString(),
          " on its network"));
    }
    dev = ifaces_[port].name;
  }
  if (dev.empty()) {
    return absl::InvalidArgumentError("a route needs a gateway or a device");
  }
  if (PortIndex(dev) < 0) {
    return absl::NotFoundError(absl::StrCat("Cannot find device \"", dev, "\""));
  }
  absl::Status s =
      fib_->Add(std::vector<Route>{Route{prefix, NextHop{gateway, "", dev}, metric}});
  RebuildPlane();
  return s;
}

// The options ip route and route share: gateway (`via` or `gw`), device,
// metric.
absl::Status Node::AddRouteWith(absl::string_view command, Ipv4Prefix prefix,
                                const std::map<std::string, std::string>& opts,
                                const std::string& gateway_key) {
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
  auto dev = opts.find("dev");
  return AddRoute(prefix, gw, dev != opts.end() ? dev->second : "", metric);
}

absl::Status Node::Configure(absl::string_view command) {
  const std::vector<std::string> w =
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
  // lpm NAME: which LPM structure this node's table uses.
  if (is({"lpm"}) && w.size() == 2) {
    absl::StatusOr<AnyLpm> lpm = AnyLpm::Create(w[1]);
    if (!lpm.ok()) return lpm.status();
    auto fib = std::make_unique<Fib<AnyLpm>>(*std::move(lpm));
    std::vector<Route> routes;
    fib_->routes().ForEach([&](const Route& r) { routes.push_back(r); });
    if (absl::Status s = fib->Add(routes); !s.ok()) return s;
    fib_ = std::move(fib);
    RebuildPlane();
    return absl::OkStatus();
  }
  if ((is({"ip", "addr", "add"}) || is({"ip", "address", "add"}) ||
       is({"ip", "a", "add"})) && w.size() >= 4) {
    // Host bits are the point here: 10.10.64.55/21.
    const size_t slash = w[3].find('/');
    int len = 32;
    absl::StatusOr<Ipv4Address> a = ParseAddr(command, w[3].substr(0, slash));
    if (!a.ok()) return a.status();
    if (slash != std::string::npos &&
        (!absl::SimpleAtoi(w[3].substr(slash + 1), &len) || len < 0 || len > 32))
      return Usage(command, "expected ADDRESS/LENGTH");
    auto opts = Options(command, w, 4, {"dev", "label", "broadcast"});
    if (!opts.ok()) return opts.status();
    if (!opts->count("dev")) return Usage(command, "missing 'dev IFACE'");
    const std::string label =
        opts->count("label") ? (*opts)["label"] : (*opts)["dev"];
    return AddAddress(label, *a, len);
  }
  if (is({"ip", "link", "set"}) && w.size() >= 4) {
    size_t i = 3;
    if (w[i] == "dev") ++i;
    if (i >= w.size()) return Usage(command, "missing interface");
    const int port = AddInterface(w[i]);
    auto opts = Options(command, w, i + 1, {"address", "mtu"}, {"up", "down"});
    if (!opts.ok()) return opts.status();
    if (opts->count("address")) {
      absl::StatusOr<MacAddress> mac = MacAddress::Parse((*opts)["address"]);
      if (!mac.ok()) return Usage(command, mac.status().message());
      ifaces_[port].mac = *mac;
    }
    if (opts->count("mtu")) {
      int mtu = 0;
      if (!absl::SimpleAtoi((*opts)["mtu"], &mtu) || mtu < 68 || mtu > 65535)
        return Usage(command, "mtu must be 68-65535");
      ifaces_[port].mtu = static_cast<uint16_t>(mtu);
    }
    RebuildPlane();
    return absl::OkStatus();
  }
  if (is({"ifconfig"}) && w.size() >= 2) {
    const std::string label = w[1];
    const std::string dev = label.substr(0, label.find(':'));
    const int port = AddInterface(dev);
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
          (!absl::SimpleAtoi(w[i].substr(slash + 1), &len) || len < 0 || len > 32))
        return Usage(command, "bad prefix length");
      ++i;
    }
    for (; i < w.size(); ++i) {
      if (w[i] == "up") continue;
      if (w[i] == "netmask" && i + 1 < w.size()) {
        absl::StatusOr<Ipv4Address> m = ParseAddr(command, w[++i]);
        if (!m.ok()) return m.status();
        absl::StatusOr<int> l = MaskLength(*m);
        if (!l.ok()) return Usage(command, l.status().message());
        len = *l;
      } else if (w[i] == "mtu" && i + 1 < w.size()) {
        int mtu = 0;
        if (!absl::SimpleAtoi(w[++i], &mtu) || mtu < 68 || mtu > 65535)
          return Usage(command, "mtu must be 68-65535");
        ifaces_[port].mtu = static_cast<uint16_t>(mtu);
      } else if (w[i] == "hw" && i + 2 < w.size() && w[i + 1] == "ether") {
        absl::StatusOr<MacAddress> mac = MacAddress::Parse(w[i + 2]);
        if (!mac.ok()) return Usage(command, mac.status().message());
        ifaces_[port].mac = *mac;
        i += 2;
      } else {
        return Usage(command, absl::StrCat("unexpected '", w[i], "'"));
      }
    }
    RebuildPlane();
    if (!addr) return absl::OkStatus();
    if (len < 0) len = 24;  // ifconfig's classful guess, simplified
    return AddAddress(label, *addr, len);
  }
  if (is({"ip", "route", "add"}) && w.size() >= 4) {
    Ipv4Prefix prefix;
    if (w[3] == "default") {
      prefix = Ipv4Prefix();
    } else {
      absl::StatusOr<ParsedPrefix> p = ParsePrefix(w[3], HostBitsPolicy::kRefuse);
      if (!p.ok()) return Usage(command, p.status().message());
      prefix = p->prefix;
    }
    auto opts = Options(command, w, 4, {"via", "dev", "metric", "proto", "scope", "src"});
    if (!opts.ok()) return opts.status();
    return AddRouteWith(command, prefix, *opts, "via");
  }
  if (is({"route", "add"}) && w.size() >= 3) {
    Ipv4Prefix prefix;
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
    return AddRouteWith(command, prefix, *opts, "gw");
  }
  if (is({"arp", "-s"}) && w.size() == 4) {
    absl::StatusOr<Ipv4Address> ip = ParseAddr(command, w[2]);
    if (!ip.ok()) return ip.status();
    absl::StatusOr<MacAddress> mac = MacAddress::Parse(w[3]);
    if (!mac.ok()) return Usage(command, mac.status().message());
    std::vector<NeighborAction> released;
    absl::Status s = neighbors_.AddPermanent(*ip, *mac, &released);
    RunActions(released);
    return s;
  }
  if (is({"arp", "-d"}) && w.size() == 3) {
    absl::StatusOr<Ipv4Address> ip = ParseAddr(command, w[2]);
    if (!ip.ok()) return ip.status();
    return neighbors_.Delete(*ip);
  }
  if ((is({"sysctl", "-w"}) && w.size() == 3) || (is({"sysctl"}) && w.size() == 2)) {
    const std::string& kv = w.back();
    const size_t eq = kv.find('=');
    int value = 0;
    if (eq == std::string::npos || !absl::SimpleAtoi(kv.substr(eq + 1), &value))
      return Usage(command, "expected key=value");
    const std::string key = kv.substr(0, eq);
    if (key == "net.ipv4.ip_forward") {
      ip_forward_ = value != 0;
      return absl::OkStatus();
    }
    absl::string_view rest = key;
    if (absl::ConsumePrefix(&rest, "net.ipv4.conf.") &&
        absl::ConsumeSuffix(&rest, ".arp_ignore")) {
      if (value < 0 || value > 8) return Usage(command, "arp_ignore is 0-8");
      if (rest == "all") {
        arp_ignore_all_ = value;
      } else {
        ifaces_[AddInterface(rest)].arp_ignore = value;
      }
      return absl::OkStatus();
    }
    return Usage(command, absl::StrCat("unsupported sysctl '", key, "'"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown command '", command, "'"));
}

}  // namespace nexthop
