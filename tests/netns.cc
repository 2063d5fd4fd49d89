#include "tests/netns.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace nexthop::testing {

std::pair<int, std::string> Shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return {-1, out};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string WhyNoNamespaces() {
  if (geteuid() != 0) return "needs root (network namespaces)";
  if (Shell("command -v ip >/dev/null").first != 0) return "no `ip` (iproute2)";
  return "";
}

Netns::~Netns() {
  if (created_) Shell("ip netns del " + name_ + " 2>/dev/null");
}

std::string Netns::Create() {
  if (std::string why = WhyNoNamespaces(); !why.empty()) return why;
  if (Shell("ip netns add " + name_ + " 2>&1").first != 0) {
    return "cannot create a network namespace here";
  }
  created_ = true;
  return "";
}

}  // namespace nexthop::testing
