#include "sim/topology.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "net/message_text.h"
#include "sim/node.h"
#include "sim/switch.h"

namespace nexthop {
namespace {

absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text) {
  const size_t colon = text.find(':');
  if (colon == absl::string_view::npos || colon == 0 ||
      colon + 1 == text.size())
    return absl::InvalidArgumentError(
        absl::StrCat("expected NODE:PORT, got '", text, "'"));
  return Endpoint{std::string(text.substr(0, colon)),
                  std::string(text.substr(colon + 1))};
}

}  // namespace

absl::StatusOr<std::pair<std::string, std::string>> ParseRunCommand(
    absl::string_view text) {
  const size_t colon = text.find(':');
  if (colon == absl::string_view::npos)
    return absl::InvalidArgumentError(
        absl::StrCat("expected 'NODE: COMMAND', got '", text, "'"));
  std::string device(absl::StripAsciiWhitespace(text.substr(0, colon)));
  std::string command(absl::StripAsciiWhitespace(text.substr(colon + 1)));
  if (device.empty() || command.empty())
    return absl::InvalidArgumentError(
        absl::StrCat("expected 'NODE: COMMAND', got '", text, "'"));
  return std::make_pair(device, command);
}

absl::StatusOr<Topology> ParseTopology(absl::string_view text,
                                       absl::string_view file_name,
                                       Network::Options options) {
  // A UTF-8 byte order mark is not part of the first line; a NUL byte
  // never belongs in a topology file (it would cut a name short).
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  if (const size_t nul = text.find('\0'); nul != absl::string_view::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + nul, '\n');
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ":", line, ": binary data (a NUL byte) in a topology file"));
  }
  Topology t;
  t.network = std::make_unique<Network>(options);
  Network& net = *t.network;
  Node* current = nullptr;
  bool in_switch = false;
  int line_no = 0;
  // Where each node's interfaces were first named, for the check below.
  std::map<std::pair<const Node*, int>, int> declared_at;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    auto error = [&](absl::string_view message) {
      return absl::InvalidArgumentError(
          SafeForMessage(absl::StrCat(file_name, ":", line_no, ": ", message)));
    };
    absl::string_view line = raw.substr(0, raw.find('#'));
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const std::vector<std::string> w =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (w[0] == "host" || w[0] == "router") {
      if (w.size() != 2 &&
          !(w[0] == "router" && w.size() == 4 && w[2] == "lpm"))
        return error(absl::StrCat("expected '", w[0], " NAME'",
                                  w[0] == "router" ? " [lpm ALGO]" : ""));
      absl::StatusOr<Node*> n = net.AddNode(w[1], w[0] == "router");
      if (!n.ok()) return error(n.status().message());
      current = *n;
      in_switch = false;
      if (w.size() == 4) {
        if (absl::Status s = current->Configure(absl::StrCat("lpm ", w[3]));
            !s.ok())
          return error(s.message());
      }
      continue;
    }
    if (w[0] == "switch") {
      if (w.size() != 2) return error("expected 'switch NAME'");
      absl::StatusOr<Switch*> s = net.AddSwitch(w[1]);
      if (!s.ok()) return error(s.status().message());
      current = nullptr;
      in_switch = true;
      continue;
    }
    if (w[0] == "link") {
      if (w.size() != 3 && !(w.size() == 5 && w[3] == "delay"))
        return error("expected 'link NODE:PORT NODE:PORT [delay D]'");
      absl::StatusOr<Endpoint> a = ParseEndpoint(w[1]);
      if (!a.ok()) return error(a.status().message());
      absl::StatusOr<Endpoint> b = ParseEndpoint(w[2]);
      if (!b.ok()) return error(b.status().message());
      absl::Duration delay = options.default_delay;
      if (w.size() == 5 &&
          (!absl::ParseDuration(w[4], &delay) || delay < absl::ZeroDuration() ||
           delay > absl::Seconds(10)))
        return error(absl::StrCat("bad delay '", w[4], "' (e.g. 50us, 2ms)"));
      if (absl::Status s = net.Connect(*a, *b, delay); !s.ok())
        return error(s.message());
      continue;
    }
    if (w[0] == "run") {
      absl::StatusOr<std::pair<std::string, std::string>> r =
          ParseRunCommand(absl::StripPrefix(line, "run"));
      if (!r.ok()) return error(r.status().message());
      if (net.FindDevice(r->first) == nullptr)
        return error(absl::StrCat("no node or switch named '", r->first, "'"));
      t.runs.push_back(*std::move(r));
      continue;
    }
    if (in_switch) return error("a switch takes no configuration commands");
    if (current == nullptr)
      return error(absl::StrCat("'", w[0], "' before any host or router"));
    const size_t before = current->interfaces().size();
    if (absl::Status s = current->Configure(line); !s.ok())
      return error(s.message());
    for (size_t p = before; p < current->interfaces().size(); ++p)
      declared_at[{current, static_cast<int>(p)}] = line_no;
  }
  // An interface the file configures but never links could never carry a
  // packet: say so where it was first named.
  for (const auto& [where, line] : declared_at) {
    const auto& [node, port] = where;
    if (net.Connected(node, port)) continue;
    return absl::InvalidArgumentError(SafeForMessage(
        absl::StrCat(file_name, ":", line, ": ", node->name(), "'s interface ",
                     node->PortName(port), " is never linked (add 'link ",
                     node->name(), ":", node->PortName(port), " ...')")));
  }
  return t;
}

absl::StatusOr<Topology> LoadTopology(const std::string& path,
                                      Network::Options options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": is a directory, not a topology file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return ParseTopology(ss.str(), path, options);
}

}  // namespace nexthop
