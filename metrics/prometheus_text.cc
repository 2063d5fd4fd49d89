#include "metrics/prometheus_text.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace nexthop {
namespace {

bool ValidName(const std::string& s, bool colon) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok =
        absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' ||
        (colon && c == ':') ||
        (i > 0 && absl::ascii_isdigit(static_cast<unsigned char>(c)));
    if (!ok) return false;
  }
  return true;
}

std::string Escape(const std::string& s, bool quote) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

const char* TypeName(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kUntyped:
      return "untyped";
  }
  return "untyped";
}

// Integers exactly (counters of 2^53 and below), else the shortest form
// that reads back the same; the format's own spellings of the specials.
std::string Value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

}  // namespace

absl::StatusOr<std::string> FormatPrometheusText(
    std::span<const Metric> metrics) {
  // Groups by name, in first-appearance order.
  std::vector<std::vector<const Metric*>> groups;
  absl::flat_hash_map<std::string, size_t> group_of;
  for (const Metric& m : metrics) {
    if (!ValidName(m.name, /*colon=*/true)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metric name \"", m.name, "\" is not [a-zA-Z_:][a-zA-Z0-9_:]*"));
    }
    for (const auto& [label, value] : m.labels) {
      if (!ValidName(label, /*colon=*/false) || label.starts_with("__")) {
        return absl::InvalidArgumentError(absl::StrCat(
            "metric ", m.name, ": label name \"", label,
            "\" is not [a-zA-Z_][a-zA-Z0-9_]* (without a leading __)"));
      }
    }
    auto [it, fresh] = group_of.try_emplace(m.name, groups.size());
    if (fresh) {
      groups.emplace_back();
    } else {
      const Metric& first = *groups[it->second].front();
      if (first.help != m.help || first.type != m.type) {
        return absl::InvalidArgumentError(absl::StrCat(
            "metric ", m.name, ": samples disagree on help or type"));
      }
    }
    groups[it->second].push_back(&m);
  }
  std::string out;
  for (const std::vector<const Metric*>& g : groups) {
    const Metric& head = *g.front();
    // No help, no HELP line (it would end in a bare space).
    if (!head.help.empty()) {
      absl::StrAppend(&out, "# HELP ", head.name, " ", Escape(head.help, false),
                      "\n");
    }
    absl::StrAppend(&out, "# TYPE ", head.name, " ", TypeName(head.type), "\n");
    for (const Metric* m : g) {
      out += m->name;
      if (!m->labels.empty()) {
        out += '{';
        for (size_t i = 0; i < m->labels.size(); ++i) {
          absl::StrAppend(&out, i ? "," : "", m->labels[i].first, "=\"",
                          Escape(m->labels[i].second, true), "\"");
        }
        out += '}';
      }
      absl::StrAppend(&out, " ", Value(m->value), "\n");
    }
  }
  return out;
}

}  // namespace nexthop
