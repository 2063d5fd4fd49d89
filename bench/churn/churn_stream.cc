#include "bench/churn/churn_stream.h"

#include <map>
#include <variant>

#include "bench/harness/measure.h"
#include "rib/mrt_reader.h"

namespace nexthop::bench {
namespace {

constexpr uint16_t kEstablished = 6;

uint32_t AsPathLength(const mrt::Attributes& a) {
  uint32_t n = 0;
  for (const mrt::AsPathSegment& s : a.as_path) {
    if (s.type == mrt::AsPathSegment::kSequence) {
      n += static_cast<uint32_t>(s.asns.size());
    } else if (s.type == mrt::AsPathSegment::kSet) {
      n += 1;
    }
  }
  return n;
}

}  // namespace

absl::StatusOr<ChurnStream> LoadChurnStream(const std::string& path) {
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<mrt::Reader> reader = mrt::Reader::Open(path);
  if (!reader.ok()) return reader.status();
  ChurnStream out;
  out.path = path;
  // First pass keeps peers as addresses; they are numbered once all are
  // known, in address order.
  std::vector<mrt::Address> peer_of;  // per event kept
  mrt::Record record;
  for (;;) {
    absl::StatusOr<bool> more = reader->Next(record);
    if (!more.ok()) return more.status();
    if (!*more) break;
    for (const mrt::Event& e : record.events) {
      ++out.mrt_events;
      ChurnEvent c;
      if (e.kind == mrt::Event::Kind::kStateChange) {
        ++out.state_changes;
        if (e.new_state == kEstablished) continue;
        c.kind = ChurnEvent::Kind::kPeerDown;
      } else {
        const Ipv4Prefix* p = std::get_if<Ipv4Prefix>(&e.prefix);
        if (p == nullptr) {
          ++out.ipv6;
          continue;
        }
        if (e.safi != 1) {
          ++out.other_skipped;
          continue;
        }
        c.prefix = *p;
        if (e.kind == mrt::Event::Kind::kWithdraw) {
          c.kind = ChurnEvent::Kind::kWithdraw;
        } else {
          const Ipv4Address* nh =
              e.next_hop ? std::get_if<Ipv4Address>(&*e.next_hop) : nullptr;
          if (nh == nullptr || e.attributes < 0) {
            ++out.other_skipped;
            continue;
          }
          c.next_hop = *nh;
          c.as_path_length = AsPathLength(record.attributes[e.attributes]);
        }
      }
      peer_of.push_back(e.peer.address);
      out.events.push_back(c);
    }
  }
  std::map<mrt::Address, uint32_t> ids;  // variant order: IPv4 first
  for (const mrt::Address& a : peer_of) ids.emplace(a, 0);
  for (auto& [address, id] : ids) id = ++out.peers;
  for (size_t i = 0; i < out.events.size(); ++i) {
    out.events[i].peer = ids.at(peer_of[i]);
  }
  out.decode_s = Seconds(t0);
  return out;
}

}  // namespace nexthop::bench
