#include "sim/network.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "fwd/tcpdump.h"
#include "net/ethernet.h"
#include "sim/names.h"
#include "sim/node.h"
#include "sim/pcap_writer.h"
#include "sim/switch.h"

namespace nexthop {

struct Network::Link {
  Device* a;
  int a_port;
  Device* b;
  int b_port;
  absl::Duration delay;
  std::unique_ptr<PcapWriter> pcap;
};

Network::Network(Options options) : options_(options) {}
Network::~Network() = default;

absl::StatusOr<Node*> Network::AddNode(const std::string& name, bool router) {
  if (absl::Status s = ValidateNodeName(name); !s.ok()) return s;
  if (by_name_.contains(name))
    return absl::AlreadyExistsError(
        absl::StrCat("'", name, "' is defined twice"));
  // 02:42:ac:11:NN:00: locally administered, one block per node.
  const uint64_t base = 0x0242ac110000ull + (devices_.size() + 1) * 0x100;
  auto node =
      std::make_unique<Node>(this, name, router, MacAddress::FromUint64(base),
                             options_.seed * 1000003 + devices_.size());
  Node* raw = node.get();
  by_name_[name] = raw;
  devices_.push_back(std::move(node));
  return raw;
}

absl::StatusOr<Switch*> Network::AddSwitch(const std::string& name) {
  if (absl::Status s = ValidateNodeName(name); !s.ok()) return s;
  if (by_name_.contains(name))
    return absl::AlreadyExistsError(
        absl::StrCat("'", name, "' is defined twice"));
  auto sw = std::make_unique<Switch>(this, name);
  Switch* raw = sw.get();
  by_name_[name] = raw;
  devices_.push_back(std::move(sw));
  return raw;
}

Device* Network::FindDevice(absl::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

Node* Network::FindNode(absl::string_view name) const {
  return dynamic_cast<Node*>(FindDevice(name));
}

namespace {

absl::StatusOr<std::pair<Device*, int>> Resolve(Network* net, const Endpoint& e,
                                                bool create) {
  Device* d = net->FindDevice(e.device);
  if (d == nullptr)
    return absl::NotFoundError(
        absl::StrCat("no node or switch named '", e.device, "'"));
  int port = d->PortIndex(e.port);
  if (port < 0 && create) {
    if (absl::Status s = ValidateInterfaceName(e.port); !s.ok()) return s;
    if (auto* n = dynamic_cast<Node*>(d)) port = n->AddInterface(e.port);
    if (auto* s = dynamic_cast<Switch*>(d)) port = s->AddPort(e.port);
  }
  if (port < 0)
    return absl::NotFoundError(
        absl::StrCat("'", e.device, "' has no interface '", e.port, "'"));
  return std::make_pair(d, port);
}

}  // namespace

absl::Status Network::Connect(const Endpoint& a, const Endpoint& b,
                              absl::Duration delay) {
  auto ea = Resolve(this, a, true);
  if (!ea.ok()) return ea.status();
  auto eb = Resolve(this, b, true);
  if (!eb.ok()) return eb.status();
  if (ea->first == eb->first && ea->second == eb->second)
    return absl::InvalidArgumentError("a link needs two different ends");
  for (const auto& e : {*ea, *eb}) {
    if (link_of_.contains(e))
      return absl::AlreadyExistsError(absl::StrCat(e.first->name(), ":",
                                                   e.first->PortName(e.second),
                                                   " is already linked"));
  }
  if (auto* n = dynamic_cast<Node*>(ea->first);
      n && n->interfaces()[ea->second].loopback)
    return absl::InvalidArgumentError("lo cannot be linked");
  if (auto* n = dynamic_cast<Node*>(eb->first);
      n && n->interfaces()[eb->second].loopback)
    return absl::InvalidArgumentError("lo cannot be linked");
  auto link = std::make_unique<Link>(
      Link{ea->first, ea->second, eb->first, eb->second, delay, nullptr});
  link_of_[*ea] = link.get();
  link_of_[*eb] = link.get();
  links_.push_back(std::move(link));
  return absl::OkStatus();
}

bool Network::Connected(const Device* d, int port) const {
  return link_of_.contains({d, port});
}

absl::Status Network::Capture(const Endpoint& where) {
  auto e = Resolve(this, where, false);
  if (!e.ok()) return e.status();
  captures_.push_back(*e);
  return absl::OkStatus();
}

absl::Status Network::WritePcaps(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::UnavailableError(absl::StrCat(dir, ": ", ec.message()));
  for (auto& l : links_) {
    const std::string path = absl::StrCat(
        dir, "/", l->a->name(), "-", l->a->PortName(l->a_port), "--",
        l->b->name(), "-", l->b->PortName(l->b_port), ".pcap");
    absl::StatusOr<std::unique_ptr<PcapWriter>> w = PcapWriter::Open(path);
    if (!w.ok()) return w.status();
    l->pcap = *std::move(w);
  }
  return absl::OkStatus();
}

void Network::Print(const std::string& line) {
  if (out_ != nullptr) *out_ << line << "\n";
}

void Network::CaptureLine(const Device* d, int port,
                          std::span<const uint8_t> frame) {
  if (out_ == nullptr) return;
  for (const auto& c : captures_) {
    if (c.first != d || c.second != port) continue;
    std::string line;
    if (captures_.size() > 1)
      absl::StrAppend(&line, d->name(), ":", d->PortName(port), " ");
    if (options_.timestamps) {
      absl::StrAppend(
          &line, absl::FormatTime("%H:%M:%E6S ", Now(), absl::UTCTimeZone()));
    }
    EthernetHeader eth;
    if (options_.link_header && ParseEthernet(frame, &eth)) {
      const char* type = eth.ether_type == kEtherTypeIpv4  ? "IPv4"
                         : eth.ether_type == kEtherTypeArp ? "ARP"
                                                           : "Unknown";
      absl::StrAppend(
          &line, absl::StrFormat("%s > %s, ethertype %s (0x%04x), length %d: ",
                                 eth.src.ToString(), eth.dst.ToString(), type,
                                 eth.ether_type, frame.size()));
    }
    absl::StrAppend(&line, TcpdumpFrame(frame));
    Print(line);
  }
}

void Network::Transmit(Device* from, int port, std::vector<uint8_t> frame) {
  auto it = link_of_.find({from, port});
  if (it == link_of_.end()) return;  // nothing plugged in
  Link* l = it->second;
  CaptureLine(from, port, frame);
  if (l->pcap) l->pcap->Write(Now(), frame);
  Device* to = l->a == from && l->a_port == port ? l->b : l->a;
  const int to_port = l->a == from && l->a_port == port ? l->b_port : l->a_port;
  Schedule(l->delay, [this, to, to_port, f = std::move(frame)]() mutable {
    CaptureLine(to, to_port, f);
    to->Receive(to_port, std::move(f));
  });
}

void Network::Schedule(absl::Duration after, std::function<void()> fn) {
  events_.push(Event{Now() + after, next_seq_++, std::move(fn)});
}

void Network::RunEvents(absl::Time until) {
  while (!events_.empty() && events_.top().at <= until) {
    if (budget_ == 0) return;
    --budget_;
    Event e = events_.top();
    events_.pop();
    if (e.at > clock_.Now()) clock_.Advance(e.at - clock_.Now());
    e.fn();
  }
}

absl::Status Network::Run(const std::string& device, const std::string& command,
                          std::ostream& out) {
  Device* d = FindDevice(device);
  if (d == nullptr)
    return absl::NotFoundError(
        absl::StrCat("no node or switch named '", device, "'"));
  out_ = &out;
  budget_ = options_.max_events;
  absl::Status s;
  if (auto* sw = dynamic_cast<Switch*>(d)) {
    s = sw->Execute(command);
  } else {
    bool done = false;
    s = static_cast<Node*>(d)->Execute(command, [&done] { done = true; });
    // Commands end in simulated time; an hour bounds a runaway one.
    const absl::Time horizon = Now() + absl::Hours(1);
    while (s.ok() && !done && budget_ > 0 && !events_.empty() &&
           events_.top().at <= horizon) {
      RunEvents(events_.top().at);
    }
  }
  // Let what is in flight land (trailing replies, ARP), briefly.
  RunEvents(Now() + absl::Seconds(1));
  out.flush();
  if (s.ok() && budget_ == 0) {
    // Frames that never die: a loop of switches (there is no spanning
    // tree) floods forever. Drop what is in flight and say so.
    events_ = {};
    return absl::ResourceExhaustedError(
        absl::StrCat("stopped after ", options_.max_events,
                     " events: frames are circulating (a loop of switches?)"));
  }
  return s;
}

}  // namespace nexthop
