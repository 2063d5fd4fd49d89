// ControlSocket: a local (unix stream) socket where a daemon answers text
// requests, such as `nexthop router show`; ControlRequest is the client.
//
// One request per connection: the client writes its request and shuts
// down its sending side, the server reads to the end (64 KiB at most),
// calls the handler and writes its reply, then closes. The listening
// socket is non-blocking: the daemon polls fd() for POLLIN and calls
// Process(), which answers every pending connection (each read and write
// bounded by a 1 s timeout, so a stalled client cannot hold the daemon
// longer). Listen refuses a path where another server answers, replaces a
// stale socket file, and the destructor removes the file. Not
// thread-safe: the owner's thread calls Process and the handler runs on it.
//
// Example:
//   std::string path = "/tmp/nexthop-example.sock";
//   auto server = ControlSocket::Listen(
//       path, [](std::string_view req) { return "got " + std::string(req); });
//   // a client (another process) sends "show" and waits; here:
//   // ControlRequest(path, "show") -> "got show" once Process() ran.
//   if (server.ok()) absl::Status s = (*server)->Process();  // none pending
#ifndef NEXTHOP_METRICS_CONTROL_SOCKET_H_
#define NEXTHOP_METRICS_CONTROL_SOCKET_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace nexthop {

class ControlSocket {
 public:
  using Handler = std::function<std::string(std::string_view request)>;

  static absl::StatusOr<std::unique_ptr<ControlSocket>> Listen(
      const std::string& path, Handler handler);
  ~ControlSocket();
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;

  int fd() const { return fd_; }
  // Answers every connection pending now; the first error (a client that
  // stalled or went away) once all were handled.
  absl::Status Process();

 private:
  ControlSocket(std::string path, Handler handler, int fd)
      : path_(std::move(path)), handler_(std::move(handler)), fd_(fd) {}
  absl::Status Answer(int client);

  std::string path_;
  Handler handler_;
  int fd_;
};

// Sends `request` to the server at `path` and returns its whole reply.
absl::StatusOr<std::string> ControlRequest(
    const std::string& path, std::string_view request,
    absl::Duration timeout = absl::Seconds(5));

}  // namespace nexthop

#endif  // NEXTHOP_METRICS_CONTROL_SOCKET_H_
