#include "lpm/any_lpm.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lpm/structures.h"

namespace nexthop {
namespace {

template <ConcurrentLpmStructure T>
class Model final : public AnyLpm::Interface {
 public:
  absl::Status Insert(Ipv4Prefix p, NextHopId nh) override {
    return t_.Insert(p, nh);
  }
  absl::Status Erase(Ipv4Prefix p) override { return t_.Erase(p); }
  NextHopId Lookup(Ipv4Address a) const noexcept override {
    return t_.Lookup(a);
  }
  std::optional<LpmMatch<Ipv4>> LookupMatch(
      Ipv4Address a) const noexcept override {
    return t_.LookupMatch(a);
  }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const noexcept override {
    t_.LookupBatch(in, out);
  }
  size_t size() const noexcept override { return t_.size(); }
  size_t MemoryBytes() const noexcept override { return t_.MemoryBytes(); }
  absl::string_view name() const noexcept override { return T::kName; }
  void SetGracePeriod(GracePeriod* gp, size_t bytes) override {
    t_.SetGracePeriod(gp, bytes);
  }
  void Reclaim() override { t_.Reclaim(); }
  const ReclaimStats& reclaim_stats() const noexcept override {
    return t_.reclaim_stats();
  }

 private:
  T t_;
};

}  // namespace

std::vector<std::string> AnyLpm::AlgorithmNames() {
  return StructureNames<Ipv4Structures>();
}

absl::StatusOr<AnyLpm> AnyLpm::Create(absl::string_view name) {
  std::unique_ptr<Interface> impl;
  ForEachStructure<Ipv4Structures>([&]<typename T>() {
    if (name == T::kName) impl = std::make_unique<Model<T>>();
  });
  if (impl != nullptr) return AnyLpm(std::move(impl));
  return absl::InvalidArgumentError(
      absl::StrCat("unknown algorithm '", name, "' (choose one of ",
                   absl::StrJoin(AlgorithmNames(), ", "), ")"));
}

}  // namespace nexthop
