// The `nexthop` subcommands. Each takes its positional arguments (after the
// subcommand name) and returns the process exit code: 0 on success, 1 on a
// failed operation (bad file, bad address), 2 on a usage error.
#ifndef NEXTHOP_TOOLS_COMMANDS_H_
#define NEXTHOP_TOOLS_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"

ABSL_DECLARE_FLAG(std::string, table);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(std::string, input_format);
ABSL_DECLARE_FLAG(std::string, algo);
ABSL_DECLARE_FLAG(std::string, algo6);
ABSL_DECLARE_FLAG(bool, strict);
ABSL_DECLARE_FLAG(bool, explain);
ABSL_DECLARE_FLAG(bool, json);

namespace nexthop::tools {

int RunLookup(const std::vector<std::string>& args);
int RunShow(const std::vector<std::string>& args);
int RunCalc(const std::vector<std::string>& args);
// calc for an IPv6 ADDR/LEN (RunCalc hands those over).
int RunCalc6(const std::vector<std::string>& args);
int RunMrt(const std::vector<std::string>& args);
// Parses its own arguments (repeatable options): see kSimUsage.
int RunSim(const std::vector<std::string>& args);
extern const char kSimUsage[];
// The live router daemon: see kRouterUsage.
int RunRouter(const std::vector<std::string>& args);
extern const char kRouterUsage[];
// `nexthop router show` (cmd_router_show.cc), and where routers' control
// sockets live by default: $NEXTHOP_CONTROL_DIR (else /run/nexthop)
// /router-PID.sock.
int RunRouterShow(const std::vector<std::string>& args);
std::string DefaultControlPath(int pid);
// Creates the control socket's directory if it is the default one.
absl::Status MakeControlDirectory(const std::string& socket_path);

// Prints "nexthop: <message>" to stderr and returns `code`.
int Fail(int code, const std::string& message);

}  // namespace nexthop::tools

#endif  // NEXTHOP_TOOLS_COMMANDS_H_
