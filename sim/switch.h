// Switch: a learning layer-2 switch in the simulated network (the
// articles' "交换机"): it learns which MAC is behind which port from each
// frame's source, forwards by destination MAC, floods broadcasts and
// unknown destinations to every other port, and has no IP at all. Its
// table is arp/'s MacTable, so aging and limits are the same.
//
// Example:
//   #include "sim/node.h"
//   Network net;
//   Switch* sw = *net.AddSwitch("sw1");
//   Node* a = *net.AddNode("A", /*router=*/false);
//   Node* b = *net.AddNode("B", /*router=*/false);
//   a->Configure("ip addr add 10.0.0.1/24 dev eth0").IgnoreError();
//   b->Configure("ip addr add 10.0.0.2/24 dev eth0").IgnoreError();
//   const absl::Duration delay = absl::Microseconds(50);
//   net.Connect({"A", "eth0"}, {"sw1", "p1"}, delay).IgnoreError();
//   net.Connect({"B", "eth0"}, {"sw1", "p2"}, delay).IgnoreError();
//   net.Run("A", "ping -c 2 10.0.0.2", std::cout).IgnoreError();
//   sw->flooded();       // 1: A's ARP broadcast; the rest went to one port
//   sw->table().size();  // 2: A's MAC behind p1, B's behind p2
//   net.Run("sw1", "brctl showmacs", std::cout).IgnoreError();
#ifndef NEXTHOP_SIM_SWITCH_H_
#define NEXTHOP_SIM_SWITCH_H_

#include <string>
#include <vector>

#include "arp/mac_table.h"
#include "sim/network.h"

namespace nexthop {

class Switch final : public Device {
 public:
  Switch(Network* net, std::string name);

  void Receive(int port, std::vector<uint8_t> frame) override;
  int PortIndex(absl::string_view name) const override;
  std::string PortName(int port) const override;
  int AddPort(absl::string_view name);
  // `brctl showmacs` (also `bridge fdb`, `fdb`); anything else is an
  // error naming the command.
  absl::Status Execute(absl::string_view command);

  const MacTable& table() const { return table_; }
  uint64_t flooded() const { return flooded_; }
  uint64_t filtered() const { return filtered_; }

 private:
  std::vector<std::string> ports_;
  MacTable table_;
  uint64_t flooded_ = 0, filtered_ = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_SIM_SWITCH_H_
