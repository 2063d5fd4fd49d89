// AfPacketPort: opening the socket, and sending.
#include "io/af_packet_port.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

absl::Status Errno(absl::string_view what, absl::string_view interface) {
  return absl::InternalError(
      absl::StrCat(what, " on \"", interface, "\": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<AfPacketPort>> AfPacketPort::Open(
    absl::string_view interface, const Options& options) {
  const std::string name(interface);
  const unsigned index = if_nametoindex(name.c_str());
  if (index == 0) {
    return absl::NotFoundError(
        absl::StrCat("Cannot find device \"", interface, "\""));
  }
  const int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (errno == EPERM || errno == EACCES) {
      return absl::PermissionDeniedError(absl::StrCat(
          "cannot open a packet socket on \"", interface,
          "\": Operation not permitted (needs CAP_NET_RAW: run as root or "
          "setcap cap_net_raw+ep)"));
    }
    return Errno("socket(AF_PACKET)", interface);
  }
  auto fail = [fd](absl::Status s) {
    close(fd);
    return s;
  };
  const int version = TPACKET_V3;
  if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)))
    return fail(Errno("PACKET_VERSION", interface));
  const int one = 1;
  if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)))
    return fail(Errno("PACKET_QDISC_BYPASS", interface));
  // Our own transmissions are not input.
  if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)))
    return fail(Errno("PACKET_IGNORE_OUTGOING", interface));
  absl::StatusOr<io_internal::RxRing> ring = io_internal::RxRing::Create(
      fd, options.blocks, options.block_bytes,
      static_cast<int>(absl::ToInt64Milliseconds(options.block_timeout)));
  if (!ring.ok()) {
    return fail(absl::Status(
        ring.status().code(),
        absl::StrCat(ring.status().message(), " on \"", interface, "\"")));
  }
  // Bound last: the ring takes frames only from then on.
  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ETH_P_ALL);
  addr.sll_ifindex = static_cast<int>(index);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    return fail(Errno("bind", interface));
  return std::unique_ptr<AfPacketPort>(
      new AfPacketPort(name, fd, *std::move(ring)));
}

AfPacketPort::~AfPacketPort() { close(fd_); }

size_t AfPacketPort::Receive(
    absl::FunctionRef<void(std::span<const uint8_t>)> fn, size_t max) noexcept {
  const size_t n = ring_.Drain(fn, max, &counters_.rx_bytes);
  counters_.rx_frames += n;
  return n;
}

bool AfPacketPort::Send(std::span<const uint8_t> frame) noexcept {
  if (frame.size() > 65535) {
    ++counters_.tx_errors;
    return false;
  }
  tx_bytes_.insert(tx_bytes_.end(), frame.begin(), frame.end());
  tx_ends_.push_back(tx_bytes_.size());
  if (tx_ends_.size() >= kTxBatch) Flush();
  return true;
}

void AfPacketPort::Flush() noexcept {
  std::array<iovec, kTxBatch> iov;
  std::array<mmsghdr, kTxBatch> msgs{};
  const size_t queued = tx_ends_.size();
  size_t done = 0;
  while (done < queued) {
    const size_t n = std::min(queued - done, kTxBatch);
    for (size_t i = 0; i < n; ++i) {
      const size_t begin = done + i == 0 ? 0 : tx_ends_[done + i - 1];
      iov[i] = {tx_bytes_.data() + begin, tx_ends_[done + i] - begin};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    const int sent =
        sendmmsg(fd_, msgs.data(), static_cast<unsigned>(n), MSG_DONTWAIT);
    const size_t ok = sent < 0 ? 0 : static_cast<size_t>(sent);
    for (size_t i = 0; i < ok; ++i) counters_.tx_bytes += msgs[i].msg_len;
    counters_.tx_frames += ok;
    done += ok;
    if (ok < n) {
      // The kernel refused frame `ok` (sendmmsg stops at the first error):
      // it is dropped, as a full NIC queue drops, counted and never
      // retried (the loop must not block); the rest go on.
      ++counters_.tx_errors;
      ++done;
    }
  }
  tx_bytes_.clear();
  tx_ends_.clear();
}

absl::Status AfPacketPort::TakeError() noexcept {
  int error = 0;
  socklen_t len = sizeof(error);
  getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &len);
  if (if_nametoindex(name_.c_str()) == 0) {
    return absl::NotFoundError(absl::StrCat("device \"", name_, "\" is gone"));
  }
  return absl::OkStatus();
}

PortCounters AfPacketPort::counters() const noexcept {
  // PACKET_STATISTICS resets the kernel's counts on every read: keep the
  // sum here.
  tpacket_stats_v3 stats{};
  socklen_t len = sizeof(stats);
  if (getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &stats, &len) == 0)
    counters_.rx_ring_drops += stats.tp_drops;
  return counters_;
}

}  // namespace nexthop
