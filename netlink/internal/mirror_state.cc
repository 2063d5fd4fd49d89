#include "netlink/internal/mirror_state.h"

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "absl/strings/str_cat.h"

namespace nexthop::netlink_internal {
namespace {

void Keep(absl::Status& first, absl::Status s) {
  if (first.ok() && !s.ok()) first = std::move(s);
}

const char* RouteTypeName(uint8_t type) {
  switch (type) {
    case RTN_BLACKHOLE:
      return "blackhole";
    case RTN_UNREACHABLE:
      return "unreachable";
    case RTN_PROHIBIT:
      return "prohibit";
    case RTN_THROW:
      return "throw";
    case RTN_LOCAL:
      return "local";
    case RTN_BROADCAST:
      return "broadcast";
    case RTN_MULTICAST:
      return "multicast";
    default:
      return "non-unicast";
  }
}

}  // namespace

absl::Status MirrorState::HandleDatagram(const void* data, size_t size) {
  absl::Status first;
  const auto* nlh = static_cast<const nlmsghdr*>(data);
  int left = static_cast<int>(size);
  while (mnl_nlmsg_ok(nlh, left)) {
    ++stats_.messages;
    // A message that parses is applied; one that does not is counted.
    auto apply = [&](const auto& parsed, auto handle) {
      if (parsed.ok()) {
        Keep(first, (this->*handle)(*parsed));
      } else {
        ++stats_.malformed;
        Keep(first, parsed.status());
      }
    };
    const uint16_t type = nlh->nlmsg_type;
    if (type == RTM_NEWROUTE || type == RTM_DELROUTE) {
      apply(ParseRouteMessage(nlh, nlh->nlmsg_len), &MirrorState::HandleRoute);
    } else if (type == RTM_NEWLINK || type == RTM_DELLINK) {
      apply(ParseLinkMessage(nlh, nlh->nlmsg_len), &MirrorState::HandleLink);
    }
    nlh = mnl_nlmsg_next(nlh, &left);
  }
  if (left > 0) {
    ++stats_.malformed;
    Keep(first, absl::InvalidArgumentError(absl::StrCat(
                    "netlink datagram: its last ", left,
                    " bytes are not a whole message (truncated)")));
  }
  return first;
}

bool MirrorState::Ours(const ParsedRoute& parsed) const {
  return parsed.table == table_ &&
         std::holds_alternative<KernelRoute<Ipv4>>(parsed.route) &&
         (parsed.rtm_flags & RTM_F_CLONED) == 0;
}

std::optional<KernelRoute<Ipv4>> MirrorState::Mirrorable(
    const ParsedRoute& parsed, std::string* why) const {
  KernelRoute<Ipv4> r = std::get<KernelRoute<Ipv4>>(parsed.route);
  const std::string what =
      absl::StrCat(parsed.is_delete ? "RTM_DELROUTE " : "RTM_NEWROUTE ",
                   r.prefix.ToString(), " table ", table_);
  if (parsed.multipath) {
    *why = absl::StrCat(what,
                        ": RTA_MULTIPATH (several next hops) is not mirrored: "
                        "a rib route has one next hop");
    return std::nullopt;
  }
  if (!parsed.unsupported.empty()) {
    *why = absl::StrCat(what, ": ", parsed.unsupported,
                        " is not mirrored: the rib cannot hold it");
    return std::nullopt;
  }
  if (parsed.route_type != RTN_UNICAST) {
    *why = absl::StrCat(what, ": type ", RouteTypeName(parsed.route_type),
                        " is not mirrored: the rib holds unicast routes only");
    return std::nullopt;
  }
  if (r.ifindex == 0) {
    *why = absl::StrCat(what, ": no RTA_OIF (output device)");
    return std::nullopt;
  }
  r.dev = DevName(r.ifindex);
  return r;
}

absl::Status MirrorState::HandleRoute(const ParsedRoute& parsed) {
  if (!Ours(parsed)) {
    ++stats_.ignored;
    return absl::OkStatus();
  }
  const auto& r = std::get<KernelRoute<Ipv4>>(parsed.route);
  if (parsed.is_delete) return Erase(r.key());
  std::string why;
  std::optional<KernelRoute<Ipv4>> route = Mirrorable(parsed, &why);
  if (!route) {
    ++stats_.refused;
    if (log_) log_(why);
    // The kernel's route of this key is now one we cannot hold: the one
    // we held is gone.
    return Erase(r.key());
  }
  return Upsert(*route);
}

absl::Status MirrorState::HandleLink(const ParsedLink& link) {
  absl::Status first;
  if (link.is_delete || !link.up) {
    // IPv4 sends no RTM_DELROUTE for the routes a device takes with it.
    std::vector<Key> gone;
    for (const auto& [key, route] : routes_) {
      if (route.ifindex == link.ifindex) gone.push_back(key);
    }
    for (const Key& key : gone) {
      absl::Status s = Erase(key);
      if (s.ok()) ++stats_.link_drops;
      Keep(first, s);
    }
  }
  if (link.is_delete) {
    links_.erase(link.ifindex);
    return first;
  }
  Link& l = links_[link.ifindex];
  const bool renamed = !l.name.empty() && l.name != link.name;
  l = Link{link.name, link.up};
  if (renamed) {
    std::vector<KernelRoute<Ipv4>> renamed_routes;
    for (const auto& [key, route] : routes_) {
      if (route.ifindex == link.ifindex) renamed_routes.push_back(route);
    }
    for (KernelRoute<Ipv4>& r : renamed_routes) {
      r.dev = link.name;
      Keep(first, Upsert(r));
    }
  }
  return first;
}

absl::Status MirrorState::ApplyDump(const std::vector<ParsedLink>& links,
                                    const std::vector<ParsedRoute>& routes) {
  ++stats_.dumps;
  absl::Status first;
  links_.clear();
  for (const ParsedLink& l : links) links_[l.ifindex] = Link{l.name, l.up};
  // Mark: the routes the kernel has now.
  absl::btree_map<Key, KernelRoute<Ipv4>> want;
  for (const ParsedRoute& parsed : routes) {
    if (parsed.is_delete || !Ours(parsed)) continue;
    std::string why;
    std::optional<KernelRoute<Ipv4>> r = Mirrorable(parsed, &why);
    if (!r) {
      ++stats_.refused;
      if (log_) log_(why);
      continue;
    }
    want[r->key()] = *r;
  }
  // Sweep: what we hold and the kernel has not; then add or replace.
  std::vector<Key> gone;
  for (const auto& [key, route] : routes_) {
    if (!want.contains(key)) gone.push_back(key);
  }
  for (const Key& key : gone) Keep(first, Erase(key));
  for (const auto& [key, route] : want) Keep(first, Upsert(route));
  return first;
}

absl::Status MirrorState::Upsert(const KernelRoute<Ipv4>& route) {
  auto it = routes_.find(route.key());
  if (it == routes_.end()) {
    absl::Status s = Deliver({RouteEventKind::kAdd, route, std::nullopt});
    if (s.ok()) {
      routes_.emplace(route.key(), route);
      ++stats_.adds;
    }
    return s;
  }
  // A replayed event (an event queued before a dump that already had it).
  if (it->second == route) return absl::OkStatus();
  absl::Status s = Deliver({RouteEventKind::kReplace, route, it->second});
  if (s.ok()) {
    it->second = route;
    ++stats_.replaces;
  }
  return s;
}

absl::Status MirrorState::Erase(const Key& key) {
  auto it = routes_.find(key);
  if (it == routes_.end()) return absl::OkStatus();
  absl::Status s = Deliver({RouteEventKind::kDelete, it->second, std::nullopt});
  if (s.ok()) {
    routes_.erase(it);
    ++stats_.deletes;
  }
  return s;
}

absl::Status MirrorState::Deliver(const RouteEvent<Ipv4>& event) {
  absl::Status s = sink_->Apply(event);
  if (!s.ok()) {
    ++stats_.sink_errors;
    s = absl::Status(s.code(),
                     absl::StrCat("route sink refused ", event.route.ToString(),
                                  ": ", s.message()));
    if (log_) log_(s.message());
  }
  return s;
}

std::vector<KernelRoute<Ipv4>> MirrorState::Routes() const {
  std::vector<KernelRoute<Ipv4>> out;
  out.reserve(routes_.size());
  for (const auto& [key, route] : routes_) out.push_back(route);
  return out;
}

std::string MirrorState::DevName(uint32_t ifindex) const {
  auto it = links_.find(ifindex);
  return it == links_.end() ? absl::StrCat("if", ifindex) : it->second.name;
}

}  // namespace nexthop::netlink_internal
