// A ControlPlane driven by hand: frames in through Receive, frames out
// recorded by RecordingIo, time from a ManualClock. Shared by the control
// plane's tests (sim_test.cc, sim_semantics_test.cc).
#ifndef NEXTHOP_TESTS_CONTROL_PLANE_FIXTURE_H_
#define NEXTHOP_TESTS_CONTROL_PLANE_FIXTURE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "arp/arp_packet.h"
#include "fwd/tcpdump.h"
#include "gtest/gtest.h"
#include "net/ethernet.h"
#include "sim/config_command.h"
#include "sim/control_plane.h"

namespace nexthop {

// Records what the control plane sends; runs nothing by itself.
class RecordingIo final : public ControlPlane::Io {
 public:
  struct Sent {
    int port;
    std::vector<uint8_t> frame;
  };
  void Transmit(int port, std::vector<uint8_t> frame) override {
    sent.push_back({port, std::move(frame)});
  }
  void Defer(std::function<void()> fn) override {
    deferred.push_back(std::move(fn));
  }
  void WakeTimers() override { ++wakes; }

  std::vector<Sent> sent;  // all, in order
  std::vector<std::function<void()>> deferred;
  int wakes = 0;
};

// A router (or, with router = false, a host) with eth0 10.0.1.1/24 (port 1)
// and eth1 10.0.2.1/24 (port 2).
class SimControlPlaneTest : public ::testing::Test {
 protected:
  static constexpr int kEth0 = 1, kEth1 = 2;

  explicit SimControlPlaneTest(bool router = true)
      : cp_(&clock_, &io_,
            {.router = router,
             .base_mac = MacAddress::FromUint64(0x020000000100),
             .seed = 1}) {
    for (const char* c : {"ip addr add 10.0.1.1/24 dev eth0",
                          "ip addr add 10.0.2.1/24 dev eth1"}) {
      EXPECT_TRUE(ApplyConfigCommand(c, cp_, ConfigPhase::kSetup).ok()) << c;
    }
  }

  static Ipv4Address Ip(const char* text) { return *Ipv4Address::Parse(text); }
  static MacAddress Mac(uint64_t v) { return MacAddress::FromUint64(v); }

  // An echo request from `src` (MAC `from`) to `dst` arrives on `port`.
  void Arrive(int port, MacAddress from, const char* src, const char* dst,
              uint16_t seq) {
    ArriveTo(port, cp_.interfaces()[port].mac, from, src, dst, seq);
  }
  // The same, sent to Ethernet destination `eth_dst` (broadcast, say).
  void ArriveTo(int port, MacAddress eth_dst, MacAddress from, const char* src,
                const char* dst, uint16_t seq) {
    const std::vector<uint8_t> packet =
        BuildIpv4(Ip(src), Ip(dst), kProtoIcmp, 64, seq, true,
                  BuildIcmpEcho(false, 1, seq, std::vector<uint8_t>(8)));
    cp_.Receive(port, BuildFrame(eth_dst, from, kEtherTypeIpv4, packet));
  }

  // `ip` answers, as `mac`, the ARP request the router sent for it.
  void Answer(const char* ip, MacAddress mac) {
    for (const RecordingIo::Sent& s : io_.sent) {
      absl::StatusOr<ArpFrame> f = DecodeArpFrame(s.frame);
      if (f.ok() && f->arp.op == ArpOp::kRequest &&
          f->arp.target_ip == Ip(ip)) {
        cp_.Receive(s.port, EncodeArpFrame(ArpReply(f->arp, mac)));
        return;
      }
    }
    ADD_FAILURE() << "no ARP request for " << ip;
  }

  // What was sent since the last call, one line a frame: port, MACs and
  // tcpdump's line. Every frame's source must be its port's MAC.
  std::vector<std::string> Sent() {
    std::vector<std::string> out;
    for (; read_ < io_.sent.size(); ++read_) {
      const RecordingIo::Sent& s = io_.sent[read_];
      EthernetHeader eth;
      EXPECT_TRUE(ParseEthernet(s.frame, &eth));
      EXPECT_EQ(eth.src, cp_.interfaces()[s.port].mac) << cp_.PortName(s.port);
      out.push_back(absl::StrCat(cp_.PortName(s.port), " > ",
                                 eth.dst.ToString(), " ",
                                 TcpdumpFrame(s.frame)));
    }
    return out;
  }

  ManualClock clock_;
  RecordingIo io_;
  ControlPlane cp_;
  size_t read_ = 0;  // frames of io_.sent that Sent() returned
};

}  // namespace nexthop

#endif  // NEXTHOP_TESTS_CONTROL_PLANE_FIXTURE_H_
