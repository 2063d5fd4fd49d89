#include "netlink/internal/route_message.h"

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>

#include <array>
#include <cstring>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nexthop::netlink_internal {
namespace {

std::string RtaName(uint16_t type) {
  switch (type) {
    case RTA_DST:
      return "RTA_DST";
    case RTA_GATEWAY:
      return "RTA_GATEWAY";
    case RTA_OIF:
      return "RTA_OIF";
    case RTA_PRIORITY:
      return "RTA_PRIORITY";
    case RTA_TABLE:
      return "RTA_TABLE";
    case RTA_MULTIPATH:
      return "RTA_MULTIPATH";
    default:
      return absl::StrCat("route attribute ", type);
  }
}

struct Header {
  const nlmsghdr* nlh;
  std::string name;  // the message type's name, for errors
};

// The whole message: its header's length fits what was received and
// covers the fixed part (`what`), and its type is `new_type` or
// `del_type` (a `kind` message).
absl::StatusOr<Header> CheckHeader(const void* data, size_t size, size_t fixed,
                                   const char* what, uint16_t new_type,
                                   uint16_t del_type, const char* kind) {
  if (size < sizeof(nlmsghdr)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "netlink message of ", size, " bytes: shorter than its header (",
        sizeof(nlmsghdr), ")"));
  }
  const auto* nlh = static_cast<const nlmsghdr*>(data);
  std::string name = MessageTypeName(nlh->nlmsg_type);
  if (nlh->nlmsg_len > size || nlh->nlmsg_len < sizeof(nlmsghdr)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": nlmsg_len ", nlh->nlmsg_len, " but ", size,
                     " bytes received (truncated)"));
  }
  if (nlh->nlmsg_len < mnl_nlmsg_size(fixed)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": ", nlh->nlmsg_len, " bytes, too short for ", what,
                     " (", mnl_nlmsg_size(fixed), ")"));
  }
  if (nlh->nlmsg_type != new_type && nlh->nlmsg_type != del_type) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": not a ", kind, " message"));
  }
  return Header{nlh, std::move(name)};
}

// The route of one family from its parsed attributes.
template <typename Family>
absl::StatusOr<KernelRoute<Family>> BuildRoute(
    const std::string& name, const typename Family::Address& dst, int length,
    std::optional<typename Family::Address> gateway, uint32_t oif,
    uint32_t metric) {
  absl::StatusOr<typename Family::Prefix> prefix =
      Family::Prefix::Create(dst, length);
  if (!prefix.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": RTA_DST ", prefix.status().message()));
  }
  KernelRoute<Family> r;
  r.prefix = *prefix;
  r.gateway = gateway;
  r.ifindex = oif;
  r.metric = metric;
  return r;
}

// Calls fn(attr) for each attribute after the fixed part; an error if an
// attribute runs past the message or bytes are left that are no attribute.
template <typename Fn>
absl::Status ForEachAttribute(const nlmsghdr* nlh, size_t fixed,
                              const std::string& name, Fn fn) {
  // The message's own length, not libmnl's payload tail (rounded up to 4
  // bytes: past the received bytes for an unaligned last message).
  const char* end = reinterpret_cast<const char*>(nlh) + nlh->nlmsg_len;
  const auto* attr =
      static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, fixed));
  while (reinterpret_cast<const char*>(attr) < end) {
    const int left =
        static_cast<int>(end - reinterpret_cast<const char*>(attr));
    if (!mnl_attr_ok(attr, left)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": attribute at byte ",
                       reinterpret_cast<const char*>(attr) -
                           reinterpret_cast<const char*>(nlh),
                       " runs past the message (", left, " bytes left)"));
    }
    if (absl::Status s = fn(attr); !s.ok()) return s;
    attr = mnl_attr_next(attr);
  }
  return absl::OkStatus();
}

absl::Status WrongLength(const std::string& name, const std::string& attr,
                         size_t got, const std::string& want) {
  return absl::InvalidArgumentError(
      absl::StrCat(name, ": ", attr, " has ", got, " bytes, want ", want));
}

}  // namespace

std::string MessageTypeName(uint16_t type) {
  switch (type) {
    case RTM_NEWROUTE:
      return "RTM_NEWROUTE";
    case RTM_DELROUTE:
      return "RTM_DELROUTE";
    case RTM_NEWLINK:
      return "RTM_NEWLINK";
    case RTM_DELLINK:
      return "RTM_DELLINK";
    case NLMSG_ERROR:
      return "NLMSG_ERROR";
    case NLMSG_DONE:
      return "NLMSG_DONE";
    case NLMSG_NOOP:
      return "NLMSG_NOOP";
    default:
      return absl::StrCat("netlink message type ", type);
  }
}

absl::StatusOr<ParsedRoute> ParseRouteMessage(const void* data, size_t size) {
  absl::StatusOr<Header> h =
      CheckHeader(data, size, sizeof(rtmsg), "struct rtmsg", RTM_NEWROUTE,
                  RTM_DELROUTE, "route");
  if (!h.ok()) return h.status();
  const nlmsghdr* nlh = h->nlh;
  const std::string& name = h->name;
  const auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
  size_t addr_len;
  int bits;
  if (rtm->rtm_family == AF_INET) {
    addr_len = 4, bits = 32;
  } else if (rtm->rtm_family == AF_INET6) {
    addr_len = 16, bits = 128;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": address family ", rtm->rtm_family,
                     " (want AF_INET or AF_INET6)"));
  }
  if (rtm->rtm_dst_len > bits) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": rtm_dst_len ", rtm->rtm_dst_len, " exceeds ", bits));
  }
  ParsedRoute out;
  out.is_delete = nlh->nlmsg_type == RTM_DELROUTE;
  out.table = rtm->rtm_table;
  out.route_type = rtm->rtm_type;
  out.rtm_flags = rtm->rtm_flags;
  std::array<uint8_t, 16> dst{}, gateway{};
  bool has_gateway = false;
  uint32_t oif = 0, metric = 0;
  absl::Status s = ForEachAttribute(
      nlh, sizeof(rtmsg), name, [&](const nlattr* a) -> absl::Status {
        const uint16_t type = mnl_attr_get_type(a);
        const size_t len = mnl_attr_get_payload_len(a);
        const void* p = mnl_attr_get_payload(a);
        switch (type) {
          case RTA_DST:
          case RTA_GATEWAY:
            if (len != addr_len) {
              return WrongLength(name, RtaName(type), len,
                                 absl::StrCat(addr_len));
            }
            std::memcpy(type == RTA_DST ? dst.data() : gateway.data(), p, len);
            has_gateway |= type == RTA_GATEWAY;
            return absl::OkStatus();
          case RTA_OIF:
          case RTA_PRIORITY:
          case RTA_TABLE: {
            if (len != sizeof(uint32_t)) {
              return WrongLength(name, RtaName(type), len, "4");
            }
            const uint32_t v = mnl_attr_get_u32(a);
            (type == RTA_OIF        ? oif
             : type == RTA_PRIORITY ? metric
                                    : out.table) = v;
            return absl::OkStatus();
          }
          case RTA_MULTIPATH:
            out.multipath = true;
            return absl::OkStatus();
          // A gateway of the other family, a tunnel, a nexthop object:
          // mirrored without them the route would mean something else.
          case RTA_VIA:
            out.unsupported = "RTA_VIA (a gateway of another family)";
            return absl::OkStatus();
          case RTA_ENCAP:
            out.unsupported = "RTA_ENCAP (an encapsulation)";
            return absl::OkStatus();
          case RTA_NH_ID:
            out.unsupported = "RTA_NH_ID (a nexthop object)";
            return absl::OkStatus();
          default:
            return absl::OkStatus();  // cache info, preference, ...
        }
      });
  if (!s.ok()) return s;
  if (rtm->rtm_family == AF_INET) {
    std::optional<Ipv4Address> gw;
    if (has_gateway) {
      gw = Ipv4Address::FromOctets(gateway[0], gateway[1], gateway[2],
                                   gateway[3]);
    }
    absl::StatusOr<KernelRoute<Ipv4>> r = BuildRoute<Ipv4>(
        name, Ipv4Address::FromOctets(dst[0], dst[1], dst[2], dst[3]),
        rtm->rtm_dst_len, gw, oif, metric);
    if (!r.ok()) return r.status();
    out.route = *std::move(r);
  } else {
    std::optional<Ipv6Address> gw;
    if (has_gateway) gw = Ipv6Address(gateway);
    absl::StatusOr<KernelRoute<Ipv6>> r = BuildRoute<Ipv6>(
        name, Ipv6Address(dst), rtm->rtm_dst_len, gw, oif, metric);
    if (!r.ok()) return r.status();
    out.route = *std::move(r);
  }
  return out;
}

absl::StatusOr<ParsedLink> ParseLinkMessage(const void* data, size_t size) {
  absl::StatusOr<Header> h =
      CheckHeader(data, size, sizeof(ifinfomsg), "struct ifinfomsg",
                  RTM_NEWLINK, RTM_DELLINK, "link");
  if (!h.ok()) return h.status();
  const nlmsghdr* nlh = h->nlh;
  const std::string& name = h->name;
  const auto* ifi = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  ParsedLink out;
  out.is_delete = nlh->nlmsg_type == RTM_DELLINK;
  out.ifindex = static_cast<uint32_t>(ifi->ifi_index);
  out.up = (ifi->ifi_flags & IFF_UP) != 0;
  absl::Status s = ForEachAttribute(
      nlh, sizeof(ifinfomsg), name, [&](const nlattr* a) -> absl::Status {
        if (mnl_attr_get_type(a) != IFLA_IFNAME) return absl::OkStatus();
        const size_t len = mnl_attr_get_payload_len(a);
        const char* p = static_cast<const char*>(mnl_attr_get_payload(a));
        // A NUL-terminated name of at most IFNAMSIZ bytes with the NUL.
        if (len == 0 || len > IFNAMSIZ || p[len - 1] != '\0') {
          return absl::InvalidArgumentError(absl::StrCat(
              name, ": IFLA_IFNAME is ", len,
              " bytes, want a NUL-terminated name of at most ", IFNAMSIZ));
        }
        out.name = std::string(p, std::strlen(p));
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  if (out.ifindex == 0) {
    return absl::InvalidArgumentError(name + ": ifi_index 0");
  }
  if (out.name.empty() && !out.is_delete) {
    return absl::InvalidArgumentError(name + ": no IFLA_IFNAME");
  }
  return out;
}

}  // namespace nexthop::netlink_internal
