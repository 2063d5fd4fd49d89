#include "net/message_text.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace nexthop {
namespace {

// A quoted token ('...', how messages quote input) longer than kLongToken
// keeps its first kKeep characters; any other run without a space (a
// file name, say) is cut only past kLongRun.
constexpr size_t kLongToken = 48;
constexpr size_t kLongRun = 256;
constexpr size_t kKeep = 40;

void AppendEscaped(absl::string_view run, std::string* out) {
  for (unsigned char c : run) {
    if (c >= 0x20 && c < 0x7F) {
      out->push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(out, "\\x%02x", c);
    }
  }
}

void AppendCut(absl::string_view run, size_t limit, std::string* out) {
  if (run.size() > limit) {
    AppendEscaped(run.substr(0, kKeep), out);
    *out += "...";
  } else {
    AppendEscaped(run, out);
  }
}

}  // namespace

std::string SafeForMessage(absl::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), size_t{4096}));
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ') {
      out.push_back(' ');
      ++i;
    } else if (c == '\'') {
      // A quoted token: up to the next quote (or the end).
      size_t end = text.find('\'', i + 1);
      const bool closed = end != absl::string_view::npos;
      if (!closed) end = text.size();
      out.push_back('\'');
      AppendCut(text.substr(i + 1, end - i - 1), kLongToken, &out);
      if (closed) out.push_back('\'');
      i = closed ? end + 1 : end;
    } else {
      size_t end = text.find_first_of(" '", i);
      if (end == absl::string_view::npos) end = text.size();
      AppendCut(text.substr(i, end - i), kLongRun, &out);
      i = end;
    }
  }
  return out;
}

}  // namespace nexthop
