#include "netlink/internal/dump.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace nexthop::netlink_internal {
namespace {

// Big enough for any dump part the kernel sends (it fills up to 32 KiB).
constexpr size_t kBuffer = 64 * 1024;

struct Collect {
  uint16_t want;  // RTM_NEWLINK or RTM_NEWROUTE
  std::vector<ParsedLink>* links;
  std::vector<ParsedRoute>* routes;
  uint64_t* malformed;
  bool interrupted = false;  // NLM_F_DUMP_INTR: the table changed meanwhile
};

int OnMessage(const nlmsghdr* nlh, void* data) {
  auto* c = static_cast<Collect*>(data);
  if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) c->interrupted = true;
  if (nlh->nlmsg_type != c->want) return MNL_CB_OK;
  if (c->links) {
    absl::StatusOr<ParsedLink> l = ParseLinkMessage(nlh, nlh->nlmsg_len);
    l.ok() ? c->links->push_back(*l) : void(++*c->malformed);
  } else {
    absl::StatusOr<ParsedRoute> r = ParseRouteMessage(nlh, nlh->nlmsg_len);
    r.ok() ? c->routes->push_back(*r) : void(++*c->malformed);
  }
  return MNL_CB_OK;
}

absl::Status RunOnce(mnl_socket* socket, uint32_t seq, uint16_t request,
                     int family, Collect* collect) {
  const char* what = request == RTM_GETLINK ? "RTM_GETLINK" : "RTM_GETROUTE";
  alignas(nlmsghdr) char req[MNL_SOCKET_BUFFER_SIZE];
  nlmsghdr* nlh = mnl_nlmsg_put_header(req);
  nlh->nlmsg_type = request;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  nlh->nlmsg_seq = seq;
  if (request == RTM_GETLINK) {
    auto* ifi = static_cast<ifinfomsg*>(
        mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
  } else {
    auto* rtm =
        static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
    rtm->rtm_family = static_cast<uint8_t>(family);
  }
  if (mnl_socket_sendto(socket, nlh, nlh->nlmsg_len) < 0) {
    return absl::UnavailableError(
        absl::StrCat(what, " dump: send: ", std::strerror(errno)));
  }
  const unsigned portid = mnl_socket_get_portid(socket);
  std::vector<char> buf(kBuffer);
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(socket, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(
          absl::StrCat(what, " dump: recv: ", std::strerror(errno)));
    }
    const int r = mnl_cb_run(buf.data(), n, seq, portid, OnMessage, collect);
    if (r == MNL_CB_STOP) return absl::OkStatus();
    if (r == MNL_CB_ERROR) {
      return absl::UnavailableError(absl::StrCat(
          what,
          " dump: the kernel answered NLMSG_ERROR: ", std::strerror(errno)));
    }
  }
}

// A dump the kernel marks interrupted may have skipped entries that
// existed all along (a sweep would then delete them): it is redone.
absl::Status Run(mnl_socket* socket, uint32_t seq, uint16_t request, int family,
                 Collect* collect) {
  constexpr int kAttempts = 5;
  for (int i = 0; i < kAttempts; ++i) {
    if (collect->links) collect->links->clear();
    if (collect->routes) collect->routes->clear();
    collect->interrupted = false;
    absl::Status s = RunOnce(socket, seq + i, request, family, collect);
    if (!s.ok() || !collect->interrupted) return s;
  }
  return absl::UnavailableError(absl::StrCat(
      request == RTM_GETLINK ? "RTM_GETLINK" : "RTM_GETROUTE", " dump: ",
      kAttempts, " attempts in a row were interrupted (NLM_F_DUMP_INTR)"));
}

}  // namespace

absl::Status DumpLinks(mnl_socket* socket, uint32_t seq,
                       std::vector<ParsedLink>* out, uint64_t* malformed) {
  Collect c{RTM_NEWLINK, out, nullptr, malformed};
  return Run(socket, seq, RTM_GETLINK, AF_UNSPEC, &c);
}

absl::Status DumpRoutes(mnl_socket* socket, uint32_t seq, int family,
                        std::vector<ParsedRoute>* out, uint64_t* malformed) {
  Collect c{RTM_NEWROUTE, nullptr, out, malformed};
  return Run(socket, seq, RTM_GETROUTE, family, &c);
}

}  // namespace nexthop::netlink_internal
