#include "lpm/any_lpm.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lpm/dir24_8.h"
#include "lpm/linear_table.h"
#include "lpm/patricia_trie.h"
#include "lpm/poptrie.h"

namespace nexthop {
namespace {

template <LpmStructure T>
class Model final : public AnyLpm::Interface {
 public:
  absl::Status Insert(Prefix p, NextHopId nh) override {
    return t_.Insert(p, nh);
  }
  absl::Status Erase(Prefix p) override { return t_.Erase(p); }
  NextHopId Lookup(Ipv4Address a) const noexcept override {
    return t_.Lookup(a);
  }
  std::optional<LpmMatch> LookupMatch(Ipv4Address a) const noexcept override {
    return t_.LookupMatch(a);
  }
  void LookupBatch(std::span<const Ipv4Address> in,
                   std::span<NextHopId> out) const noexcept override {
    t_.LookupBatch(in, out);
  }
  size_t size() const noexcept override { return t_.size(); }
  size_t MemoryBytes() const noexcept override { return t_.MemoryBytes(); }
  absl::string_view name() const noexcept override { return T::kName; }

 private:
  T t_;
};

}  // namespace

std::vector<std::string> AnyLpm::AlgorithmNames() {
  return {std::string(LinearTable::kName), std::string(PatriciaTrie::kName),
          std::string(Dir24_8::kName), std::string(Poptrie::kName)};
}

absl::StatusOr<AnyLpm> AnyLpm::Create(absl::string_view name) {
  if (name == LinearTable::kName)
    return AnyLpm(std::make_unique<Model<LinearTable>>());
  if (name == PatriciaTrie::kName)
    return AnyLpm(std::make_unique<Model<PatriciaTrie>>());
  if (name == Dir24_8::kName) return AnyLpm(std::make_unique<Model<Dir24_8>>());
  if (name == Poptrie::kName) return AnyLpm(std::make_unique<Model<Poptrie>>());
  return absl::InvalidArgumentError(
      absl::StrCat("unknown algorithm '", name, "' (choose one of ",
                   absl::StrJoin(AlgorithmNames(), ", "), ")"));
}

}  // namespace nexthop
