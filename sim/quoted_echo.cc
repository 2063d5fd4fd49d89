#include "sim/quoted_echo.h"

#include "net/wire.h"

namespace nexthop {

bool QuotedEcho(const IcmpMessage& m, uint16_t* id, uint16_t* seq) {
  if (m.body.size() < 20) return false;
  const size_t ihl = static_cast<size_t>(m.body[0] & 0x0F) * 4;
  if (ihl < 20 || m.body.size() < ihl + 8 || m.body[9] != kProtoIcmp ||
      m.body[ihl] != static_cast<uint8_t>(IcmpType::kEchoRequest)) {
    return false;
  }
  *id = wire::Load16(m.body, ihl + 4);
  *seq = wire::Load16(m.body, ihl + 6);
  return true;
}

}  // namespace nexthop
