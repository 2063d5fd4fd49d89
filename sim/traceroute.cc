#include "sim/traceroute.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/quoted_echo.h"

namespace nexthop {

Traceroute::Traceroute(ControlPlane* cp, AppRuntime* rt, Ipv4Address dst,
                       int max_hops, uint16_t id)
    : cp_(cp), rt_(rt), dst_(dst), max_hops_(max_hops), id_(id) {
  cp_->AddIcmpListener(this);
}

Traceroute::~Traceroute() { cp_->RemoveIcmpListener(this); }

void Traceroute::Start(std::function<void()> done) {
  done_ = std::move(done);
  rt_->Print(
      absl::StrFormat("traceroute to %s (%s), %d hops max, 60 byte packets",
                      dst_.ToString(), dst_.ToString(), max_hops_));
  Probe();
}

void Traceroute::OnIcmp(const Ipv4View& ip, const IcmpMessage& m) {
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
  Record(ip.src, absl::ToDoubleMilliseconds(rt_->Now() - sent_));
}

void Traceroute::Probe() {
  answered_ = false;
  seq_ = static_cast<uint16_t>(ttl_ * kProbes + probe_);
  sent_ = rt_->Now();
  if (absl::Status s = cp_->SendIcmpEcho({.dst = dst_,
                                          .id = id_,
                                          .seq = seq_,
                                          .ttl = static_cast<uint8_t>(ttl_),
                                          .data_bytes = 32});
      !s.ok()) {
    // A broadcast destination: the socket's connect() says EACCES.
    rt_->Print(absl::StrCat("traceroute: ", absl::IsPermissionDenied(s)
                                                ? "connect: Permission denied"
                                                : s.message()));
    finished_ = true;
    done_();
    return;
  }
  auto self = shared_from_this();
  const uint16_t seq = seq_;
  const int ttl = ttl_;
  // No answer in 5 seconds: a star.
  rt_->Schedule(absl::Seconds(5), [self, seq, ttl] {
    if (!self->finished_ && !self->answered_ && self->seq_ == seq &&
        self->ttl_ == ttl) {
      self->answered_ = true;
      self->Record(std::nullopt, 0);
    }
  });
}

void Traceroute::Record(std::optional<Ipv4Address> from, double ms) {
  if (probe_ == 0) line_ = absl::StrFormat("%2d ", ttl_);
  if (!from) {
    absl::StrAppend(&line_, " *");
  } else {
    if (!last_ || *last_ != *from)
      absl::StrAppend(&line_, " ", from->ToString());
    last_ = from;
    absl::StrAppend(&line_, absl::StrFormat("  %.3f ms", ms), mark_);
  }
  mark_.clear();
  if (++probe_ < kProbes) {
    auto self = shared_from_this();
    rt_->Schedule(absl::ZeroDuration(), [self] { self->Probe(); });
    return;
  }
  rt_->Print(line_);
  probe_ = 0;
  last_.reset();
  if (reached_ || ttl_ >= max_hops_) {
    finished_ = true;
    done_();
    return;
  }
  ++ttl_;
  auto self = shared_from_this();
  rt_->Schedule(absl::ZeroDuration(), [self] { self->Probe(); });
}

}  // namespace nexthop
