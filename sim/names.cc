#include "sim/names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "net/message_text.h"

namespace nexthop {
namespace {

constexpr size_t kMaxNodeName = 64;
constexpr size_t kMaxInterfaceName = 15;  // IFNAMSIZ - 1

absl::Status Bad(absl::string_view what, absl::string_view name,
                 absl::string_view why) {
  return absl::InvalidArgumentError(
      SafeForMessage(absl::StrCat("bad ", what, " '", name, "': ", why)));
}

}  // namespace

absl::Status ValidateNodeName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxNodeName)
    return Bad("name", name, "a name is 1-64 characters");
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.')
      return Bad("name", name,
                 "a node or switch name takes letters, digits, '-', '_' and "
                 "'.' (a ':' separates NODE:PORT)");
  }
  return absl::OkStatus();
}

absl::Status ValidateInterfaceName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxInterfaceName)
    return Bad("interface name", name, "an interface name is 1-15 bytes");
  if (name == "." || name == "..")
    return Bad("interface name", name, "'.' and '..' are not names");
  for (char c : name) {
    if (c == '/' || c == ':' ||
        absl::ascii_isspace(static_cast<unsigned char>(c)) ||
        static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Bad("interface name", name,
                 "no '/', ':', spaces or control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateInterfaceLabel(absl::string_view label,
                                    absl::string_view dev) {
  if (absl::Status s = ValidateInterfaceName(dev); !s.ok()) return s;
  if (label == dev) return absl::OkStatus();
  if (!absl::StartsWith(label, absl::StrCat(dev, ":")) ||
      label.size() == dev.size() + 1)
    return Bad("label", label,
               absl::StrCat("a label is ", dev, " or ", dev, ":SUFFIX"));
  if (label.size() > kMaxInterfaceName)
    return Bad("label", label, "a label is at most 15 bytes");
  for (char c : label.substr(dev.size() + 1)) {
    if (c == '/' || c == ':' || static_cast<unsigned char>(c) <= 0x20 ||
        c == 0x7f)
      return Bad("label", label, "no '/', ':', spaces or control characters");
  }
  return absl::OkStatus();
}

}  // namespace nexthop
