#include "sim/ping.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "net/wire.h"
#include "sim/quoted_echo.h"

namespace nexthop {
namespace {

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

std::string ErrorText(const IcmpMessage& m) {
  if (m.type == IcmpType::kTimeExceeded) return "Time to live exceeded";
  switch (m.code) {
    case kCodeNetUnreachable:
      return "Destination Net Unreachable";
    case kCodeHostUnreachable:
      return "Destination Host Unreachable";
    case kCodeFragmentationNeeded:
      return absl::StrCat("Frag needed and DF set (mtu = ", m.next_hop_mtu,
                          ")");
  }
  return absl::StrCat("Destination Unreachable, code ", m.code);
}

}  // namespace

Ping::Ping(ControlPlane* cp, AppRuntime* rt, Options options)
    : cp_(cp), rt_(rt), o_(options) {
  cp_->AddIcmpListener(this);
}

Ping::~Ping() { cp_->RemoveIcmpListener(this); }

void Ping::Start(std::function<void()> done) {
  done_ = std::move(done);
  group_ = o_.dst.IsMulticast() || cp_->IsBroadcast(o_.dst);
  if (cp_->IsBroadcast(o_.dst)) {
    if (!o_.broadcast) {  // ping stops here, before its first line
      rt_->Print(
          "ping: Do you want to ping broadcast? Then -b. If not, check your "
          "local firewall rules");
      finished_ = true;
      done_();
      return;
    }
    rt_->Print("WARNING: pinging broadcast address");
  }
  rt_->Print(absl::StrFormat("PING %s (%s) %d(%d) bytes of data.",
                             o_.dst.ToString(), o_.dst.ToString(), o_.size,
                             o_.size + 28));
  first_ = rt_->Now();
  SendNext();
}

void Ping::OnIcmp(const Ipv4View& ip, const IcmpMessage& m) {
  if (finished_) return;
  if (m.type == IcmpType::kEchoReply) {
    if (m.id != o_.id || (!group_ && ip.src != o_.dst)) return;
    // (A reply to a request of ours from another address is someone
    // else's; to a group, any member may answer.)
    std::string dup;
    absl::Time sent;
    if (auto it = sent_at_.find(m.seq); it != sent_at_.end()) {
      sent = it->second;
      sent_at_.erase(it);
      answered_.insert(m.seq);
      rtts_.push_back(Ms(rt_->Now() - sent));
    } else if (answered_.count(m.seq)) {  // answered already: as ping, DUP!
      ++duplicates_;
      dup = " (DUP!)";
      sent = first_ + o_.interval * (m.seq - 1);  // when it was sent
    } else {
      return;
    }
    rt_->Print(absl::StrFormat(
        "%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms%s", m.length,
        ip.src.ToString(), m.seq, ip.ttl, Ms(rt_->Now() - sent), dup));
  } else {
    uint16_t id, seq;
    if (!QuotedEcho(m, &id, &seq) || id != o_.id || !sent_at_.count(seq))
      return;
    sent_at_.erase(seq);
    ++errors_;
    rt_->Print(absl::StrFormat("From %s icmp_seq=%d %s", ip.src.ToString(), seq,
                               ErrorText(m)));
  }
  MaybeFinish();
}

void Ping::OnHostUnreachable(const Ipv4View& ip) {
  if (finished_ || ip.protocol != kProtoIcmp || ip.payload.size() < 8) return;
  const uint16_t id = wire::Load16(ip.payload, 4);
  const uint16_t seq = wire::Load16(ip.payload, 6);
  if (id != o_.id || !sent_at_.count(seq)) return;
  sent_at_.erase(seq);
  ++errors_;
  rt_->Print(absl::StrFormat("From %s icmp_seq=%d Destination Host Unreachable",
                             ip.src.ToString(), seq));
  MaybeFinish();
}

void Ping::SendNext() {
  if (finished_) return;
  const uint16_t seq = static_cast<uint16_t>(++sent_);
  sent_at_[seq] = rt_->Now();
  last_send_ = rt_->Now();
  if (absl::Status s =
          cp_->SendIcmpEcho({.dst = o_.dst,
                             .id = o_.id,
                             .seq = seq,
                             .ttl = static_cast<uint8_t>(o_.ttl),
                             .data_bytes = static_cast<size_t>(o_.size),
                             .dont_fragment = o_.dont_fragment,
                             .broadcast = o_.broadcast});
      !s.ok()) {
    rt_->Print(absl::StrCat("ping: ", s.message()));
    Finish();
    return;
  }
  auto self = shared_from_this();
  if (sent_ < o_.count) {
    rt_->Schedule(o_.interval, [self] { self->SendNext(); });
  } else {
    // ping -c waits for the last answers (here up to 10 seconds, its -W
    // default for a silent network), then reports.
    rt_->Schedule(absl::Seconds(10), [self] { self->Finish(); });
  }
}

void Ping::MaybeFinish() {
  if (sent_ == o_.count && sent_at_.empty()) Finish();
}

void Ping::Finish() {
  if (finished_) return;
  finished_ = true;
  const int received = static_cast<int>(rtts_.size());
  rt_->Print("");
  rt_->Print(absl::StrFormat("--- %s ping statistics ---", o_.dst.ToString()));
  std::string line =
      absl::StrFormat("%d packets transmitted, %d received, ", sent_, received);
  if (duplicates_ > 0)
    absl::StrAppend(&line, "+", duplicates_, " duplicates, ");
  if (errors_ > 0) absl::StrAppend(&line, "+", errors_, " errors, ");
  const int loss = sent_ == 0 ? 0 : (sent_ - received) * 100 / sent_;
  absl::StrAppend(&line, loss, "% packet loss, time ",
                  static_cast<int64_t>(Ms(last_send_ - first_)), "ms");
  rt_->Print(line);
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
    rt_->Print(absl::StrFormat("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms",
                               lo, avg, hi, mdev));
  }
  done_();
}

}  // namespace nexthop
