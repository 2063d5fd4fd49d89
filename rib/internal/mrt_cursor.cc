// The bounds-checked cursor and BGP's prefix encoding (RFC 4271 section
// 4.3: a length in bits, then the fewest bytes that hold it; RFC 7911's
// path identifier before each prefix in ADD-PATH sessions).
#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "rib/internal/mrt_decode.h"

namespace nexthop::mrt {

std::string ToString(const Address& address) {
  return std::visit([](const auto& a) { return a.ToString(); }, address);
}

std::string ToString(const Prefix& prefix) {
  return std::visit([](const auto& p) { return p.ToString(); }, prefix);
}

namespace internal {

bool Cursor::Has(size_t n) {
  if (n <= remaining()) return true;
  if (!short_) {
    short_ = true;
    short_at_ = offset();
    short_need_ = n;
    short_left_ = remaining();
  }
  pos_ = bytes_.size();
  return false;
}

uint8_t Cursor::U8() {
  if (!Has(1)) return 0;
  return static_cast<uint8_t>(bytes_[pos_++]);
}

uint16_t Cursor::U16() {
  if (!Has(2)) return 0;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes_.data() + pos_);
  pos_ += 2;
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

uint32_t Cursor::U32() {
  if (!Has(4)) return 0;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes_.data() + pos_);
  pos_ += 4;
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 |
         p[3];
}

Ipv6Address Cursor::Ip6() {
  std::array<uint8_t, 16> b{};
  if (Has(16)) {
    std::copy_n(bytes_.data() + pos_, 16, reinterpret_cast<char*>(b.data()));
    pos_ += 16;
  }
  return Ipv6Address(b);
}

Cursor Cursor::Take(size_t n, absl::string_view name) {
  const uint64_t at = offset();
  if (!Has(n)) return Cursor(absl::string_view(), at, name);
  Cursor sub(bytes_.substr(pos_, n), at, name);
  pos_ += n;
  return sub;
}

absl::Status Cursor::status(absl::string_view what) const {
  if (!short_) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("byte ", short_at_, ": ", what, " needs ", short_need_,
                   " bytes, only ", short_left_, " left in the ", name_));
}

absl::Status Cursor::Error(absl::string_view message) const {
  return absl::InvalidArgumentError(
      absl::StrCat("byte ", offset(), ": ", message));
}

absl::StatusOr<Prefix> ReadPrefix(Cursor& c, bool ipv6) {
  const int max = ipv6 ? 128 : 32;
  const uint64_t at = c.offset();
  const int length = c.U8();
  if (!c.ok()) return c.status("a prefix length");
  if (length > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("byte ", at, ": prefix length ", length, " > ", max,
                     ipv6 ? " in an IPv6 prefix" : " in an IPv4 prefix"));
  }
  const size_t n = (length + 7) / 8;
  Cursor bits = c.Take(n, "prefix");
  if (!c.ok()) return c.status(absl::StrCat("a /", length, " prefix"));
  std::array<uint8_t, 16> b{};
  for (size_t i = 0; i < n; ++i) b[i] = bits.U8();
  if (ipv6) return Prefix(Ipv6Prefix::Canonical(Ipv6Address(b), length));
  return Prefix(Ipv4Prefix::Canonical(
      Ipv4Address::FromOctets(b[0], b[1], b[2], b[3]), length));
}

absl::Status ReadNlri(Cursor c, uint16_t afi, uint8_t safi, bool add_path,
                      std::vector<Nlri>& out) {
  while (!c.empty()) {
    Nlri& n = out.emplace_back();
    n.safi = safi;
    if (add_path) {
      n.path_id = c.U32();
      if (!c.ok()) return c.status("a path identifier");
    }
    absl::StatusOr<Prefix> p = ReadPrefix(c, /*ipv6=*/afi == 2);
    if (!p.ok()) return p.status();
    n.prefix = *p;
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace nexthop::mrt
