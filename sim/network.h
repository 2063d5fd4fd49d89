// Network: a deterministic discrete-event simulation of hosts, routers and
// switches joined by links, moving real Ethernet frames.
//
// Time is a ManualClock that jumps from event to event; a frame put on a
// link arrives after the link's delay. Nothing is random unless seeded:
// MACs, ping ids and neighbour timers are derived from names and a seed,
// so the same topology prints the same trace every run. Captures print
// tcpdump lines for chosen interfaces (as `tcpdump -n -i IFACE` on that
// node would, frames in both directions) and can write one pcap file per
// link. Not thread-safe.
//
// Example:
//   #include "sim/node.h"  // Node (this header declares it only)
//   Network net;
//   Node* a = *net.AddNode("A", /*router=*/false);
//   Node* b = *net.AddNode("B", /*router=*/false);
//   a->Configure("ip addr add 10.0.0.1/24 dev eth0").IgnoreError();
//   b->Configure("ip addr add 10.0.0.2/24 dev eth0").IgnoreError();
//   net.Connect({"A", "eth0"}, {"B", "eth0"}, absl::Milliseconds(1))
//       .IgnoreError();
//   net.Capture({"B", "eth0"}).IgnoreError();  // tcpdump -n -i eth0 on B
//   net.Run("A", "ping -c 2 10.0.0.2", std::cout).IgnoreError();
//   // PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.
//   // 00:00:00.001000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28
//   // ...
//   // 2 packets transmitted, 2 received, 0% packet loss, time 1000ms
#ifndef NEXTHOP_SIM_NETWORK_H_
#define NEXTHOP_SIM_NETWORK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <queue>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "net/clock.h"

namespace nexthop {

class Network;
class Node;
class Switch;

// Anything with ports that frames arrive on.
class Device {
 public:
  Device(Network* net, std::string name) : net_(net), name_(std::move(name)) {}
  virtual ~Device() = default;
  const std::string& name() const { return name_; }
  virtual void Receive(int port, std::vector<uint8_t> frame) = 0;
  // -1 if there is no such port.
  virtual int PortIndex(absl::string_view port_name) const = 0;
  virtual std::string PortName(int port) const = 0;

 protected:
  Network* net_;
  std::string name_;
};

struct Endpoint {
  std::string device;
  std::string port;
  std::string ToString() const { return device + ":" + port; }
};

class Network {
 public:
  struct Options {
    absl::Duration default_delay = absl::Microseconds(50);
    uint64_t seed = 1;
    bool timestamps = true;    // tcpdump's default; -t turns them off
    bool link_header = false;  // tcpdump -e: MACs, ethertype, length
    // Events one command may run; a broadcast storm (switches in a loop:
    // there is no spanning tree) stops here with an error.
    uint64_t max_events = 2'000'000;
  };
  Network() : Network(Options{}) {}
  explicit Network(Options options);
  ~Network();

  absl::StatusOr<Node*> AddNode(const std::string& name, bool router);
  absl::StatusOr<Switch*> AddSwitch(const std::string& name);
  Node* FindNode(absl::string_view name) const;
  Device* FindDevice(absl::string_view name) const;
  // Joins two ports (a node's interface is created if missing).
  absl::Status Connect(const Endpoint& a, const Endpoint& b,
                       absl::Duration delay);
  // Prints the frames sent and received on this interface to the output.
  absl::Status Capture(const Endpoint& where);
  // Writes DIR/<a>--<b>.pcap for every link (call before running).
  absl::Status WritePcaps(const std::string& dir);

  // Runs a command on a device (ping, traceroute, arp -a, route -n, ...)
  // until it finishes and the network is quiet, printing to `out`.
  absl::Status Run(const std::string& device, const std::string& command,
                   std::ostream& out);

  // For devices: send a frame out of `port`, schedule work.
  void Transmit(Device* from, int port, std::vector<uint8_t> frame);
  void Schedule(absl::Duration after, std::function<void()> fn);
  absl::Time Now() const { return clock_.Now(); }
  const Clock* clock() const { return &clock_; }
  uint64_t seed() const { return options_.seed; }
  // A line of a command's output, printed now (in time order with the
  // capture lines).
  void Print(const std::string& line);
  // Runs events until none is left or `until` passes.
  void RunEvents(absl::Time until);
  // Which link a port is on, if any.
  bool Connected(const Device* d, int port) const;

 private:
  struct Link;
  struct Event {
    absl::Time at;
    uint64_t seq;
    std::function<void()> fn;
    bool operator>(const Event& o) const {
      return at != o.at ? at > o.at : seq > o.seq;
    }
  };
  void CaptureLine(const Device* d, int port, std::span<const uint8_t> frame);

  Options options_;
  ManualClock clock_;
  std::vector<std::unique_ptr<Device>> devices_;
  absl::flat_hash_map<std::string, Device*> by_name_;
  std::vector<std::unique_ptr<Link>> links_;
  std::map<std::pair<const Device*, int>, Link*> link_of_;
  std::vector<std::pair<const Device*, int>> captures_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  uint64_t next_seq_ = 0;
  std::ostream* out_ = nullptr;
  uint64_t budget_ = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_NETWORK_H_
