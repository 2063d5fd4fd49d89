// QueryInterface: the kernel's view of one interface.
#include "io/interface_info.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

// A /proc/sys value: its first line, or nullopt if the file is missing.
std::optional<std::string> ReadSysctl(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  if (!f || !std::getline(f, line)) return std::nullopt;
  return line;
}

int PrefixLength(const sockaddr* mask) {
  if (mask == nullptr) return 32;
  const uint32_t m =
      ntohl(reinterpret_cast<const sockaddr_in*>(mask)->sin_addr.s_addr);
  return __builtin_popcount(m);
}

std::vector<std::string> Ipv4Addresses(const std::string& name) {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET ||
        name != a->ifa_name) {
      continue;
    }
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET,
              &reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr,
              text, sizeof(text));
    out.push_back(absl::StrCat(text, "/", PrefixLength(a->ifa_netmask)));
  }
  freeifaddrs(list);
  return out;
}

}  // namespace

absl::StatusOr<InterfaceInfo> QueryInterface(absl::string_view name) {
  InterfaceInfo info;
  info.name = std::string(name);
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", name, "\" is not a valid interface name"));
  }
  info.index = static_cast<int>(if_nametoindex(info.name.c_str()));
  if (info.index == 0) {
    return absl::NotFoundError(
        absl::StrCat("Cannot find device \"", name, "\""));
  }
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("socket: ", ErrnoText()));
  }
  ifreq req{};
  std::memcpy(req.ifr_name, info.name.data(), info.name.size());
  std::string failed;
  if (ioctl(fd, SIOCGIFHWADDR, &req) == 0) {
    std::array<uint8_t, 6> b;
    std::memcpy(b.data(), req.ifr_hwaddr.sa_data, b.size());
    info.mac = MacAddress(b);
  } else {
    failed = "SIOCGIFHWADDR";
  }
  if (ioctl(fd, SIOCGIFMTU, &req) == 0) {
    info.mtu = req.ifr_mtu;
  } else {
    failed = "SIOCGIFMTU";
  }
  if (ioctl(fd, SIOCGIFFLAGS, &req) == 0) {
    info.up = (req.ifr_flags & IFF_UP) != 0;
  } else {
    failed = "SIOCGIFFLAGS";
  }
  const std::string why = ErrnoText();
  close(fd);
  if (!failed.empty()) {
    return absl::InternalError(
        absl::StrCat(failed, " on \"", name, "\": ", why));
  }
  info.ipv4_addresses = Ipv4Addresses(info.name);
  if (std::optional<std::string> v = ReadSysctl(absl::StrCat(
          "/proc/sys/net/ipv6/conf/", info.name, "/disable_ipv6"))) {
    info.ipv6_disabled = *v != "0";
  }
  return info;
}

absl::StatusOr<bool> KernelIpv4Forwarding() {
  std::optional<std::string> v = ReadSysctl("/proc/sys/net/ipv4/ip_forward");
  if (!v) {
    return absl::UnavailableError("cannot read /proc/sys/net/ipv4/ip_forward");
  }
  return *v != "0";
}

}  // namespace nexthop
