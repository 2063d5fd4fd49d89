#include "sim/shell.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "rib/route_table.h"
#include "sim/config_command.h"
#include "sim/ping.h"
#include "sim/show_commands.h"
#include "sim/traceroute.h"

namespace nexthop {
namespace {

using Words = std::vector<std::string>;

// A program's options (each "-x VALUE") and its one operand.
struct Flags {
  std::map<std::string, std::string> values;
  std::string target;
};

absl::StatusOr<Flags> ParseFlags(
    const Words& w, const std::vector<std::string>& with_value,
    const std::vector<std::string>& switches = {}) {
  Flags f;
  for (size_t i = 1; i < w.size(); ++i) {
    if (std::find(switches.begin(), switches.end(), w[i]) != switches.end()) {
      f.values[w[i]] = "";
    } else if (w[i].size() > 1 && w[i][0] == '-') {
      if (std::find(with_value.begin(), with_value.end(), w[i]) ==
              with_value.end() ||
          i + 1 >= w.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(w[0], ": unsupported option '", w[i], "'"));
      }
      f.values[w[i]] = w[i + 1];
      ++i;
    } else if (f.target.empty()) {
      f.target = w[i];
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(w[0], ": unexpected '", w[i], "'"));
    }
  }
  if (f.target.empty())
    return absl::InvalidArgumentError(
        absl::StrCat(w[0], ": missing destination"));
  return f;
}

absl::Status IntFlag(const Flags& f, const std::string& name, int lo, int hi,
                     int* out) {
  auto it = f.values.find(name);
  if (it == f.values.end()) return absl::OkStatus();
  if (!absl::SimpleAtoi(it->second, out) || *out < lo || *out > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("option ", name, " needs a number from ", lo, " to ", hi));
  }
  return absl::OkStatus();
}

absl::StatusOr<Ipv4Address> Destination(const Words& w, const Flags& f) {
  absl::StatusOr<Ipv4Address> dst = Ipv4Address::Parse(f.target);
  if (!dst.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(w[0], ": ", f.target, ": Name or service not known"));
  }
  return *dst;
}

}  // namespace

Shell::Shell(ControlPlane* cp, AppRuntime* rt, uint16_t ping_id)
    : cp_(cp), rt_(rt), ping_id_(ping_id) {}

Shell::~Shell() = default;

// The program is still on the stack when it calls this: it is let go after
// the current event.
std::function<void()> Shell::Finisher(const IcmpListener* program,
                                      std::function<void()> done) {
  return [this, program, done = std::move(done)] {
    rt_->Schedule(absl::ZeroDuration(), [this, program] {
      std::erase_if(programs_,
                    [program](const auto& p) { return p.get() == program; });
    });
    done();
  };
}

absl::Status Shell::StartPing(const Words& w, std::function<void()> done) {
  absl::StatusOr<Flags> f =
      ParseFlags(w, {"-c", "-t", "-s", "-e", "-i", "-M"}, {"-b"});
  if (!f.ok()) return f.status();
  int count = 4, ttl = 64, size = 56, ident = ping_id_, interval_ms = 1000;
  absl::StatusOr<Ipv4Address> dst = Destination(w, *f);
  if (!dst.ok()) return dst.status();
  // To a group the kernel's default TTL is 1 (IP_MULTICAST_TTL).
  if (dst->IsMulticast()) ttl = 1;
  bool dont_fragment = true;
  if (auto it = f->values.find("-M"); it != f->values.end()) {
    // "want" would fragment locally when too big; no fragmentation here,
    // so it is refused rather than pretended.
    if (it->second != "do" && it->second != "dont")
      return absl::InvalidArgumentError(
          absl::StrCat("ping: invalid -M argument '", it->second,
                       "': this ping takes 'do' or 'dont'"));
    dont_fragment = it->second == "do";
  }
  for (absl::Status s :
       {IntFlag(*f, "-c", 1, 1000000, &count), IntFlag(*f, "-t", 1, 255, &ttl),
        IntFlag(*f, "-s", 0, 65507, &size),
        IntFlag(*f, "-e", 0, 65535, &ident)}) {
    if (!s.ok()) return s;
  }
  if (auto it = f->values.find("-i"); it != f->values.end()) {
    double seconds = 0;
    if (!absl::SimpleAtod(it->second, &seconds) || seconds < 0.001 ||
        seconds > 3600)
      return absl::InvalidArgumentError("ping: bad interval");
    interval_ms = static_cast<int>(seconds * 1000);
  }
  auto ping = std::make_shared<Ping>(
      cp_, rt_,
      Ping::Options{*dst, count, ttl, size, static_cast<uint16_t>(ident),
                    absl::Milliseconds(interval_ms), f->values.count("-b") > 0,
                    dont_fragment});
  programs_.push_back(ping);
  ping->Start(Finisher(ping.get(), std::move(done)));
  return absl::OkStatus();
}

absl::Status Shell::StartTraceroute(const Words& w,
                                    std::function<void()> done) {
  absl::StatusOr<Flags> f = ParseFlags(w, {"-m"});
  if (!f.ok()) return f.status();
  int max_hops = 30;
  if (absl::Status s = IntFlag(*f, "-m", 1, 255, &max_hops); !s.ok()) return s;
  absl::StatusOr<Ipv4Address> dst = Destination(w, *f);
  if (!dst.ok()) return dst.status();
  auto t = std::make_shared<Traceroute>(cp_, rt_, *dst, max_hops, ping_id_);
  programs_.push_back(t);
  t->Start(Finisher(t.get(), std::move(done)));
  return absl::OkStatus();
}

absl::Status Shell::Execute(absl::string_view command,
                            std::function<void()> done) {
  const Words w =
      absl::StrSplit(command, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (w.empty()) {
    done();
    return absl::OkStatus();
  }
  auto print_block = [&](const std::string& text) {
    for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty()))
      rt_->Print(std::string(line));
  };
  if (w[0] == "ping") return StartPing(w, std::move(done));
  if (w[0] == "traceroute") return StartTraceroute(w, std::move(done));
  if (command == "arp -a" || command == "arp -an" || command == "arp -n" ||
      command == "arp") {
    print_block(FormatArpA(*cp_));
  } else if (command == "route -n" || command == "route") {
    print_block(FormatRouteN(cp_->fib().routes()));
  } else if (command == "ip route" || command == "ip r" ||
             command == "ip route show") {
    print_block(FormatIpRoute(cp_->fib().routes()));
  } else if (command == "ip neigh" || command == "ip n" ||
             command == "ip neigh show") {
    print_block(FormatIpNeigh(*cp_));
  } else if (command == "drops") {
    print_block(FormatDrops(*cp_));
  } else if (w[0] == "sleep" && w.size() == 2) {
    double seconds = 0;
    if (!absl::SimpleAtod(w[1], &seconds) || seconds < 0 || seconds > 86400)
      return absl::InvalidArgumentError("sleep: bad time");
    rt_->Schedule(absl::Milliseconds(static_cast<int64_t>(seconds * 1000)),
                  std::move(done));
    return absl::OkStatus();
  } else {
    if (absl::Status s = ApplyConfigCommand(command, *cp_); !s.ok()) return s;
  }
  done();
  return absl::OkStatus();
}

}  // namespace nexthop
