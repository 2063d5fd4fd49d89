#include "rib/mrt_reader.h"

#include "gtest/gtest.h"

namespace nexthop {
namespace {
TEST(MrtReaderTest, Placeholder) {}
}  // namespace
}  // namespace nexthop
