#include <bit>

#include "bench/harness/engine.h"
#include "lpm/internal/huge_array.h"

namespace nexthop::bench {
namespace {

class RandomReadEngine final : public Engine {
 public:
  RandomReadEngine(std::string name, size_t bytes)
      : name_(std::move(name)),
        entries_(std::bit_floor(bytes / sizeof(uint32_t))),
        shift_(32 - std::countr_zero(entries_)),
        table_(internal::MakeHugeArray<uint32_t>(entries_)) {
    for (size_t i = 0; i < entries_; ++i)
      table_[i] = static_cast<uint32_t>(i * 2654435761u);
  }
  std::string name() const override { return name_; }
  absl::Status Reset() override { return absl::OkStatus(); }
  absl::Status Build(std::span<const Ipv4Prefix>,
                     std::span<const NextHopId>) override {
    return absl::OkStatus();
  }
  absl::Status Insert(Ipv4Prefix, NextHopId) override {
    return absl::OkStatus();
  }
  absl::Status Erase(Ipv4Prefix) override { return absl::OkStatus(); }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const override {
    for (size_t i = 0; i < std::min(in.size(), out.size()); ++i)
      out[i] = Read(in[i]);
  }
  uint64_t RunSingle(std::span<const Ipv4Address> addrs,
                     size_t rounds) const override {
    return RunBatch(addrs, 64, rounds);
  }
  uint64_t RunBatch(std::span<const Ipv4Address> addrs, size_t batch,
                    size_t rounds) const override {
    uint64_t sum = 0;
    std::vector<uint32_t> out(batch);
    for (size_t r = 0; r < rounds; ++r) {
      for (size_t i = 0; i + batch <= addrs.size(); i += batch) {
        for (size_t j = 0; j < batch; ++j) out[j] = Read(addrs[i + j]);
        sum += out[0] + out[batch - 1];
      }
    }
    return sum;
  }
  size_t MemoryBytes() const override { return entries_ * sizeof(uint32_t); }

 private:
  uint32_t Read(Ipv4Address a) const { return table_[a.value() >> shift_]; }
  std::string name_;
  size_t entries_;
  int shift_;
  internal::HugeArray<uint32_t> table_;
};

}  // namespace

std::unique_ptr<Engine> MakeRandomReadEngine(std::string name, size_t bytes) {
  return std::make_unique<RandomReadEngine>(std::move(name), bytes);
}

}  // namespace nexthop::bench
