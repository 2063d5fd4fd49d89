// ping, traceroute and the show commands of a simulated node.
#include "sim/node_apps.h"

#include <cmath>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "net/wire.h"

namespace nexthop {
namespace {

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

// The id and seq of our echo request quoted in an ICMP error.
bool QuotedEcho(const IcmpMessage& m, uint16_t* id, uint16_t* seq) {
  if (m.body.size() < 20) return false;
  const size_t ihl = static_cast<size_t>(m.body[0] & 0x0F) * 4;
  if (ihl < 20 || m.body.size() < ihl + 8 || m.body[9] != kProtoIcmp ||
      m.body[ihl] != static_cast<uint8_t>(IcmpType::kEchoRequest)) {
    return false;
  }
  *id = wire::Load16(m.body, ihl + 4);
  *seq = wire::Load16(m.body, ihl + 6);
  return true;
}

std::string ErrorText(const IcmpMessage& m) {
  if (m.type == IcmpType::kTimeExceeded) return "Time to live exceeded";
  switch (m.code) {
    case kCodeNetUnreachable:
      return "Destination Net Unreachable";
    case kCodeHostUnreachable:
      return "Destination Host Unreachable";
    case kCodeFragmentationNeeded:
      return absl::StrCat("Frag needed and DF set (mtu = ", m.next_hop_mtu, ")");
  }
  return absl::StrCat("Destination Unreachable, code ", m.code);
}

struct Flags {
  std::map<std::string, std::string> values;
  std::string target;
};

absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& w,
                                 const std::vector<std::string>& with_value) {
  Flags f;
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i].size() > 1 && w[i][0] == '-') {
      if (std::find(with_value.begin(), with_value.end(), w[i]) ==
              with_value.end() ||
          i + 1 >= w.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(w[0], ": unsupported option '", w[i], "'"));
      }
      f.values[w[i]] = w[i + 1];
      ++i;
    } else if (f.target.empty()) {
      f.target = w[i];
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(w[0], ": unexpected '", w[i], "'"));
    }
  }
  if (f.target.empty())
    return absl::InvalidArgumentError(absl::StrCat(w[0], ": missing destination"));
  return f;
}

absl::Status IntFlag(const Flags& f, const std::string& name, int lo, int hi,
                     int* out) {
  auto it = f.values.find(name);
  if (it == f.values.end()) return absl::OkStatus();
  if (!absl::SimpleAtoi(it->second, out) || *out < lo || *out > hi) {
    return absl::InvalidArgumentError(absl::StrCat(
        "option ", name, " needs a number from ", lo, " to ", hi));
  }
  return absl::OkStatus();
}

class Ping final : public Node::Session,
                   public std::enable_shared_from_this<Ping> {
 public:
  Ping(Node* node, Network* net, Ipv4Address dst, int count, int ttl,
       int size, uint16_t id, absl::Duration interval)
      : node_(node), net_(net), dst_(dst), count_(count), ttl_(ttl),
        size_(size), id_(id), interval_(interval) {}
  void set_done(std::function<void()> done) { done_ = std::move(done); }

  void Start() {
    net_->Print(absl::StrFormat("PING %s (%s) %d(%d) bytes of data.",
                                dst_.ToString(), dst_.ToString(), size_,
                                size_ + 28));
    first_ = net_->Now();
    SendNext();
  }

  void OnIcmp(const Ipv4View& ip, const IcmpMessage& m) override {
    if (finished_) return;
    if (m.type == IcmpType::kEchoReply) {
      if (m.id != id_ || ip.src != dst_ || !sent_at_.count(m.seq)) return;
      const double rtt = Ms(net_->Now() - sent_at_[m.seq]);
      sent_at_.erase(m.seq);
      rtts_.push_back(rtt);
      net_->Print(absl::StrFormat("%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms",
                                  m.length, ip.src.ToString(), m.seq, ip.ttl, rtt));
    } else {
      uint16_t id, seq;
      if (!QuotedEcho(m, &id, &seq) || id != id_ || !sent_at_.count(seq)) return;
      sent_at_.erase(seq);
      ++errors_;
      net_->Print(absl::StrFormat("From %s icmp_seq=%d %s", ip.src.ToString(),
                                  seq, ErrorText(m)));
    }
    MaybeFinish();
  }

  void OnHostUnreachable(const Ipv4View& ip) override {
    if (finished_ || ip.protocol != kProtoIcmp || ip.payload.size() < 8) return;
    const uint16_t id = wire::Load16(ip.payload, 4);
    const uint16_t seq = wire::Load16(ip.payload, 6);
    if (id != id_ || !sent_at_.count(seq)) return;
    sent_at_.erase(seq);
    ++errors_;
    net_->Print(absl::StrFormat("From %s icmp_seq=%d Destination Host Unreachable",
                                ip.src.ToString(), seq));
    MaybeFinish();
  }

 private:
  void SendNext() {
    if (finished_) return;
    const uint16_t seq = static_cast<uint16_t>(++sent_);
    sent_at_[seq] = net_->Now();
    last_send_ = net_->Now();
    std::string error;
    node_->SendIcmpEcho(dst_, id_, seq, static_cast<uint8_t>(ttl_),
                        static_cast<size_t>(size_), &error);
    if (!error.empty()) {
      net_->Print(absl::StrCat("ping: ", error));
      Finish();
      return;
    }
    auto self = shared_from_this();
    if (sent_ < count_) {
      net_->Schedule(interval_, [self] { self->SendNext(); });
    } else {
      // ping -c waits for the last answers (here up to 10 seconds, its -W
      // default for a silent network), then reports.
      net_->Schedule(absl::Seconds(10), [self] { self->Finish(); });
    }
  }

  void MaybeFinish() {
    if (sent_ == count_ && sent_at_.empty()) Finish();
  }

  void Finish() {
    if (finished_) return;
    finished_ = true;
    const int received = static_cast<int>(rtts_.size());
    net_->Print("");
    net_->Print(absl::StrFormat("--- %s ping statistics ---", dst_.ToString()));
    std::string line = absl::StrFormat("%d packets transmitted, %d received, ",
                                       sent_, received);
    if (errors_ > 0) absl::StrAppend(&line, "+", errors_, " errors, ");
    const int loss = sent_ == 0 ? 0 : (sent_ - received) * 100 / sent_;
    absl::StrAppend(&line, loss, "% packet loss, time ",
                    static_cast<int64_t>(Ms(last_send_ - first_)), "ms");
    net_->Print(line);
    if (received > 0) {
      double lo = rtts_[0], hi = rtts_[0], sum = 0, sq = 0;
      for (double r : rtts_) {
        lo = std::min(lo, r);
        hi = std::max(hi, r);
        sum += r;
        sq += r * r;
      }
      const double avg = sum / received;
      const double mdev = std::sqrt(std::max(0.0, sq / received - avg * avg));
      net_->Print(absl::StrFormat("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms",
                                  lo, avg, hi, mdev));
    }
    done_();
  }

  Node* node_;
  Network* net_;
  Ipv4Address dst_;
  int count_, ttl_, size_;
  uint16_t id_;
  absl::Duration interval_;
  std::function<void()> done_;
  int sent_ = 0, errors_ = 0;
  std::vector<double> rtts_;
  std::map<uint16_t, absl::Time> sent_at_;
  absl::Time first_, last_send_;
  bool finished_ = false;
};

// traceroute with ICMP echo probes (traceroute -I -n): three per hop.
class Traceroute final : public Node::Session,
                         public std::enable_shared_from_this<Traceroute> {
 public:
  Traceroute(Node* node, Network* net, Ipv4Address dst, int max_hops,
             uint16_t id)
      : node_(node), net_(net), dst_(dst), max_hops_(max_hops), id_(id) {}
  void set_done(std::function<void()> done) { done_ = std::move(done); }

  void Start() {
    net_->Print(absl::StrFormat("traceroute to %s (%s), %d hops max, 60 byte packets",
                                dst_.ToString(), dst_.ToString(), max_hops_));
    Probe();
  }

  void OnIcmp(const Ipv4View& ip, const IcmpMessage& m) override {
    if (finished_) return;
    uint16_t id, seq;
    if (m.type == IcmpType::kEchoReply) {
      id = m.id;
      seq = m.seq;
      if (ip.src == dst_) reached_ = true;
    } else if (!QuotedEcho(m, &id, &seq)) {
      return;
    }
    if (id != id_ || seq != seq_ || answered_) return;
    if (m.type == IcmpType::kDestUnreachable) {
      reached_ = true;
      mark_ = m.code == kCodeNetUnreachable ? " !N" : " !H";
    }
    answered_ = true;
    Record(ip.src, Ms(net_->Now() - sent_));
  }

  void OnHostUnreachable(const Ipv4View&) override {}

 private:
  static constexpr int kProbes = 3;

  void Probe() {
    answered_ = false;
    seq_ = static_cast<uint16_t>(ttl_ * kProbes + probe_);
    sent_ = net_->Now();
    std::string error;
    node_->SendIcmpEcho(dst_, id_, seq_, static_cast<uint8_t>(ttl_), 32, &error);
    if (!error.empty()) {
      net_->Print(absl::StrCat("traceroute: ", error));
      finished_ = true;
      done_();
      return;
    }
    auto self = shared_from_this();
    const uint16_t seq = seq_;
    const int ttl = ttl_;
    // No answer in 5 seconds: a star.
    net_->Schedule(absl::Seconds(5), [self, seq, ttl] {
      if (!self->finished_ && !self->answered_ && self->seq_ == seq &&
          self->ttl_ == ttl) {
        self->answered_ = true;
        self->Record(std::nullopt, 0);
      }
    });
  }

  void Record(std::optional<Ipv4Address> from, double ms) {
    if (probe_ == 0) line_ = absl::StrFormat("%2d ", ttl_);
    if (!from) {
      absl::StrAppend(&line_, " *");
    } else {
      if (!last_ || *last_ != *from) absl::StrAppend(&line_, " ", from->ToString());
      last_ = from;
      absl::StrAppend(&line_, absl::StrFormat("  %.3f ms", ms), mark_);
    }
    mark_.clear();
    if (++probe_ < kProbes) {
      auto self = shared_from_this();
      net_->Schedule(absl::ZeroDuration(), [self] { self->Probe(); });
      return;
    }
    net_->Print(line_);
    probe_ = 0;
    last_.reset();
    if (reached_ || ttl_ >= max_hops_) {
      finished_ = true;
      done_();
      return;
    }
    ++ttl_;
    auto self = shared_from_this();
    net_->Schedule(absl::ZeroDuration(), [self] { self->Probe(); });
  }

  Node* node_;
  Network* net_;
  Ipv4Address dst_;
  int max_hops_;
  uint16_t id_;
  std::function<void()> done_;
  int ttl_ = 1, probe_ = 0;
  uint16_t seq_ = 0;
  absl::Time sent_;
  bool answered_ = false, reached_ = false, finished_ = false;
  std::optional<Ipv4Address> last_;
  std::string line_, mark_;
};

}  // namespace

std::string Node::FormatArp() const {
  std::string out;
  for (const NeighborEntry& e : neighbors_.Entries()) {
    const int port = PortForNeighbor(e.ip);
    const std::string dev = port >= 0 ? ifaces_[port].name : "?";
    if (e.mac) {
      absl::StrAppend(&out, "? (", e.ip.ToString(), ") at ", e.mac->ToString(),
                      " [ether] ",
                      e.state == NeighborState::kPermanent ? "PERM " : "",
                      "on ", dev, "\n");
    } else {
      absl::StrAppend(&out, "? (", e.ip.ToString(), ") at <incomplete> on ",
                      dev, "\n");
    }
  }
  return out;
}

// Called when a session ends: forget it (after this event, since the
// session is still on the stack) and tell the caller.
std::function<void()> Node::Finisher(Session* s, std::function<void()> done) {
  return [this, s, done = std::move(done)] {
    net_->Schedule(absl::ZeroDuration(), [this, s] {
      std::erase_if(sessions_, [s](const auto& p) { return p.get() == s; });
    });
    done();
  };
}

absl::Status Node::Execute(absl::string_view command,
                           std::function<void()> done) {
  const std::vector<std::string> w =
      absl::StrSplit(command, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (w.empty()) {
    done();
    return absl::OkStatus();
  }
  auto print_block = [&](const std::string& text) {
    for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty()))
      net_->Print(std::string(line));
  };
  // A stable per-node id, as ping's would be its pid.
  const uint16_t id = static_cast<uint16_t>(
      (std::hash<std::string>{}(name_) ^ net_->seed()) & 0x7fff);
  if (w[0] == "ping") {
    absl::StatusOr<Flags> f = ParseFlags(w, {"-c", "-t", "-s", "-e", "-i"});
    if (!f.ok()) return f.status();
    int count = 4, ttl = 64, size = 56, ident = id, interval_ms = 1000;
    absl::StatusOr<Ipv4Address> dst = Ipv4Address::Parse(f->target);
    if (!dst.ok()) return absl::InvalidArgumentError(absl::StrCat("ping: ", f->target, ": Name or service not known"));
    for (absl::Status s :
         {IntFlag(*f, "-c", 1, 1000000, &count), IntFlag(*f, "-t", 1, 255, &ttl),
          IntFlag(*f, "-s", 0, 65507, &size), IntFlag(*f, "-e", 0, 65535, &ident)}) {
      if (!s.ok()) return s;
    }
    if (auto it = f->values.find("-i"); it != f->values.end()) {
      double seconds = 0;
      if (!absl::SimpleAtod(it->second, &seconds) || seconds < 0.001 || seconds > 3600)
        return absl::InvalidArgumentError("ping: bad interval");
      interval_ms = static_cast<int>(seconds * 1000);
    }
    auto ping = std::make_shared<Ping>(this, net_, *dst, count, ttl, size,
                                       static_cast<uint16_t>(ident),
                                       absl::Milliseconds(interval_ms));
    ping->set_done(Finisher(ping.get(), std::move(done)));
    sessions_.push_back(ping);
    ping->Start();
    return absl::OkStatus();
  }
  if (w[0] == "traceroute") {
    absl::StatusOr<Flags> f = ParseFlags(w, {"-m"});
    if (!f.ok()) return f.status();
    int max_hops = 30;
    if (absl::Status s = IntFlag(*f, "-m", 1, 255, &max_hops); !s.ok()) return s;
    absl::StatusOr<Ipv4Address> dst = Ipv4Address::Parse(f->target);
    if (!dst.ok()) return absl::InvalidArgumentError(absl::StrCat("traceroute: ", f->target, ": Name or service not known"));
    auto t = std::make_shared<Traceroute>(this, net_, *dst, max_hops, id);
    t->set_done(Finisher(t.get(), std::move(done)));
    sessions_.push_back(t);
    t->Start();
    return absl::OkStatus();
  }
  if (command == "arp -a" || command == "arp -an" || command == "arp -n" ||
      command == "arp") {
    print_block(FormatArp());
  } else if (command == "route -n" || command == "route") {
    print_block(FormatRouteN(fib_->routes()));
  } else if (command == "ip route" || command == "ip r" ||
             command == "ip route show") {
    print_block(FormatIpRoute(fib_->routes()));
  } else if (command == "ip neigh" || command == "ip n" ||
             command == "ip neigh show") {
    for (const NeighborEntry& e : neighbors_.Entries()) {
      const int port = PortForNeighbor(e.ip);
      net_->Print(absl::StrCat(
          e.ip.ToString(), " dev ", port >= 0 ? ifaces_[port].name : "?",
          e.mac ? absl::StrCat(" lladdr ", e.mac->ToString()) : "", " ",
          NeighborStateName(e.state)));
    }
  } else if (command == "drops") {
    for (const auto& [reason, n] : drops_) {
      net_->Print(absl::StrCat(DropReasonName(reason), ": ", n));
    }
    net_->Print(absl::StrCat("forwarded: ", forwarded_));
  } else if (w[0] == "sleep" && w.size() == 2) {
    double seconds = 0;
    if (!absl::SimpleAtod(w[1], &seconds) || seconds < 0 || seconds > 86400)
      return absl::InvalidArgumentError("sleep: bad time");
    net_->Schedule(absl::Milliseconds(static_cast<int64_t>(seconds * 1000)),
                   std::move(done));
    return absl::OkStatus();
  } else {
    if (absl::Status s = Configure(command); !s.ok()) return s;
  }
  done();
  return absl::OkStatus();
}

}  // namespace nexthop
