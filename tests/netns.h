// Test helpers for the tests that use the real kernel: Shell (run a
// command, get its status and output) and Netns, a network namespace of
// the test's own, removed when it goes out of scope (also when the test
// fails), with a reason to skip where namespaces cannot be made.
#ifndef NEXTHOP_TESTS_NETNS_H_
#define NEXTHOP_TESTS_NETNS_H_

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace nexthop::testing {

// Runs a shell command; its exit status and standard output.
inline std::pair<int, std::string> Shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return {-1, out};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class Netns {
 public:
  // Named PREFIX-PID-N: unique per process and per object.
  explicit Netns(const std::string& prefix) {
    static int n = 0;
    name_ = absl::StrCat(prefix, "-", getpid(), "-", n++);
  }
  ~Netns() {
    if (created_) Shell(absl::StrCat("ip netns del ", name_, " 2>/dev/null"));
  }
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  // Empty on success, else why it cannot run here.
  std::string Create() {
    if (geteuid() != 0) return "needs root (network namespaces)";
    if (Shell("command -v ip >/dev/null").first != 0)
      return "no `ip` (iproute2)";
    if (Shell(absl::StrCat("ip netns add ", name_, " 2>&1")).first != 0) {
      return "cannot create a network namespace here";
    }
    created_ = true;
    return "";
  }
  // "ip -n NAME ", to prefix `ip` arguments with.
  std::string Ip() const { return absl::StrCat("ip -n ", name_, " "); }
  const std::string& name() const { return name_; }

  // Runs `fn` with this thread inside the namespace (sockets opened there
  // stay bound to it), then comes back.
  template <typename Fn>
  auto Inside(Fn fn) {
    const int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    const int target = open(absl::StrCat("/var/run/netns/", name_).c_str(),
                            O_RDONLY | O_CLOEXEC);
    EXPECT_EQ(setns(target, CLONE_NEWNET), 0);
    auto result = fn();
    EXPECT_EQ(setns(self, CLONE_NEWNET), 0);
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
