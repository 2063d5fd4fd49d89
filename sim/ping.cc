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
  rt_->Print(absl::StrFormat("PING %s (%s) %d(%d) bytes of data.",
                             o_.dst.ToString(), o_.dst.ToString(), o_.size,
                             o_.size + 28));
  first_ = rt_->Now();
  SendNext();
}

void Ping::OnIcmp(const Ipv4View& ip, const IcmpMessage& m) {
  if (finished_) return;
  if (m.type == IcmpType::kEchoReply) {
    if (m.id != o_.id || ip.src != o_.dst || !sent_at_.count(m.seq)) return;
    const double rtt = Ms(rt_->Now() - sent_at_[m.seq]);
    sent_at_.erase(m.seq);
    rtts_.push_back(rtt);
    rt_->Print(
        absl::StrFormat("%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms",
                        m.length, ip.src.ToString(), m.seq, ip.ttl, rtt));
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
          cp_->SendIcmpEcho(o_.dst, o_.id, seq, static_cast<uint8_t>(o_.ttl),
                            static_cast<size_t>(o_.size));
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
