// Building MRT records byte by byte (RFC 6396, RFC 4271 encodings) for
// the MRT tests: each helper returns the bytes of one field or structure.
#ifndef NEXTHOP_TESTS_MRT_BUILDER_H_
#define NEXTHOP_TESTS_MRT_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "net/ipv6.h"
#include "rib/mrt_reader.h"

namespace nexthop::testing {

inline std::string U8(uint8_t v) {
  return std::string(1, static_cast<char>(v));
}
inline std::string U16(uint16_t v) { return U8(v >> 8) + U8(v & 0xFF); }
inline std::string U32(uint32_t v) { return U16(v >> 16) + U16(v & 0xFFFF); }
inline std::string Ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return U8(a) + U8(b) + U8(c) + U8(d);
}
inline std::string Ip6(const std::string& text) {
  const Ipv6Address a = *Ipv6Address::Parse(text);  // not a reference into
  const auto& b = a.bytes();                        // the temporary
  return std::string(b.begin(), b.end());
}

inline std::string Mrt(uint16_t type, uint16_t subtype, const std::string& body,
                       uint32_t time = 1470931200) {
  return U32(time) + U16(type) + U16(subtype) +
         U32(static_cast<uint32_t>(body.size())) + body;
}

inline std::string Attr(uint8_t type, const std::string& value,
                        uint8_t flags = 0x40) {
  if (value.size() > 255) {
    return U8(flags | 0x10) + U8(type) +
           U16(static_cast<uint16_t>(value.size())) + value;
  }
  return U8(flags) + U8(type) + U8(static_cast<uint8_t>(value.size())) + value;
}

inline std::string Segment(uint8_t type, const std::vector<uint32_t>& asns,
                           bool as4) {
  std::string s = U8(type) + U8(static_cast<uint8_t>(asns.size()));
  for (uint32_t a : asns) s += as4 ? U32(a) : U16(static_cast<uint16_t>(a));
  return s;
}

// "10.1.0.0/16" -> length byte and the bytes that hold it.
inline std::string Nlri(uint8_t length, const std::string& address_bytes) {
  return U8(length) + address_bytes.substr(0, (length + 7) / 8);
}

inline std::string BgpMessage(uint8_t type, const std::string& body) {
  return std::string(16, '\xFF') +
         U16(static_cast<uint16_t>(19 + body.size())) + U8(type) + body;
}

inline std::string Update(const std::string& withdrawn,
                          const std::string& attrs, const std::string& nlri) {
  return BgpMessage(
      2, U16(static_cast<uint16_t>(withdrawn.size())) + withdrawn +
             U16(static_cast<uint16_t>(attrs.size())) + attrs + nlri);
}

// A BGP4MP MESSAGE (2-byte ASNs) or MESSAGE_AS4 body from `peer` (4 bytes:
// IPv4, 16: IPv6).
inline std::string Bgp4mpBody(bool as4, uint32_t peer_as,
                              const std::string& message,
                              const std::string& peer = Ip4(192, 0, 2, 1)) {
  const std::string asns =
      as4 ? U32(peer_as) + U32(65000)
          : U16(static_cast<uint16_t>(peer_as)) + U16(65000);
  const bool v6 = peer.size() == 16;
  return asns + U16(0) + U16(v6 ? 2 : 1) + peer +
         (v6 ? Ip6("2001:db8::ffff") : Ip4(192, 0, 2, 254)) + message;
}

inline std::string StateChange(uint32_t peer_as, const std::string& peer,
                               uint16_t from, uint16_t to) {
  return Mrt(mrt::kBgp4mp, 5,
             U32(peer_as) + U32(65000) + U16(0) + U16(1) + peer +
                 Ip4(192, 0, 2, 254) + U16(from) + U16(to));
}

inline std::string BasicAttrs(const std::string& next_hop, bool as4 = true) {
  return Attr(1, U8(0)) + Attr(2, Segment(2, {64500, 3356}, as4)) +
         Attr(3, next_hop);
}

}  // namespace nexthop::testing

#endif  // NEXTHOP_TESTS_MRT_BUILDER_H_
