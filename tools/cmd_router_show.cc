// nexthop router show: asks a running router over its control socket
// (metrics/control_socket.h) and prints the answer; and where the control
// sockets live by default.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "metrics/control_socket.h"
#include "tools/commands.h"

namespace nexthop::tools {
namespace {

// Where routers put their control sockets unless told otherwise:
// $NEXTHOP_CONTROL_DIR, else /run/nexthop.
std::string ControlDirectory() {
  const char* dir = std::getenv("NEXTHOP_CONTROL_DIR");
  return dir != nullptr && *dir != '\0' ? dir : "/run/nexthop";
}

// A router's default socket name: router-PID.sock.
bool IsRouterSocket(absl::string_view name) {
  return absl::StartsWith(name, "router-") && absl::EndsWith(name, ".sock");
}

// A router killed with SIGKILL leaves its socket file behind, and its PID
// may belong to another process by now: a socket is stale when nothing
// listens on it (connect: ECONNREFUSED, or not a socket at all).
bool Listening(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) return true;  // ask; it says
  path.copy(addr.sun_path, path.size());
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return true;
  const bool refused =
      connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) !=
          0 &&
      (errno == ECONNREFUSED || errno == ENOENT || errno == ENOTSOCK);
  close(fd);
  return !refused;
}

}  // namespace

std::string DefaultControlPath(int pid) {
  return absl::StrCat(ControlDirectory(), "/router-", pid, ".sock");
}

absl::Status MakeControlDirectory(const std::string& socket_path) {
  const std::string dir = ControlDirectory();
  if (!absl::StartsWith(socket_path, absl::StrCat(dir, "/"))) {
    return absl::OkStatus();
  }
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", dir, ": ", std::strerror(errno),
                     " (give --control PATH or none)"));
  }
  return absl::OkStatus();
}

int RunRouterShow(const std::vector<std::string>& args) {
  std::string path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--control" && i + 1 < args.size()) {
      path = args[++i];
    } else if (args[i] == "--control") {
      std::cerr << "nexthop router show: --control needs a PATH\n"
                << kRouterUsage;
      return 2;
    } else {
      std::cerr << "nexthop router show: unknown argument '" << args[i] << "'\n"
                << kRouterUsage;
      return 2;
    }
  }
  if (path.empty()) {
    const std::string dir = ControlDirectory();
    std::vector<std::string> found;
    int gone = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      if (!IsRouterSocket(e.path().filename().string())) continue;
      if (Listening(e.path().string())) {
        found.push_back(e.path().string());
      } else {
        ++gone;
      }
    }
    if (found.size() != 1) {
      const std::string stale =
          gone == 0 ? ""
                    : absl::StrCat("; ", gone,
                                   " left there by routers no longer running");
      return Fail(
          1, found.empty()
                 ? absl::StrCat("no control socket of a running router in ",
                                dir, stale, " (give --control PATH)")
                 : absl::StrCat("several routers (", absl::StrJoin(found, ", "),
                                ")", stale, ": give --control PATH"));
    }
    path = found[0];
  }
  absl::StatusOr<std::string> reply = ControlRequest(path, "show");
  if (!reply.ok()) {
    return Fail(1, absl::StrCat(path, ": ", reply.status().message()));
  }
  std::cout << *reply;
  return absl::StartsWith(*reply, "error: ") ? 1 : 0;
}

}  // namespace nexthop::tools
