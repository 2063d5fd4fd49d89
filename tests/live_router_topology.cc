#include "tests/live_router_topology.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace nexthop::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

LiveRouterTopology::LiveRouterTopology(std::string cli) : cli_(std::move(cli)) {
  const std::string tag = absl::StrCat("nhlr", getpid());
  h1_ = std::make_unique<Netns>(tag + "-h1");
  r_ = std::make_unique<Netns>(tag + "-r");
  h2_ = std::make_unique<Netns>(tag + "-h2");
  config_ = ::testing::TempDir() + tag + "-router.conf";
  log_ = ::testing::TempDir() + tag + "-router.log";
}

LiveRouterTopology::~LiveRouterTopology() {
  if (router_ > 0) StopRouter();
}

std::string LiveRouterTopology::Build(bool* fatal) {
  *fatal = false;
  for (Netns* ns : {h1_.get(), r_.get(), h2_.get()}) {
    if (std::string why = ns->Create(); !why.empty()) return why;
  }
  *fatal = true;
  const std::string h1 = h1_->Ip(), r = r_->Ip(), h2 = h2_->Ip();
  std::vector<std::string> commands = {
      h1 + "link add eth0 type veth peer name veth-a netns " + r_->name(),
      h2 + "link add eth0 type veth peer name veth-b netns " + r_->name(),
      r + "link set veth-b mtu 1280",
      h2 + "link set eth0 mtu 1280",
  };
  for (const Netns* ns : {h1_.get(), r_.get(), h2_.get()}) {
    for (const char* dev : {"all", "default", "lo"}) {
      commands.push_back(absl::StrCat(ns->Exec(), "sysctl -qw net.ipv6.conf.",
                                      dev, ".disable_ipv6=1"));
    }
    commands.push_back(ns->Ip() + "link set lo up");
  }
  for (const auto& [ns, dev] : {std::pair{h1_.get(), "eth0"},
                                {r_.get(), "veth-a"},
                                {r_.get(), "veth-b"},
                                {h2_.get(), "eth0"}}) {
    commands.push_back(absl::StrCat(ns->Exec(), "sysctl -qw net.ipv6.conf.",
                                    dev, ".disable_ipv6=1"));
    commands.push_back(
        absl::StrCat(ns->Exec(), "ethtool -K ", dev, " tx off >/dev/null"));
    commands.push_back(absl::StrCat(ns->Ip(), "link set ", dev, " up"));
  }
  for (const std::string& c :
       {h1 + "addr add 10.77.1.2/24 dev eth0",
        h1 + "route add default via 10.77.1.1",
        h2 + "addr add 10.77.2.2/24 dev eth0",
        h2 + "route add default via 10.77.2.1",
        r_->Exec() + "sysctl -qw net.ipv4.ip_forward=0"}) {
    commands.push_back(c);
  }
  for (const std::string& c : commands) {
    auto [status, out] = Shell(c + " 2>&1");
    if (status != 0) return absl::StrCat(c, ": ", out);
  }
  std::ofstream(config_) << "# r: the test's router\n"
                            "ip addr add 10.77.1.1/24 dev veth-a\n"
                            "ip addr add 10.77.2.1/24 dev veth-b\n";
  return "";
}

std::string LiveRouterTopology::StartRouter() {
  std::vector<std::string> args = {"ip", "netns",  "exec",     r_->name(),
                                   cli_, "router", "--config", config_};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  // `ip netns exec` execs the command itself: the PID is the router's.
  const int err =
      posix_spawnp(&router_, "ip", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    router_ = -1;
    return "cannot start ip netns exec";
  }
  for (int i = 0; i < 100; ++i) {
    const std::string log = ReadAll(log_);
    if (absl::StrContains(log, "forwarding on")) return "";
    int status;
    if (waitpid(router_, &status, WNOHANG) == router_) {
      router_ = -1;
      return "the router exited: " + log;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "the router did not start within 5 s: " + ReadAll(log_);
}

int LiveRouterTopology::StopRouter() {
  if (router_ <= 0) return -1;
  kill(router_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (waitpid(router_, &status, WNOHANG) == router_) {
      router_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(router_, SIGKILL);
  waitpid(router_, &status, 0);
  router_ = -1;
  return -1;
}

}  // namespace nexthop::testing
