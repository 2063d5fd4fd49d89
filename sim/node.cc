#include "sim/node.h"

#include "sim/config_command.h"

namespace nexthop {
namespace {

// A stable per-node echo id, as ping's would be its pid.
uint16_t PingId(const std::string& name, uint64_t seed) {
  return static_cast<uint16_t>((std::hash<std::string>{}(name) ^ seed) &
                               0x7fff);
}

}  // namespace

Node::Node(Network* net, std::string name, bool router, MacAddress base_mac,
           uint64_t seed)
    : Device(net, std::move(name)),
      cp_(net->clock(), this,
          {.router = router, .base_mac = base_mac, .seed = seed}),
      shell_(&cp_, this, PingId(name_, net->seed())) {}

Node::~Node() = default;

absl::Status Node::Configure(absl::string_view command) {
  return ApplyConfigCommand(command, cp_, ConfigPhase::kSetup);
}

absl::Status Node::Execute(absl::string_view command,
                           std::function<void()> done) {
  return shell_.Execute(command, std::move(done));
}

void Node::Receive(int port, std::vector<uint8_t> frame) {
  cp_.Receive(port, std::move(frame));
}

int Node::PortIndex(absl::string_view name) const {
  return cp_.PortIndex(name);
}

std::string Node::PortName(int port) const { return cp_.PortName(port); }

int Node::AddInterface(absl::string_view name) {
  return cp_.AddInterface(name);
}

void Node::Transmit(int port, std::vector<uint8_t> frame) {
  net_->Transmit(this, port, std::move(frame));
}

void Node::Defer(std::function<void()> fn) {
  net_->Schedule(absl::ZeroDuration(), std::move(fn));
}

void Node::WakeTimers() {
  if (!ticking_) Tick();
}

void Node::Tick() {
  ticking_ = true;
  if (!cp_.Tick()) {
    ticking_ = false;
    return;
  }
  net_->Schedule(ControlPlane::kTickPeriod, [this] { Tick(); });
}

absl::Time Node::Now() const { return net_->Now(); }

void Node::Schedule(absl::Duration after, std::function<void()> fn) {
  net_->Schedule(after, std::move(fn));
}

void Node::Print(const std::string& line) { net_->Print(line); }

}  // namespace nexthop
