// Reading a whole file, decompressed: what the route loaders and the MRT
// reader share.
#ifndef NEXTHOP_RIB_INTERNAL_READ_FILE_H_
#define NEXTHOP_RIB_INTERNAL_READ_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace nexthop::internal {

// The bytes of `path`, gunzipped or bunzip2ed when its first bytes say it
// is gzip (1f 8b) or bzip2 ("BZh"); concatenated streams are read through.
// NotFound when it cannot be opened; DataLoss naming the file when a
// compressed stream is cut short or corrupt ("FILE: truncated or corrupt
// gzip"), so that a damaged file never reads as a shorter one.
absl::StatusOr<std::string> ReadFileDecompressed(const std::string& path);

}  // namespace nexthop::internal

#endif  // NEXTHOP_RIB_INTERNAL_READ_FILE_H_
