// Uses nexthop::lpm alone: a structure, its single and batch lookups.
// Exits non-zero on a wrong answer; with the argument "broken" it expects
// a wrong one on purpose (for embed_consumer_can_fail).
#include <cstdio>
#include <cstring>
#include <vector>

#include "lpm/poptrie.h"

int main(int argc, char** argv) {
  using namespace nexthop;
  const bool broken = argc > 1 && std::strcmp(argv[1], "broken") == 0;
  Poptrie t;
  if (!t.Insert(*Ipv4Prefix::Parse("10.0.0.0/8"), 1).ok()) return 1;
  if (!t.Insert(*Ipv4Prefix::Parse("10.1.0.0/16"), 2).ok()) return 1;
  const std::vector<Ipv4Address> in = {Ipv4Address::FromOctets(10, 1, 2, 3),
                                       Ipv4Address::FromOctets(10, 2, 0, 0),
                                       Ipv4Address::FromOctets(11, 0, 0, 0)};
  std::vector<NextHopId> out(in.size());
  t.LookupBatch(in, out);
  std::printf("%u %u %s\n", out[0], out[1],
              out[2] == kNoRoute ? "miss" : "hit");
  const NextHopId want = broken ? 3 : 2;
  if (out[0] == want && out[1] == 1 && out[2] == kNoRoute &&
      t.Lookup(in[0]) == want) {
    return 0;
  }
  std::fprintf(stderr, "lpm_consumer: wrong answer\n");
  return 1;
}
