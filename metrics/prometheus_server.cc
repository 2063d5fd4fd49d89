#include "metrics/prometheus_server.h"

#include <civetweb.h>

#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "metrics/prometheus_text.h"

namespace nexthop {
namespace {

// civetweb reports why mg_start failed only through its log callback,
// before any user data is reachable: kept per thread for Start to read.
thread_local std::string start_error;

}  // namespace

PrometheusServer::PrometheusServer(Producer producer)
    : producer_(std::move(producer)) {}

PrometheusServer::~PrometheusServer() {
  if (context_) mg_stop(context_);
}

int PrometheusServer::Log(const mg_connection*, const char* message) {
  start_error = message;
  return 1;  // handled: civetweb prints nothing itself
}

absl::StatusOr<std::unique_ptr<PrometheusServer>> PrometheusServer::Start(
    const Options& options, Producer producer) {
  mg_init_library(0);
  std::unique_ptr<PrometheusServer> server(
      new PrometheusServer(std::move(producer)));
  const std::string listen = absl::StrCat(options.address, ":", options.port);
  // One worker: scrapes are rare, and the producer is serialised anyway.
  const char* config[] = {"listening_ports", listen.c_str(), "num_threads", "1",
                          nullptr};
  mg_callbacks callbacks;
  std::memset(&callbacks, 0, sizeof(callbacks));
  callbacks.log_message = &PrometheusServer::Log;
  start_error.clear();
  server->context_ = mg_start(&callbacks, server.get(), config);
  if (server->context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "metrics server: cannot listen on ", listen, ": ",
        start_error.empty() ? "civetweb gave no reason" : start_error));
  }
  mg_set_request_handler(server->context_, "/metrics$",
                         &PrometheusServer::HandleMetrics, server.get());
  mg_server_port ports[1];
  if (mg_get_server_ports(server->context_, 1, ports) != 1) {
    return absl::InternalError("metrics server: civetweb lists no port");
  }
  server->port_ = ports[0].port;
  return server;
}

int PrometheusServer::HandleMetrics(mg_connection* conn, void* self) {
  auto* server = static_cast<PrometheusServer*>(self);
  const mg_request_info* info = mg_get_request_info(conn);
  if (std::strcmp(info->request_method, "GET") != 0 &&
      std::strcmp(info->request_method, "HEAD") != 0) {
    mg_send_http_error(conn, 405, "only GET /metrics\n");
    return 405;
  }
  absl::StatusOr<std::string> text;
  {
    std::lock_guard<std::mutex> lock(server->scrape_);
    absl::StatusOr<std::vector<Metric>> metrics = server->producer_();
    if (!metrics.ok()) {
      mg_send_http_error(conn, 503, "%s\n",
                         std::string(metrics.status().message()).c_str());
      return 503;
    }
    text = FormatPrometheusText(*metrics);
  }
  if (!text.ok()) {
    mg_send_http_error(conn, 500, "%s\n",
                       std::string(text.status().message()).c_str());
    return 500;
  }
  mg_send_http_ok(conn, kPrometheusTextContentType,
                  static_cast<long long>(text->size()));
  if (std::strcmp(info->request_method, "GET") == 0) {
    mg_write(conn, text->data(), text->size());
  }
  return 200;
}

}  // namespace nexthop
