// AnyLpm: any IPv4 LPM structure, chosen by name at run time; AnyLpm6 the
// same for IPv6 (BasicAnyLpm<Ipv4> and <Ipv6>; the names are the
// structures' kName in lpm/structures.h: "poptrie", "patricia6", ...).
//
// For tools that take `--algo`; code that knows its structure at compile
// time should use it directly (templates keep lookups inline). Each call
// costs one virtual dispatch; batch lookups amortise it. AnyLpm itself
// satisfies LpmStructure, so it plugs into Fib and the test suites.
//
// Example:
//   absl::StatusOr<AnyLpm> lpm = AnyLpm::Create("dir24_8");
//   absl::StatusOr<AnyLpm6> lpm6 = AnyLpm6::Create("poptrie6");
#ifndef NEXTHOP_LPM_ANY_LPM_H_
#define NEXTHOP_LPM_ANY_LPM_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lpm/lpm.h"

namespace nexthop {

template <typename F>
class BasicAnyLpm {
 public:
  using Family = F;
  using Prefix = typename F::Prefix;
  using Address = typename F::Address;
  static constexpr absl::string_view kName = "any";

  // `name` is one of AlgorithmNames(); unknown names are InvalidArgument.
  static absl::StatusOr<BasicAnyLpm> Create(absl::string_view name);
  static std::vector<std::string> AlgorithmNames();

  absl::Status Insert(Prefix prefix, NextHopId next_hop) {
    return impl_->Insert(prefix, next_hop);
  }
  absl::Status Erase(Prefix prefix) { return impl_->Erase(prefix); }
  NextHopId Lookup(Address a) const noexcept { return impl_->Lookup(a); }
  std::optional<LpmMatch<F>> LookupMatch(Address a) const noexcept {
    return impl_->LookupMatch(a);
  }
  void LookupBatch(std::span<const Address> in,
                   std::span<NextHopId> out) const noexcept {
    impl_->LookupBatch(in, out);
  }
  size_t size() const noexcept { return impl_->size(); }
  size_t MemoryBytes() const noexcept { return impl_->MemoryBytes(); }
  absl::string_view name() const noexcept { return impl_->name(); }
  // The structure's own (see ConcurrentLpmStructure).
  void SetGracePeriod(GracePeriod* gp,
                      size_t max_pending_bytes = kDefaultMaxPendingBytes) {
    impl_->SetGracePeriod(gp, max_pending_bytes);
  }
  void Reclaim() { impl_->Reclaim(); }
  const ReclaimStats& reclaim_stats() const noexcept {
    return impl_->reclaim_stats();
  }

  class Interface {
   public:
    virtual ~Interface() = default;
    virtual absl::Status Insert(Prefix, NextHopId) = 0;
    virtual absl::Status Erase(Prefix) = 0;
    virtual NextHopId Lookup(Address) const noexcept = 0;
    virtual std::optional<LpmMatch<F>> LookupMatch(Address) const noexcept = 0;
    virtual void LookupBatch(std::span<const Address>,
                             std::span<NextHopId>) const noexcept = 0;
    virtual size_t size() const noexcept = 0;
    virtual size_t MemoryBytes() const noexcept = 0;
    virtual absl::string_view name() const noexcept = 0;
    virtual void SetGracePeriod(GracePeriod*, size_t) = 0;
    virtual void Reclaim() = 0;
    virtual const ReclaimStats& reclaim_stats() const noexcept = 0;
  };

 private:
  explicit BasicAnyLpm(std::unique_ptr<Interface> impl)
      : impl_(std::move(impl)) {}
  std::unique_ptr<Interface> impl_;
};

// Instantiated for both families in any_lpm.cc.
extern template class BasicAnyLpm<Ipv4>;
extern template class BasicAnyLpm<Ipv6>;
using AnyLpm = BasicAnyLpm<Ipv4>;
using AnyLpm6 = BasicAnyLpm<Ipv6>;

static_assert(ConcurrentLpmStructure<AnyLpm>);
static_assert(ConcurrentLpmStructure<AnyLpm6>);

}  // namespace nexthop

#endif  // NEXTHOP_LPM_ANY_LPM_H_
