#include "metrics/control_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace nexthop {
namespace {

constexpr size_t kMaxRequest = 64 * 1024;

absl::Status Errno(const char* what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat("control socket ", path, ": ",
                                             what, ": ", std::strerror(errno)));
}

absl::StatusOr<sockaddr_un> Address(const std::string& path) {
  sockaddr_un addr;
  std::memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("control socket path \"", path, "\": want 1 to ",
                     sizeof(addr.sun_path) - 1, " bytes"));
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

void SetTimeouts(int fd, absl::Duration d) {
  const timeval tv = absl::ToTimeval(d);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

// Reads until end of file (or `max` bytes, or past `deadline`: errors).
absl::StatusOr<std::string> ReadAll(
    int fd, size_t max, const std::string& path,
    absl::Time deadline = absl::InfiniteFuture()) {
  std::string out;
  char buf[4096];
  for (;;) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "control socket ", path, ": request not complete in time"));
    }
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n == 0) return out;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("read", path);
    }
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "control socket ", path, ": request over ", max, " bytes"));
    }
  }
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ControlSocket>> ControlSocket::Listen(
    const std::string& path, Handler handler) {
  absl::StatusOr<sockaddr_un> addr = Address(path);
  if (!addr.ok()) return addr.status();
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return absl::AlreadyExistsError(absl::StrCat(
          "control socket ", path, ": exists and is not a socket"));
    }
    // A server that answers owns it; a dead one's file is replaced.
    const int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool live =
        probe >= 0 && connect(probe, reinterpret_cast<const sockaddr*>(&*addr),
                              sizeof(*addr)) == 0;
    if (probe >= 0) close(probe);
    if (live) {
      return absl::AlreadyExistsError(absl::StrCat(
          "control socket ", path, ": another server is listening there"));
    }
    unlink(path.c_str());
  }
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Errno("socket", path);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr)) < 0 ||
      listen(fd, 16) < 0) {
    absl::Status s = Errno("bind/listen", path);
    close(fd);
    return s;
  }
  return std::unique_ptr<ControlSocket>(
      new ControlSocket(path, std::move(handler), fd));
}

ControlSocket::~ControlSocket() {
  close(fd_);
  unlink(path_.c_str());
}

absl::Status ControlSocket::Process() {
  absl::Status first;
  for (;;) {
    const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return first;
      return Errno("accept", path_);
    }
    absl::Status s = Answer(client);
    close(client);
    if (first.ok() && !s.ok()) first = s;
  }
}

// Answered on the caller's thread (the router's loop): a client that
// neither finishes its request nor closes gets at most ~kClientTime of it,
// per read and in all, not the forwarding loop. ControlRequest writes its
// request and shuts down at once, well inside that.
absl::Status ControlSocket::Answer(int client) {
  constexpr absl::Duration kClientTime = absl::Milliseconds(50);
  SetTimeouts(client, kClientTime);
  absl::StatusOr<std::string> request =
      ReadAll(client, kMaxRequest, path_, absl::Now() + kClientTime);
  if (!request.ok()) return request.status();
  return WriteAll(client, handler_(*request), path_);
}

absl::StatusOr<std::string> ControlRequest(const std::string& path,
                                           std::string_view request,
                                           absl::Duration timeout) {
  absl::StatusOr<sockaddr_un> addr = Address(path);
  if (!addr.ok()) return addr.status();
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket", path);
  SetTimeouts(fd, timeout);
  absl::StatusOr<std::string> reply;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr)) <
      0) {
    reply = Errno("connect (is the daemon running?)", path);
  } else if (absl::Status s = WriteAll(fd, request, path); !s.ok()) {
    reply = s;
  } else {
    shutdown(fd, SHUT_WR);  // the end of the request
    reply = ReadAll(fd, size_t{64} << 20, path);
  }
  close(fd);
  return reply;
}

}  // namespace nexthop
