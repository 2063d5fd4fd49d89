// ControlPlane: construction, configuration and the fast path's tables.
#include "sim/control_plane.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

NeighborConfig NeighborConfigFor(uint64_t seed) {
  NeighborConfig c;
  c.seed = seed | 1;  // never 0: that would pick a random seed
  return c;
}

}  // namespace

ControlPlane::ControlPlane(const Clock* clock, Io* io, Options options)
    : io_(io),
      ip_forward_(options.router),
      base_mac_(options.base_mac),
      fib_(std::make_unique<Fib<AnyLpm>>(*AnyLpm::Create("patricia"))),
      neighbors_(clock, NeighborConfigFor(options.seed)),
      plane_({&fib_->lpm(), {}, {}, &neighbors_, {}}),
      adjacencies_(&plane_, &neighbors_) {
  const int lo = AddInterface("lo");
  ifaces_[lo].loopback = true;
  ifaces_[lo].mac = MacAddress();
  ifaces_[lo].mtu = 65535;
  ifaces_[lo].addresses.push_back(
      {Ipv4Address::FromOctets(127, 0, 0, 1), 8, "lo", Scope::kHost});
  RebuildPlane();
}

ControlPlane::~ControlPlane() = default;

int ControlPlane::PortIndex(absl::string_view name) const {
  for (size_t i = 0; i < ifaces_.size(); ++i) {
    if (ifaces_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string ControlPlane::PortName(int port) const {
  return port >= 0 && static_cast<size_t>(port) < ifaces_.size()
             ? ifaces_[port].name
             : "?";
}

int ControlPlane::AddInterface(absl::string_view name) {
  if (int i = PortIndex(name); i >= 0) return i;
  Interface iface;
  iface.name = std::string(name);
  iface.arp_ignore = arp_ignore_default_;
  // Deterministic: the base MAC with the interface number.
  iface.mac = MacAddress::FromUint64(base_mac_.ToUint64() + ifaces_.size());
  ifaces_.push_back(std::move(iface));
  RebuildPlane();
  return static_cast<int>(ifaces_.size() - 1);
}

// The fast path reads its own copies (ports, local addresses) and the
// adjacency of each next hop, so every change to interfaces or routes ends
// here. Gateways' MACs come from the neighbour cache (AdjacencyTable).
void ControlPlane::RebuildPlane() {
  ForwardingPlane<AnyLpm>::OwnedTables t{&fib_->lpm(), {}, {}, &neighbors_, {}};
  local_.clear();
  broadcast_.clear();
  for (const Interface& i : ifaces_) {
    t.ports.push_back({i.mac, i.mtu});
    for (const Address& a : i.addresses) {
      local_.push_back(a.ip);
      // The kernel's "broadcast" local route, for prefixes that have one.
      if (a.length < 31)
        broadcast_.push_back(Ipv4Address(a.ip.value() | ~MaskBits(a.length)));
    }
  }
  t.local = local_;
  t.local.insert(t.local.end(), broadcast_.begin(), broadcast_.end());
  const NextHopTable& hops = fib_->next_hops();
  t.adjacency.assign(hops.size(), Adjacency{});
  for (size_t id = 0; id < hops.size(); ++id) {
    const NextHop& h = hops.Get(static_cast<NextHopId>(id));
    Adjacency& a = t.adjacency[id];
    a.port = static_cast<uint16_t>(std::max(0, PortIndex(h.dev)));
    a.on_link = !h.gateway.has_value();
    if (h.gateway) a.gateway = *h.gateway;
  }
  adjacencies_.Publish(std::move(t));
}

bool ControlPlane::IsLocal(Ipv4Address ip) const {
  return std::find(local_.begin(), local_.end(), ip) != local_.end();
}

bool ControlPlane::IsBroadcast(Ipv4Address ip) const {
  return ip.IsLimitedBroadcast() ||
         std::find(broadcast_.begin(), broadcast_.end(), ip) !=
             broadcast_.end();
}

std::optional<Ipv4Address> ControlPlane::SourceFor(int port) const {
  for (const Address& a : ifaces_[port].addresses) return a.ip;
  for (const Interface& i : ifaces_) {
    if (!i.loopback && !i.addresses.empty()) return i.addresses[0].ip;
  }
  return std::nullopt;
}

// Bounded like the cache it annotates: past twice its capacity, entries
// the cache no longer has are dropped.
void ControlPlane::NotePort(Ipv4Address ip, int port) {
  neighbor_port_[ip.value()] = port;
  if (neighbor_port_.size() <= 2 * neighbors_.capacity()) return;
  std::erase_if(neighbor_port_, [this](const auto& e) {
    return !neighbors_.StateOf(Ipv4Address(e.first)).has_value();
  });
}

int ControlPlane::PortForNeighbor(Ipv4Address ip) const {
  auto it = neighbor_port_.find(ip.value());
  if (it != neighbor_port_.end()) return it->second;
  for (size_t p = 0; p < ifaces_.size(); ++p) {
    for (const Address& a : ifaces_[p].addresses) {
      if (!ifaces_[p].loopback &&
          Ipv4Prefix::Canonical(a.ip, a.length).Contains(ip))
        return static_cast<int>(p);
    }
  }
  return -1;
}

absl::Status ControlPlane::AddAddress(absl::string_view label, Ipv4Address ip,
                                      int length, std::optional<Scope> scope) {
  const std::string dev(label.substr(0, label.find(':')));
  const int port = AddInterface(dev);
  Interface& iface = ifaces_[port];
  for (const Address& a : iface.addresses) {
    if (a.ip == ip)
      return absl::AlreadyExistsError(
          absl::StrCat("RTNETLINK answers: File exists (", a.ip.ToString(),
                       " on ", dev, ")"));
  }
  const Scope chosen =
      scope.value_or(ip.IsLoopback() ? Scope::kHost : Scope::kGlobal);
  const Ipv4Prefix net = Ipv4Prefix::Canonical(ip, length);
  if (!iface.loopback && length != 32) {
    // The connected route, as the kernel adds it ("proto kernel scope
    // link"), first: if the table refuses it, the address is not added.
    Route r;
    r.prefix = net;
    r.next_hop.dev = dev;
    bool same = false;
    if (fib_->routes().Best(net).has_value())
      fib_->routes().ForEach([&](const Route& x) { same |= x == r; });
    if (!same) {
      if (absl::Status s = fib_->Add(std::vector<Route>{r}); !s.ok()) return s;
    }
  }
  iface.addresses.push_back({ip, length, std::string(label), chosen});
  RebuildPlane();
  return absl::OkStatus();
}

absl::Status ControlPlane::AddRoute(Ipv4Prefix prefix,
                                    std::optional<Ipv4Address> gateway,
                                    std::string dev, uint32_t metric) {
  if (gateway && dev.empty()) {
    // The kernel wants the gateway on a connected network.
    const int port = PortForNeighbor(*gateway);
    if (port < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("Network is unreachable: no interface has ",
                       gateway->ToString(), " on its network"));
    }
    dev = ifaces_[port].name;
  }
  if (dev.empty()) {
    return absl::InvalidArgumentError("a route needs a gateway or a device");
  }
  if (PortIndex(dev) < 0) {
    return absl::NotFoundError(
        absl::StrCat("Cannot find device \"", dev, "\""));
  }
  Route route;
  route.prefix = prefix;
  route.next_hop.gateway = gateway;
  route.next_hop.dev = dev;
  route.metric = metric;
  absl::Status s = fib_->Add(std::vector<Route>{route});
  RebuildPlane();
  return s;
}

absl::Status ControlPlane::DeleteRoute(const Route& route) {
  absl::Status s = fib_->Remove(std::vector<Route>{route});
  RebuildPlane();
  return s;
}

absl::Status ControlPlane::ReplaceLpm(AnyLpm lpm) {
  auto fib = std::make_unique<Fib<AnyLpm>>(std::move(lpm));
  std::vector<Route> routes;
  fib_->routes().ForEach([&](const Route& r) { routes.push_back(r); });
  if (absl::Status s = fib->Add(routes); !s.ok()) return s;
  fib_ = std::move(fib);
  RebuildPlane();
  return absl::OkStatus();
}

void ControlPlane::SetMac(int port, MacAddress mac) {
  ifaces_[port].mac = mac;
  RebuildPlane();
}

void ControlPlane::SetMtu(int port, uint16_t mtu) {
  ifaces_[port].mtu = mtu;
  RebuildPlane();
}

void ControlPlane::SetArpIgnore(int port, int value) {
  ifaces_[port].arp_ignore = value;
}

absl::Status ControlPlane::AddPermanentNeighbor(Ipv4Address ip,
                                                MacAddress mac) {
  std::vector<NeighborAction> released;
  absl::Status s = neighbors_.AddPermanent(ip, mac, &released);
  adjacencies_.Sync();
  RunActions(released);
  return s;
}

absl::Status ControlPlane::DeleteNeighbor(Ipv4Address ip) {
  absl::Status s = neighbors_.Delete(ip);
  adjacencies_.Sync();
  return s;
}

void ControlPlane::AddIcmpListener(IcmpListener* listener) {
  listeners_.push_back(listener);
}

void ControlPlane::RemoveIcmpListener(IcmpListener* listener) {
  std::erase(listeners_, listener);
}

bool ControlPlane::IsListening(const IcmpListener* l) const {
  return std::find(listeners_.begin(), listeners_.end(), l) != listeners_.end();
}

}  // namespace nexthop
