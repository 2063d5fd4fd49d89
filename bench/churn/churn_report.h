// churn-bench's output: its two tables (updates; readers) as medians over
// the repetitions, and the same as JSON.
#ifndef NEXTHOP_BENCH_CHURN_CHURN_REPORT_H_
#define NEXTHOP_BENCH_CHURN_CHURN_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bench/churn/engine_run.h"

namespace nexthop::bench {

double Median(std::vector<double> v);

// `v` as printf's `spec` prints it.
std::string Fmt(double v, const char* spec = "%.2f");

// Both tables on stdout.
void PrintRows(const std::vector<ChurnRow>& rows);

absl::Status WriteJson(const std::vector<ChurnRow>& rows,
                       const std::string& path);

}  // namespace nexthop::bench

#endif  // NEXTHOP_BENCH_CHURN_CHURN_REPORT_H_
