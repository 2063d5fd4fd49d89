// The Prometheus exporter (metrics/prometheus_text.h,
// metrics/prometheus_server.h): the text format's rules (one HELP and TYPE
// per name, samples grouped, escaping of help text and label values, the
// spellings of special values, names checked) and the HTTP endpoint
// fetched with a plain socket on an ephemeral 127.0.0.1 port.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrics/prometheus_server.h"
#include "metrics/prometheus_text.h"

namespace nexthop {
namespace {

using ::testing::HasSubstr;

TEST(PrometheusTextTest, GroupsSamplesUnderOneHelpAndType) {
  std::vector<Metric> ms = {
      {"nexthop_rx_packets_total",
       "Frames received.",
       MetricType::kCounter,
       {{"port", "veth0"}},
       10},
      {"nexthop_lookups_total", "Route lookups.", MetricType::kCounter, {}, 7},
      {"nexthop_rx_packets_total",
       "Frames received.",
       MetricType::kCounter,
       {{"port", "veth1"}},
       20},
      {"nexthop_routes", "Routes mirrored.", MetricType::kGauge, {}, 3}};
  absl::StatusOr<std::string> text = FormatPrometheusText(ms);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text,
            "# HELP nexthop_rx_packets_total Frames received.\n"
            "# TYPE nexthop_rx_packets_total counter\n"
            "nexthop_rx_packets_total{port=\"veth0\"} 10\n"
            "nexthop_rx_packets_total{port=\"veth1\"} 20\n"
            "# HELP nexthop_lookups_total Route lookups.\n"
            "# TYPE nexthop_lookups_total counter\n"
            "nexthop_lookups_total 7\n"
            "# HELP nexthop_routes Routes mirrored.\n"
            "# TYPE nexthop_routes gauge\n"
            "nexthop_routes 3\n");
}

TEST(PrometheusTextTest, EscapesHelpAndLabelValuesAsTheFormatSays) {
  // Help: backslash and line feed escaped, a double quote kept. Label
  // values: backslash, double quote and line feed escaped.
  std::vector<Metric> ms = {{"m",
                             "a \\ b\nc \"d\"",
                             MetricType::kUntyped,
                             {{"path", "C:\\x\n\"y\""}, {"b", "plain"}},
                             1}};
  EXPECT_EQ(*FormatPrometheusText(ms),
            "# HELP m a \\\\ b\\nc \"d\"\n"
            "# TYPE m untyped\n"
            "m{path=\"C:\\\\x\\n\\\"y\\\"\",b=\"plain\"} 1\n");
}

TEST(PrometheusTextTest, Values) {
  auto line = [](double v) {
    std::vector<Metric> ms = {{"v", "", MetricType::kGauge, {}, v}};
    std::string t = *FormatPrometheusText(ms);
    return t.substr(t.rfind("v ") + 2);
  };
  EXPECT_EQ(line(0), "0\n");
  EXPECT_EQ(line(18446744073709.0), "18446744073709\n");
  EXPECT_EQ(line(0.25), "0.25\n");
  EXPECT_EQ(line(-3), "-3\n");
  EXPECT_EQ(line(std::numeric_limits<double>::infinity()), "+Inf\n");
  EXPECT_EQ(line(-std::numeric_limits<double>::infinity()), "-Inf\n");
  EXPECT_EQ(line(std::nan("")), "NaN\n");
}

TEST(PrometheusTextTest, RefusesBadNamesAndDisagreeingSamples) {
  auto error = [](std::vector<Metric> ms) {
    return std::string(FormatPrometheusText(ms).status().message());
  };
  EXPECT_THAT(error({{"9lives", "", MetricType::kGauge, {}, 1}}),
              HasSubstr("metric name \"9lives\""));
  EXPECT_THAT(error({{"a-b", "", MetricType::kGauge, {}, 1}}),
              HasSubstr("metric name \"a-b\""));
  EXPECT_THAT(error({{"m", "", MetricType::kGauge, {{"a:b", "x"}}, 1}}),
              HasSubstr("label name \"a:b\""));
  EXPECT_THAT(error({{"m", "", MetricType::kGauge, {{"__name", "x"}}, 1}}),
              HasSubstr("label name \"__name\""));
  EXPECT_THAT(error({{"m", "x", MetricType::kGauge, {}, 1},
                     {"m", "x", MetricType::kCounter, {}, 2}}),
              HasSubstr("metric m: samples disagree"));
  // Colons are fine in metric names (recording rules use them); no help,
  // no HELP line.
  std::vector<Metric> ok = {{"job:m:rate", "", MetricType::kGauge, {}, 1}};
  EXPECT_EQ(*FormatPrometheusText(ok),
            "# TYPE job:m:rate gauge\njob:m:rate 1\n");
}

// One HTTP/1.0 request to 127.0.0.1:port; the whole response.
std::string Http(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return "connect failed";
  }
  (void)!write(fd, request.data(), request.size());
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, n);
  close(fd);
  return out;
}

TEST(PrometheusServerTest, ServesFreshSnapshotsOnLoopback) {
  std::atomic<int> scrapes = 0;
  auto server = PrometheusServer::Start({}, [&] {
    const int n = ++scrapes;
    return std::vector<Metric>{{"nexthop_scrapes_total",
                                "Scrapes so far.",
                                MetricType::kCounter,
                                {{"q", "a\"b"}},
                                double(n)}};
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  ASSERT_GT(port, 0);
  for (int i = 1; i <= 2; ++i) {
    const std::string r = Http(port, "GET /metrics HTTP/1.0\r\n\r\n");
    EXPECT_THAT(r, ::testing::StartsWith("HTTP/1.0 200"));
    EXPECT_THAT(r, HasSubstr("Content-Type: text/plain; version=0.0.4; "
                             "charset=utf-8\r\n"));
    const std::string body = r.substr(r.find("\r\n\r\n") + 4);
    EXPECT_EQ(body,
              absl::StrCat("# HELP nexthop_scrapes_total Scrapes so far.\n"
                           "# TYPE nexthop_scrapes_total counter\n"
                           "nexthop_scrapes_total{q=\"a\\\"b\"} ",
                           i, "\n"));
  }
  EXPECT_THAT(Http(port, "POST /metrics HTTP/1.0\r\n\r\n"),
              ::testing::StartsWith("HTTP/1.0 405"));
  EXPECT_THAT(Http(port, "GET /other HTTP/1.0\r\n\r\n"),
              ::testing::StartsWith("HTTP/1.0 404"));
  EXPECT_EQ(scrapes, 2);

  // The port is taken now: a second server there fails, saying so.
  PrometheusServer::Options taken;
  taken.port = port;
  auto second =
      PrometheusServer::Start(taken, [] { return std::vector<Metric>{}; });
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(),
              HasSubstr(absl::StrCat("cannot listen on 127.0.0.1:", port)));
}

TEST(PrometheusServerTest, BadMetricsAre500NamingTheFault) {
  auto server = PrometheusServer::Start({}, [] {
    return std::vector<Metric>{{"bad name", "", MetricType::kGauge, {}, 1}};
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string r =
      Http((*server)->port(), "GET /metrics HTTP/1.0\r\n\r\n");
  EXPECT_THAT(r, ::testing::StartsWith("HTTP/1.0 500"));
  EXPECT_THAT(r, HasSubstr("metric name \"bad name\""));
}

}  // namespace
}  // namespace nexthop
