// The control socket (metrics/control_socket.h): a request from a client
// thread answered by the owner's Process() (the `nexthop router show`
// round trip), several clients in one Process call, a stale socket file
// replaced, a live one refused, a path that is no socket refused, and the
// client's error when nobody listens.
#include "metrics/control_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nexthop {
namespace {

using ::testing::HasSubstr;

std::string SocketPath(const std::string& name) {
  return absl::StrCat(::testing::TempDir(), "nh-ctl-", getpid(), "-", name);
}

// Serves until `clients` requests were answered.
void Serve(ControlSocket& server, int clients, std::vector<std::string>* seen) {
  while (static_cast<int>(seen->size()) < clients) {
    pollfd p{server.fd(), POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return;
    EXPECT_TRUE(server.Process().ok());
  }
}

TEST(ControlSocketTest, RoundTrip) {
  const std::string path = SocketPath("rt");
  std::vector<std::string> seen;
  auto server = ControlSocket::Listen(path, [&](std::string_view req) {
    seen.emplace_back(req);
    return "port veth0 rx 10 tx 9\nrequest was: " + std::string(req) + "\n";
  });
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::string> a, b;
  std::thread ca([&] { a = ControlRequest(path, "show"); });
  std::thread cb([&] { b = ControlRequest(path, "show routes"); });
  Serve(**server, 2, &seen);
  ca.join();
  cb.join();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*a, "port veth0 rx 10 tx 9\nrequest was: show\n");
  EXPECT_EQ(*b, "port veth0 rx 10 tx 9\nrequest was: show routes\n");
  EXPECT_THAT(seen, ::testing::UnorderedElementsAre("show", "show routes"));
  // Nothing pending: Process returns at once.
  EXPECT_TRUE((*server)->Process().ok());

  // A second server on the same path is refused while the first lives.
  auto second = ControlSocket::Listen(
      path, [](std::string_view) { return std::string(); });
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(), HasSubstr("another server"));
  server->reset();  // removes the file
  EXPECT_NE(access(path.c_str(), F_OK), 0);
  EXPECT_THAT(ControlRequest(path, "show").status().message(),
              HasSubstr("is the daemon running?"));
}

TEST(ControlSocketTest, StaleSocketReplacedOtherFilesRefused) {
  const std::string path = SocketPath("stale");
  {
    // A socket file nobody listens on (a daemon that was killed).
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    path.copy(a.sun_path, sizeof(a.sun_path) - 1);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    close(fd);
  }
  auto server = ControlSocket::Listen(
      path, [](std::string_view r) { return std::string(r); });
  ASSERT_TRUE(server.ok()) << server.status();
  server->reset();

  const std::string file = SocketPath("file");
  std::ofstream(file) << "not a socket";
  auto refused = ControlSocket::Listen(
      file, [](std::string_view) { return std::string(); });
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("is not a socket"));
  unlink(file.c_str());
  EXPECT_THAT(ControlSocket::Listen(std::string(200, 'x'),
                                    [](std::string_view) { return std::string(); })
                  .status()
                  .message(),
              HasSubstr("want 1 to 107 bytes"));
}

}  // namespace
}  // namespace nexthop
