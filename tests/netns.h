// Network namespaces for tests that need the real kernel (the IPv6
// oracle, the live router): a shell command's status and output, and a
// namespace of the test's own that is removed when it goes out of scope,
// also when the test fails.
#ifndef NEXTHOP_TESTS_NETNS_H_
#define NEXTHOP_TESTS_NETNS_H_

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>


namespace nexthop::testing {

// Runs `command` with /bin/sh; its exit status (-1 if it did not exit)
// and standard output.
std::pair<int, std::string> Shell(const std::string& command);

// Empty if this process can create network namespaces, else why not
// ("needs root ...", "no `ip` (iproute2)").
std::string WhyNoNamespaces();

class Netns {
 public:
  // `name` should hold the test's PID: tests run in parallel.
  explicit Netns(std::string name) : name_(std::move(name)) {}
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  // Empty on success, else why it cannot be made here.
  std::string Create();
  const std::string& name() const { return name_; }
  // "ip -n NAME ": prefix for ip commands in it.
  std::string Ip() const { return "ip -n " + name_ + " "; }
  // "ip netns exec NAME ": prefix for any command in it.
  std::string Exec() const { return "ip netns exec " + name_ + " "; }

  // Runs `fn` with this thread inside the namespace (sockets opened there
  // stay bound to it), then comes back. If the thread cannot enter (or
  // return), the process aborts: `fn` must never run, nor the test go on,
  // in the host's namespace.
  template <typename Fn>
  auto Inside(Fn fn) const {
    const int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    const int target =
        open(("/var/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
    if (self < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0) {
      std::fprintf(stderr, "cannot enter network namespace %s\n",
                   name_.c_str());
      std::abort();
    }
    auto result = fn();
    if (setns(self, CLONE_NEWNET) != 0) {
      std::fprintf(stderr, "cannot leave network namespace %s\n",
                   name_.c_str());
      std::abort();
    }
    close(self);
    close(target);
    return result;
  }

 private:
  std::string name_;
  bool created_ = false;
};

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_NETNS_H_
