#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "rib/internal/parsers.h"

namespace nexthop::internal {

absl::StatusOr<std::string> ReadFileMaybeGzip(const std::string& path) {
  // gzopen reads plain files as they are, so one path serves both.
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  gzbuffer(f, 1 << 17);
  std::string out;
  char buf[1 << 16];
  while (true) {
    const int n = gzread(f, buf, sizeof(buf));
    if (n < 0) {
      int code = 0;
      const std::string why = gzerror(f, &code);
      gzclose(f);
      return absl::DataLossError(absl::StrCat(path, ": cannot read: ", why));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  // gzread returns 0 both at a clean end and where a cut or corrupt stream
  // stops; only gzclose tells them apart (Z_BUF_ERROR: the stream ended
  // before its trailer). A cut file must not load as half a table.
  const bool compressed = gzdirect(f) == 0;
  if (const int closed = gzclose(f); closed != Z_OK) {
    return absl::DataLossError(absl::StrCat(
        path, compressed ? ": truncated or corrupt gzip" : ": read error",
        " (zlib error ", closed, "); nothing loaded"));
  }
  if (const size_t nul = out.find('\0'); nul != std::string::npos) {
    const auto line = 1 + std::count(out.begin(), out.begin() + nul, '\n');
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":", line, ": binary data (a NUL byte) in a route file"));
  }
  return out;
}

}  // namespace nexthop::internal
