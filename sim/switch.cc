#include "sim/switch.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "net/ethernet.h"

namespace nexthop {

Switch::Switch(Network* net, std::string name)
    : Device(net, std::move(name)), table_(net->clock(), MacTableConfig{}) {}

int Switch::PortIndex(absl::string_view name) const {
  for (size_t i = 0; i < ports_.size(); ++i) {
    if (ports_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Switch::PortName(int port) const {
  return port >= 0 && static_cast<size_t>(port) < ports_.size() ? ports_[port]
                                                                : "?";
}

int Switch::AddPort(absl::string_view name) {
  if (int i = PortIndex(name); i >= 0) return i;
  ports_.emplace_back(name);
  return static_cast<int>(ports_.size() - 1);
}

void Switch::Receive(int port, std::vector<uint8_t> frame) {
  EthernetHeader eth;
  if (!ParseEthernet(frame, &eth)) {
    ++filtered_;
    return;
  }
  table_.Age();
  // Numbered from 1 in the table, as brctl shows ports.
  table_.Learn(eth.src, port + 1);
  const Forwarding f = table_.Forward(eth.dst, port + 1);
  switch (f.kind) {
    case Forwarding::Kind::kUnicast:
      net_->Transmit(this, f.port - 1, std::move(frame));
      return;
    case Forwarding::Kind::kFlood:
      ++flooded_;
      for (size_t p = 0; p < ports_.size(); ++p) {
        if (static_cast<int>(p) != port &&
            net_->Connected(this, static_cast<int>(p)))
          net_->Transmit(this, static_cast<int>(p), frame);
      }
      return;
    case Forwarding::Kind::kFilter:
      ++filtered_;
      return;
  }
}

absl::Status Switch::Execute(absl::string_view command) {
  if (command == "brctl showmacs" || command == "bridge fdb" ||
      command == "fdb" || absl::StartsWith(command, "brctl showmacs ")) {
    for (absl::string_view line :
         absl::StrSplit(table_.Format(), '\n', absl::SkipEmpty())) {
      net_->Print(std::string(line));
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown switch command '", command,
                   "' (a switch knows brctl showmacs)"));
}

}  // namespace nexthop
