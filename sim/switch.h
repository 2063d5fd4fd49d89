// Switch: a learning layer-2 switch in the simulated network (the
// articles' "交换机"): it learns which MAC is behind which port from each
// frame's source, forwards by destination MAC, floods broadcasts and
// unknown destinations to every other port, and has no IP at all. Its
// table is arp/'s MacTable, so aging and limits are the same.
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
