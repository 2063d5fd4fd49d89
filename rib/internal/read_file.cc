#include "rib/internal/read_file.h"

#include <bzlib.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace nexthop::internal {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

absl::Status CannotOpen(const std::string& path) {
  return absl::NotFoundError(
      absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
}

absl::Status Corrupt(const std::string& path, absl::string_view format,
                     absl::string_view library, int code) {
  return absl::DataLossError(absl::StrCat(path, ": truncated or corrupt ",
                                          format, " (", library, " error ",
                                          code, "); nothing loaded"));
}

// gzopen reads plain files as they are, so one path serves both.
absl::StatusOr<std::string> ReadGzipOrPlain(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return CannotOpen(path);
  gzbuffer(f, 1 << 17);
  std::string out;
  char buf[1 << 16];
  while (true) {
    const int n = gzread(f, buf, sizeof(buf));
    if (n < 0) {
      int code = 0;
      // zlib's message names the file itself ("PATH: incorrect data check").
      absl::string_view why = gzerror(f, &code);
      absl::ConsumePrefix(&why, path + ": ");
      const std::string message =
          gzdirect(f) == 0
              ? absl::StrCat(path, ": truncated or corrupt gzip (zlib: ", why,
                             "); nothing loaded")
              : absl::StrCat(path, ": cannot read: ", why);
      gzclose(f);
      return absl::DataLossError(message);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  // gzread returns 0 both at a clean end and where a cut or corrupt stream
  // stops; only gzclose tells them apart (Z_BUF_ERROR: the stream ended
  // before its trailer). A cut file must not load as half a table.
  const bool compressed = gzdirect(f) == 0;
  if (const int closed = gzclose(f); closed != Z_OK) {
    if (!compressed) {
      return absl::DataLossError(absl::StrCat(path, ": read error"));
    }
    return Corrupt(path, "gzip", "zlib", closed);
  }
  return out;
}

// bzip2 files may hold several streams back to back (pbzip2 writes them;
// bunzip2 reads them all): each stream's leftover input starts the next.
absl::StatusOr<std::string> ReadBzip2(const std::string& path, File file) {
  std::string out;
  std::string unused;
  char buf[1 << 16];
  while (true) {
    int error = BZ_OK;
    BZFILE* bz = BZ2_bzReadOpen(&error, file.get(), 0, 0,
                                unused.empty() ? nullptr : unused.data(),
                                static_cast<int>(unused.size()));
    if (error != BZ_OK) {
      BZ2_bzReadClose(&error, bz);
      return Corrupt(path, "bzip2", "libbz2", error);
    }
    while (error == BZ_OK) {
      const int n = BZ2_bzRead(&error, bz, buf, sizeof(buf));
      if (error == BZ_OK || error == BZ_STREAM_END) {
        out.append(buf, static_cast<size_t>(n));
      }
    }
    if (error != BZ_STREAM_END) {
      // BZ_UNEXPECTED_EOF: cut short; BZ_DATA_ERROR and others: corrupt.
      const int code = error;
      BZ2_bzReadClose(&error, bz);
      return Corrupt(path, "bzip2", "libbz2", code);
    }
    void* rest = nullptr;
    int rest_size = 0;
    BZ2_bzReadGetUnused(&error, bz, &rest, &rest_size);
    unused.assign(static_cast<const char*>(rest),
                  static_cast<size_t>(rest_size));
    BZ2_bzReadClose(&error, bz);
    if (unused.empty()) {
      const int c = std::fgetc(file.get());
      if (c == EOF) break;
      unused.push_back(static_cast<char>(c));
    }
  }
  if (std::ferror(file.get())) {
    return absl::DataLossError(absl::StrCat(path, ": read error"));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> ReadFileDecompressed(const std::string& path) {
  File file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) return CannotOpen(path);
  char magic[3] = {};
  const size_t n = std::fread(magic, 1, sizeof(magic), file.get());
  if (n == 3 && std::memcmp(magic, "BZh", 3) == 0) {
    std::rewind(file.get());
    return ReadBzip2(path, std::move(file));
  }
  file.reset();
  return ReadGzipOrPlain(path);
}

}  // namespace nexthop::internal
