#include "lpm/any_lpm.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lpm/structures.h"

namespace nexthop {
namespace {

template <ConcurrentLpmStructure T>
class Model final : public BasicAnyLpm<typename T::Family>::Interface {
  using Prefix = typename T::Family::Prefix;
  using Address = typename T::Family::Address;

 public:
  absl::Status Insert(Prefix p, NextHopId nh) override {
    return t_.Insert(p, nh);
  }
  absl::Status Erase(Prefix p) override { return t_.Erase(p); }
  NextHopId Lookup(Address a) const noexcept override { return t_.Lookup(a); }
  std::optional<LpmMatch<typename T::Family>> LookupMatch(
      Address a) const noexcept override {
    return t_.LookupMatch(a);
  }
  void LookupBatch(std::span<const Address> in,
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

template <typename F>
std::vector<std::string> BasicAnyLpm<F>::AlgorithmNames() {
  return StructureNames<StructuresFor<F>>();
}

template <typename F>
absl::StatusOr<BasicAnyLpm<F>> BasicAnyLpm<F>::Create(absl::string_view name) {
  std::unique_ptr<Interface> impl;
  ForEachStructure<StructuresFor<F>>([&]<typename T>() {
    if (name == T::kName) impl = std::make_unique<Model<T>>();
  });
  if (impl != nullptr) return BasicAnyLpm(std::move(impl));
  return absl::InvalidArgumentError(
      absl::StrCat("unknown algorithm '", name, "' (choose one of ",
                   absl::StrJoin(AlgorithmNames(), ", "), ")"));
}

template class BasicAnyLpm<Ipv4>;
template class BasicAnyLpm<Ipv6>;

}  // namespace nexthop
