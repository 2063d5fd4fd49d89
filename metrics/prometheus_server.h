// PrometheusServer: an HTTP endpoint (civetweb) answering GET /metrics
// with a fresh snapshot in the Prometheus text format.
//
// Each scrape calls the producer given to Start and formats what it
// returns (metrics/prometheus_text.h); a producer whose metrics do not
// format gets a 500 naming the fault. Binds 127.0.0.1 by default, port 0
// meaning an ephemeral one (port() tells which). Thread-safety: the
// producer runs on the server's own thread, one scrape at a time (the
// server serialises them), so it must read the daemon's counters safely
// from there (atomics or a snapshot). Stop (or the destructor) waits for
// a scrape in progress. Cost: one civetweb thread and a listening socket.
//
// Example:
//   PrometheusServer::Options options;  // 127.0.0.1, ephemeral port
//   auto server = PrometheusServer::Start(options, [] {
//     return std::vector<Metric>{
//         {"nexthop_up", "1 while running.", MetricType::kGauge, {}, 1}};
//   });
//   if (server.ok()) std::cout << (*server)->port();  // curl :PORT/metrics
#ifndef NEXTHOP_METRICS_PROMETHEUS_SERVER_H_
#define NEXTHOP_METRICS_PROMETHEUS_SERVER_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "metrics/metric.h"

struct mg_context;
struct mg_connection;

namespace nexthop {

class PrometheusServer {
 public:
  // The metrics of one scrape; an error is answered 503 with its message
  // (a scrape with no series would read as every series gone).
  using Producer = std::function<absl::StatusOr<std::vector<Metric>>()>;
  struct Options {
    std::string address = "127.0.0.1";  // where to listen; not 0.0.0.0
    int port = 0;                       // 0: an ephemeral port
  };

  // Unavailable (with civetweb's reason) when it cannot listen.
  static absl::StatusOr<std::unique_ptr<PrometheusServer>> Start(
      const Options& options, Producer producer);
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  int port() const { return port_; }

 private:
  explicit PrometheusServer(Producer producer);
  static int HandleMetrics(mg_connection* conn, void* self);
  static int Log(const mg_connection* conn, const char* message);

  Producer producer_;
  std::mutex scrape_;  // one producer call at a time
  mg_context* context_ = nullptr;
  int port_ = 0;
};

}  // namespace nexthop

#endif  // NEXTHOP_METRICS_PROMETHEUS_SERVER_H_
