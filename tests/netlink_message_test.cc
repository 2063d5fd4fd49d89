// The rtnetlink parsers and the mirror's state machine
// (netlink/internal/route_message.h, netlink/internal/mirror_state.h) on
// messages built here with libmnl: valid IPv4/IPv6 routes and links, every
// kind of malformed or truncated message (a clear error naming the message
// and attribute, and nothing changed), and the events a sequence of
// messages or a dump turns into. No sockets, no root.
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>

#include <array>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netlink/internal/mirror_state.h"
#include "netlink/internal/route_message.h"

namespace nexthop::netlink_internal {
namespace {

using ::testing::HasSubstr;

// One netlink message, built in place.
class Msg {
 public:
  explicit Msg(uint16_t type) : buf_(8192) {
    nlh_ = mnl_nlmsg_put_header(buf_.data());
    nlh_->nlmsg_type = type;
  }
  rtmsg* Route(int family, uint8_t dst_len, uint8_t table = 100) {
    auto* r =
        static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh_, sizeof(rtmsg)));
    r->rtm_family = static_cast<uint8_t>(family);
    r->rtm_dst_len = dst_len;
    r->rtm_table = table;
    r->rtm_type = RTN_UNICAST;
    return r;
  }
  ifinfomsg* Link(int index, bool up) {
    auto* i = static_cast<ifinfomsg*>(
        mnl_nlmsg_put_extra_header(nlh_, sizeof(ifinfomsg)));
    i->ifi_index = index;
    i->ifi_flags = up ? IFF_UP : 0;
    return i;
  }
  Msg& Attr(uint16_t type, const void* data, size_t len) {
    mnl_attr_put(nlh_, type, len, data);
    return *this;
  }
  Msg& U32(uint16_t type, uint32_t v) {
    mnl_attr_put_u32(nlh_, type, v);
    return *this;
  }
  Msg& Str(uint16_t type, const char* s) {
    mnl_attr_put_strz(nlh_, type, s);
    return *this;
  }
  nlmsghdr* nlh() { return nlh_; }
  size_t size() const { return nlh_->nlmsg_len; }
  std::vector<char> bytes() const {
    return std::vector<char>(buf_.data(), buf_.data() + size());
  }

 private:
  std::vector<char> buf_;
  nlmsghdr* nlh_;
};

std::array<uint8_t, 4> V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return {a, b, c, d};
}

// RTM_NEWROUTE (or DEL) DST/LEN via GW dev OIF metric PRIO, table 100.
Msg RouteMessage(uint16_t type, std::array<uint8_t, 4> dst, uint8_t len,
                 std::array<uint8_t, 4> gw, uint32_t oif, uint32_t prio = 0,
                 uint32_t table = 100) {
  Msg m(type);
  m.Route(AF_INET, len, table < 256 ? table : RT_TABLE_UNSPEC);
  m.Attr(RTA_DST, dst.data(), 4).Attr(RTA_GATEWAY, gw.data(), 4);
  m.U32(RTA_OIF, oif).U32(RTA_TABLE, table);
  if (prio) m.U32(RTA_PRIORITY, prio);
  return m;
}

Msg LinkMessage(uint16_t type, int index, const char* name, bool up) {
  Msg m(type);
  m.Link(index, up);
  m.Str(IFLA_IFNAME, name);
  return m;
}

TEST(RouteMessageTest, ParsesIpv4Route) {
  Msg m = RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24, V4(192, 0, 2, 1), 3,
                       7, 1000);
  absl::StatusOr<ParsedRoute> r = ParseRouteMessage(m.nlh(), m.size());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->is_delete);
  EXPECT_EQ(r->table, 1000u);  // RTA_TABLE wins over the 8-bit rtm_table
  EXPECT_EQ(r->route_type, RTN_UNICAST);
  EXPECT_FALSE(r->multipath);
  const auto& k = std::get<KernelRoute<Ipv4>>(r->route);
  EXPECT_EQ(k.prefix.ToString(), "10.1.2.0/24");
  EXPECT_EQ(k.gateway->ToString(), "192.0.2.1");
  EXPECT_EQ(k.ifindex, 3u);
  EXPECT_EQ(k.metric, 7u);
}

TEST(RouteMessageTest, ParsesIpv6RouteAndDefaultRoute) {
  Msg m(RTM_DELROUTE);
  m.Route(AF_INET6, 32);
  const std::array<uint8_t, 16> dst = Ipv6Address::Parse("2001:db8::")->bytes();
  const std::array<uint8_t, 16> gw = Ipv6Address::Parse("fe80::1")->bytes();
  m.Attr(RTA_DST, dst.data(), 16).Attr(RTA_GATEWAY, gw.data(), 16);
  m.U32(RTA_OIF, 2);
  absl::StatusOr<ParsedRoute> r = ParseRouteMessage(m.nlh(), m.size());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->is_delete);
  const auto& k = std::get<KernelRoute<Ipv6>>(r->route);
  EXPECT_EQ(k.prefix.ToString(), "2001:db8::/32");
  EXPECT_EQ(k.gateway->ToString(), "fe80::1");

  Msg d(RTM_NEWROUTE);  // no RTA_DST: the default route
  d.Route(AF_INET, 0);
  d.U32(RTA_OIF, 2);
  r = ParseRouteMessage(d.nlh(), d.size());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(std::get<KernelRoute<Ipv4>>(r->route).prefix.ToString(),
            "0.0.0.0/0");
  EXPECT_FALSE(std::get<KernelRoute<Ipv4>>(r->route).gateway);
}

TEST(RouteMessageTest, FlagsMultipath) {
  Msg m = RouteMessage(RTM_NEWROUTE, V4(10, 0, 0, 0), 8, V4(192, 0, 2, 1), 3);
  nlattr* nest = mnl_attr_nest_start(m.nlh(), RTA_MULTIPATH);
  auto* nh = static_cast<rtnexthop*>(mnl_nlmsg_get_payload_tail(m.nlh()));
  m.nlh()->nlmsg_len += MNL_ALIGN(sizeof(rtnexthop));
  std::memset(nh, 0, sizeof(*nh));
  nh->rtnh_len = sizeof(rtnexthop);
  nh->rtnh_ifindex = 3;
  mnl_attr_nest_end(m.nlh(), nest);
  absl::StatusOr<ParsedRoute> r = ParseRouteMessage(m.nlh(), m.size());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->multipath);
}

TEST(RouteMessageTest, RefusesMalformedMessagesNamingThem) {
  Msg good =
      RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24, V4(192, 0, 2, 1), 3);
  // Shorter than a netlink header.
  EXPECT_THAT(ParseRouteMessage(good.nlh(), 10).status().message(),
              HasSubstr("shorter than its header"));
  // The header claims more than was received.
  EXPECT_THAT(ParseRouteMessage(good.nlh(), good.size() - 4).status().message(),
              HasSubstr("RTM_NEWROUTE: nlmsg_len"));
  // Too short for struct rtmsg.
  {
    Msg m(RTM_NEWROUTE);
    m.nlh()->nlmsg_len += 4;
    EXPECT_THAT(ParseRouteMessage(m.nlh(), m.size()).status().message(),
                HasSubstr("too short for struct rtmsg"));
  }
  // An attribute cut in half (the message ends inside it).
  {
    Msg m =
        RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24, V4(192, 0, 2, 1), 3);
    m.nlh()->nlmsg_len -= 6;  // into RTA_TABLE's payload
    EXPECT_THAT(ParseRouteMessage(m.nlh(), m.size()).status().message(),
                HasSubstr("runs past the message"));
  }
  // Wrong attribute sizes.
  {
    Msg m(RTM_NEWROUTE);
    m.Route(AF_INET, 24);
    const uint8_t three[3] = {10, 1, 2};
    m.Attr(RTA_DST, three, 3);
    EXPECT_EQ(ParseRouteMessage(m.nlh(), m.size()).status().message(),
              "RTM_NEWROUTE: RTA_DST has 3 bytes, want 4");
  }
  {
    Msg m(RTM_DELROUTE);
    m.Route(AF_INET, 24);
    const uint16_t oif = 3;
    m.Attr(RTA_OIF, &oif, 2);
    EXPECT_EQ(ParseRouteMessage(m.nlh(), m.size()).status().message(),
              "RTM_DELROUTE: RTA_OIF has 2 bytes, want 4");
  }
  // Host bits past the length, a length past 32, an unknown family.
  EXPECT_THAT(ParseRouteMessage(RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 5), 24,
                                             V4(1, 1, 1, 1), 3)
                                    .nlh(),
                                good.size())
                  .status()
                  .message(),
              HasSubstr("RTM_NEWROUTE: RTA_DST"));
  {
    Msg m(RTM_NEWROUTE);
    m.Route(AF_INET, 33);
    EXPECT_THAT(ParseRouteMessage(m.nlh(), m.size()).status().message(),
                HasSubstr("rtm_dst_len 33 exceeds 32"));
  }
  {
    Msg m(RTM_NEWROUTE);
    m.Route(AF_PACKET, 0);
    EXPECT_THAT(ParseRouteMessage(m.nlh(), m.size()).status().message(),
                HasSubstr("address family"));
  }
}

TEST(LinkMessageTest, ParsesAndRefuses) {
  Msg up = LinkMessage(RTM_NEWLINK, 4, "veth0", true);
  absl::StatusOr<ParsedLink> l = ParseLinkMessage(up.nlh(), up.size());
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->ifindex, 4u);
  EXPECT_EQ(l->name, "veth0");
  EXPECT_TRUE(l->up);
  Msg down = LinkMessage(RTM_NEWLINK, 4, "veth0", false);
  EXPECT_FALSE(ParseLinkMessage(down.nlh(), down.size())->up);

  Msg unterminated(RTM_NEWLINK);
  unterminated.Link(4, true);
  unterminated.Attr(IFLA_IFNAME, "veth0", 5);  // no NUL
  EXPECT_THAT(ParseLinkMessage(unterminated.nlh(), unterminated.size())
                  .status()
                  .message(),
              HasSubstr("RTM_NEWLINK: IFLA_IFNAME is 5 bytes"));
  Msg nameless(RTM_NEWLINK);
  nameless.Link(4, true);
  EXPECT_EQ(
      ParseLinkMessage(nameless.nlh(), nameless.size()).status().message(),
      "RTM_NEWLINK: no IFLA_IFNAME");
}

// A sink that records events and can be told to refuse them.
struct Recorder : RouteSink {
  std::vector<std::string> events;
  bool refuse = false;
  absl::Status Apply(const RouteEvent<Ipv4>& e) override {
    if (refuse) return absl::ResourceExhaustedError("full");
    const char* kind = e.kind == RouteEventKind::kAdd       ? "add "
                       : e.kind == RouteEventKind::kReplace ? "replace "
                                                            : "delete ";
    events.push_back(kind + e.route.ToString());
    return absl::OkStatus();
  }
};

std::vector<std::string> Strings(const MirrorState& state) {
  std::vector<std::string> out;
  for (const auto& r : state.Routes()) out.push_back(r.ToString());
  return out;
}

// Several messages back to back, as one datagram.
std::vector<char> Datagram(std::vector<Msg> msgs) {
  std::vector<char> out;
  for (const Msg& m : msgs) {
    std::vector<char> b = m.bytes();
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

class MirrorStateTest : public ::testing::Test {
 protected:
  MirrorStateTest()
      : state_(100, &sink_,
               [this](absl::string_view m) { log_.emplace_back(m); }) {}
  absl::Status Feed(std::vector<Msg> msgs) {
    std::vector<char> d = Datagram(std::move(msgs));
    return state_.HandleDatagram(d.data(), d.size());
  }
  Recorder sink_;
  std::vector<std::string> log_;
  MirrorState state_;
};

TEST_F(MirrorStateTest, AddReplaceDeleteAndOtherTablesIgnored) {
  ASSERT_TRUE(Feed({LinkMessage(RTM_NEWLINK, 3, "veth0", true),
                    RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24,
                                 V4(192, 0, 2, 1), 3),
                    RouteMessage(RTM_NEWROUTE, V4(10, 9, 0, 0), 16,
                                 V4(192, 0, 2, 1), 3, 0, /*table=*/254)})
                  .ok());
  EXPECT_THAT(sink_.events, ::testing::ElementsAre(
                                "add 10.1.2.0/24 via 192.0.2.1 dev veth0"));
  EXPECT_EQ(state_.stats().ignored, 1u);
  ASSERT_TRUE(Feed({RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24,
                                 V4(192, 0, 2, 9), 3)})
                  .ok());
  // The same route again (an event replayed after a dump): no event.
  ASSERT_TRUE(Feed({RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24,
                                 V4(192, 0, 2, 9), 3)})
                  .ok());
  ASSERT_TRUE(Feed({RouteMessage(RTM_DELROUTE, V4(10, 1, 2, 0), 24,
                                 V4(192, 0, 2, 9), 3)})
                  .ok());
  EXPECT_THAT(sink_.events, ::testing::ElementsAre(
                                "add 10.1.2.0/24 via 192.0.2.1 dev veth0",
                                "replace 10.1.2.0/24 via 192.0.2.9 dev veth0",
                                "delete 10.1.2.0/24 via 192.0.2.9 dev veth0"));
  EXPECT_TRUE(state_.Routes().empty());
}

TEST_F(MirrorStateTest, MalformedMessageChangesNothing) {
  ASSERT_TRUE(Feed({LinkMessage(RTM_NEWLINK, 3, "veth0", true),
                    RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24,
                                 V4(192, 0, 2, 1), 3)})
                  .ok());
  const std::vector<std::string> before = Strings(state_);
  const size_t events = sink_.events.size();
  Msg bad(RTM_NEWROUTE);  // a replace of the same route, with a 3-byte gateway
  bad.Route(AF_INET, 24);
  const auto dst = V4(10, 1, 2, 0);
  bad.Attr(RTA_DST, dst.data(), 4).Attr(RTA_GATEWAY, "abc", 3).U32(RTA_OIF, 3);
  absl::Status s = Feed({bad});
  EXPECT_EQ(s.message(), "RTM_NEWROUTE: RTA_GATEWAY has 3 bytes, want 4");
  EXPECT_EQ(Strings(state_), before);
  EXPECT_EQ(sink_.events.size(), events);
  EXPECT_EQ(state_.stats().malformed, 1u);

  // A datagram whose last message is cut: the whole ones before it apply.
  std::vector<char> d = Datagram(
      {RouteMessage(RTM_DELROUTE, V4(10, 1, 2, 0), 24, V4(192, 0, 2, 1), 3),
       RouteMessage(RTM_NEWROUTE, V4(10, 7, 0, 0), 16, V4(192, 0, 2, 1), 3)});
  s = state_.HandleDatagram(d.data(), d.size() - 8);
  EXPECT_THAT(s.message(), HasSubstr("not a whole message"));
  EXPECT_TRUE(state_.Routes().empty());
}

TEST_F(MirrorStateTest, LinkDownDropsItsRoutesOnly) {
  ASSERT_TRUE(Feed({LinkMessage(RTM_NEWLINK, 3, "veth0", true),
                    LinkMessage(RTM_NEWLINK, 5, "veth2", true),
                    RouteMessage(RTM_NEWROUTE, V4(10, 1, 0, 0), 24,
                                 V4(192, 0, 2, 1), 3),
                    RouteMessage(RTM_NEWROUTE, V4(10, 2, 0, 0), 24,
                                 V4(192, 0, 2, 1), 3, 5),
                    RouteMessage(RTM_NEWROUTE, V4(10, 3, 0, 0), 24,
                                 V4(198, 51, 100, 1), 5)})
                  .ok());
  ASSERT_TRUE(Feed({LinkMessage(RTM_NEWLINK, 3, "veth0", false)}).ok());
  EXPECT_THAT(Strings(state_),
              ::testing::ElementsAre("10.3.0.0/24 via 198.51.100.1 dev veth2"));
  EXPECT_EQ(state_.stats().link_drops, 2u);
  ASSERT_TRUE(Feed({LinkMessage(RTM_DELLINK, 5, "veth2", false)}).ok());
  EXPECT_TRUE(state_.Routes().empty());
  EXPECT_EQ(state_.stats().link_drops, 3u);
}

TEST_F(MirrorStateTest, MultipathAndBlackholeRefusedWithReason) {
  ASSERT_TRUE(Feed({LinkMessage(RTM_NEWLINK, 3, "veth0", true),
                    RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24,
                                 V4(192, 0, 2, 1), 3)})
                  .ok());
  Msg mp = RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24, V4(192, 0, 2, 1), 3);
  mnl_attr_nest_end(mp.nlh(), mnl_attr_nest_start(mp.nlh(), RTA_MULTIPATH));
  ASSERT_TRUE(Feed({mp}).ok());
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_THAT(log_[0], HasSubstr("RTM_NEWROUTE 10.1.2.0/24 table 100: "
                                 "RTA_MULTIPATH"));
  // The kernel replaced our route with one we cannot hold: it is gone.
  EXPECT_TRUE(state_.Routes().empty());
  Msg bh(RTM_NEWROUTE);
  bh.Route(AF_INET, 8)->rtm_type = RTN_BLACKHOLE;
  bh.U32(RTA_TABLE, 100).Attr(RTA_DST, V4(10, 0, 0, 0).data(), 4);
  ASSERT_TRUE(Feed({bh}).ok());
  EXPECT_THAT(log_.back(), HasSubstr("type blackhole is not mirrored"));
  EXPECT_EQ(state_.stats().refused, 2u);
}

// A gateway of the other family, an encapsulation or a nexthop object
// change what the route means: refused with the attribute named, never
// mirrored as a plain (on-link) route.
TEST_F(MirrorStateTest, ViaEncapAndNexthopObjectsRefusedWithReason) {
  ASSERT_TRUE(Feed({LinkMessage(RTM_NEWLINK, 3, "veth0", true)}).ok());
  const uint8_t via[] = {AF_INET6 & 0xff, 0, 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
                         0,               0, 0,    0,    0, 0, 0, 1};
  Msg v = RouteMessage(RTM_NEWROUTE, V4(10, 1, 3, 0), 24, V4(0, 0, 0, 0), 3);
  v.Attr(RTA_VIA, via, sizeof(via));
  ASSERT_TRUE(Feed({v}).ok());
  EXPECT_THAT(log_.back(), HasSubstr("RTA_VIA"));
  Msg e = RouteMessage(RTM_NEWROUTE, V4(10, 1, 4, 0), 24, V4(192, 0, 2, 1), 3);
  mnl_attr_nest_end(e.nlh(), mnl_attr_nest_start(e.nlh(), RTA_ENCAP));
  ASSERT_TRUE(Feed({e}).ok());
  EXPECT_THAT(log_.back(), HasSubstr("RTA_ENCAP"));
  Msg n = RouteMessage(RTM_NEWROUTE, V4(10, 1, 5, 0), 24, V4(192, 0, 2, 1), 3);
  n.U32(RTA_NH_ID, 7);
  ASSERT_TRUE(Feed({n}).ok());
  EXPECT_THAT(log_.back(), HasSubstr("RTA_NH_ID"));
  EXPECT_TRUE(state_.Routes().empty());
  EXPECT_EQ(state_.stats().refused, 3u);
}

TEST_F(MirrorStateTest, DumpMarksAndSweeps) {
  ASSERT_TRUE(Feed({LinkMessage(RTM_NEWLINK, 3, "veth0", true),
                    RouteMessage(RTM_NEWROUTE, V4(10, 1, 0, 0), 24,
                                 V4(192, 0, 2, 1), 3),
                    RouteMessage(RTM_NEWROUTE, V4(10, 2, 0, 0), 24,
                                 V4(192, 0, 2, 1), 3)})
                  .ok());
  sink_.events.clear();
  // The kernel now: 10.2 via .9 (changed), 10.3 (new); 10.1 gone.
  std::vector<ParsedRoute> routes;
  for (Msg m :
       {RouteMessage(RTM_NEWROUTE, V4(10, 2, 0, 0), 24, V4(192, 0, 2, 9), 3),
        RouteMessage(RTM_NEWROUTE, V4(10, 3, 0, 0), 24, V4(192, 0, 2, 1), 3),
        RouteMessage(RTM_NEWROUTE, V4(10, 4, 0, 0), 24, V4(192, 0, 2, 1), 3, 0,
                     254)}) {
    routes.push_back(*ParseRouteMessage(m.nlh(), m.size()));
  }
  std::vector<ParsedLink> links = {{false, 3, "veth0", true}};
  ASSERT_TRUE(state_.ApplyDump(links, routes).ok());
  EXPECT_THAT(sink_.events, ::testing::ElementsAre(
                                "delete 10.1.0.0/24 via 192.0.2.1 dev veth0",
                                "replace 10.2.0.0/24 via 192.0.2.9 dev veth0",
                                "add 10.3.0.0/24 via 192.0.2.1 dev veth0"));
  EXPECT_THAT(Strings(state_),
              ::testing::ElementsAre("10.2.0.0/24 via 192.0.2.9 dev veth0",
                                     "10.3.0.0/24 via 192.0.2.1 dev veth0"));
}

TEST_F(MirrorStateTest, RefusedByTheSinkIsNotRecorded) {
  sink_.refuse = true;
  absl::Status s = Feed(
      {LinkMessage(RTM_NEWLINK, 3, "veth0", true),
       RouteMessage(RTM_NEWROUTE, V4(10, 1, 2, 0), 24, V4(192, 0, 2, 1), 3)});
  EXPECT_THAT(s.message(),
              HasSubstr("route sink refused 10.1.2.0/24 via 192.0.2.1"));
  EXPECT_TRUE(state_.Routes().empty());
  EXPECT_EQ(state_.stats().sink_errors, 1u);
}

}  // namespace
}  // namespace nexthop::netlink_internal
