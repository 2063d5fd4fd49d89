// nexthop router show: asks a running router over its control socket
// (metrics/control_socket.h) and prints the answer; and where the control
// sockets live by default.
#include <sys/stat.h>

#include <cerrno>
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

// Where routers put their control sockets unless told otherwise.
constexpr char kControlDirectory[] = "/run/nexthop";

}  // namespace

std::string DefaultControlPath(int pid) {
  return absl::StrCat(kControlDirectory, "/router-", pid, ".sock");
}

absl::Status MakeControlDirectory(const std::string& socket_path) {
  if (!absl::StartsWith(socket_path, absl::StrCat(kControlDirectory, "/"))) {
    return absl::OkStatus();
  }
  if (mkdir(kControlDirectory, 0755) != 0 && errno != EEXIST) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", kControlDirectory, ": ",
                     std::strerror(errno), " (give --control PATH or none)"));
  }
  return absl::OkStatus();
}

int RunRouterShow(const std::vector<std::string>& args) {
  std::string path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--control" && i + 1 < args.size()) {
      path = args[++i];
    } else {
      std::cerr << "nexthop router show: unknown argument '" << args[i] << "'\n"
                << kRouterUsage;
      return 2;
    }
  }
  if (path.empty()) {
    std::vector<std::string> found;
    std::error_code ec;
    for (const auto& e :
         std::filesystem::directory_iterator(kControlDirectory, ec)) {
      const std::string name = e.path().filename().string();
      if (absl::StartsWith(name, "router-") && absl::EndsWith(name, ".sock")) {
        found.push_back(e.path().string());
      }
    }
    if (found.size() != 1) {
      return Fail(
          1, found.empty()
                 ? absl::StrCat("no router's control socket in ",
                                kControlDirectory, " (give --control PATH)")
                 : absl::StrCat("several routers (", absl::StrJoin(found, ", "),
                                "): give --control PATH"));
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
