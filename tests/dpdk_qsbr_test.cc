// DpdkQsbr (rcu_dpdk/dpdk_qsbr.h): DPDK's rte_rcu_qsbr as the grace period
// of the concurrent structures.
//
// - The checked churn of tests/checked_churn.h (full real table, one
//   writer, reader threads checking every answer) with readers registered
//   on an rte_rcu_qsbr variable and reporting rte_rcu_qsbr_quiescent after
//   each burst, for Poptrie, Dir24_8 and (IPv6) Poptrie6 and Dxr6.
// - Synchronize() waits: an online reader that has not reported holds it
//   until it does; offline and unregistered readers do not.
//
// rte_rcu_qsbr needs no EAL (rte_eal_init): its variable is plain memory
// the caller allocates, and only init/register/unregister are out of line,
// none touching EAL state. So no test here starts EAL: they would fail if
// it were needed.
#include "rcu_dpdk/dpdk_qsbr.h"

#include <rte_rcu_qsbr.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "lpm/dir24_8.h"
#include "lpm/dxr6.h"
#include "lpm/poptrie.h"
#include "lpm/poptrie6.h"
#include "tests/checked_churn.h"
#include "tests/test_data.h"

namespace nexthop {
namespace {

using Clock = std::chrono::steady_clock;

double EnvOr(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v ? std::atof(v) : fallback;
}

// An rte_rcu_qsbr variable for `max_threads` readers, as an embedder makes
// one without EAL: 64-byte-aligned memory, rte_rcu_qsbr_init.
class QsVariable {
 public:
  explicit QsVariable(unsigned max_threads) {
    const size_t bytes = (rte_rcu_qsbr_get_memsize(max_threads) + 63) / 64 * 64;
    qs_ = static_cast<rte_rcu_qsbr*>(std::aligned_alloc(64, bytes));
    init_ = rte_rcu_qsbr_init(qs_, max_threads);
  }
  ~QsVariable() { std::free(qs_); }
  QsVariable(const QsVariable&) = delete;
  QsVariable& operator=(const QsVariable&) = delete;

  rte_rcu_qsbr* get() const { return qs_; }
  bool ok() const { return init_ == 0; }

 private:
  rte_rcu_qsbr* qs_;
  int init_;
};

// A reader thread's registration, as a forwarding core does it: registered
// and online while this lives, offline before it unregisters.
class DpdkReader {
 public:
  DpdkReader(rte_rcu_qsbr* qs, unsigned id) : qs_(qs), id_(id) {
    registered_ = rte_rcu_qsbr_thread_register(qs_, id_) == 0;
    rte_rcu_qsbr_thread_online(qs_, id_);
  }
  ~DpdkReader() {
    rte_rcu_qsbr_thread_offline(qs_, id_);
    rte_rcu_qsbr_thread_unregister(qs_, id_);
  }
  DpdkReader(const DpdkReader&) = delete;
  DpdkReader& operator=(const DpdkReader&) = delete;

  void Quiescent() { rte_rcu_qsbr_quiescent(qs_, id_); }
  void Offline() { rte_rcu_qsbr_thread_offline(qs_, id_); }
  bool registered() const { return registered_; }

 private:
  rte_rcu_qsbr* qs_;
  unsigned id_;
  bool registered_ = false;
};

// Waits up to `limit` for `flag`, yielding: a bound on a wait, never the
// proof of anything.
bool WaitFor(const std::atomic<bool>& flag,
             std::chrono::duration<double> limit) {
  const auto deadline = Clock::now() + limit;
  while (!flag.load(std::memory_order_acquire)) {
    if (Clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(DpdkQsbrTest, AttachRefusesNullAndUninitialisedVariables) {
  absl::StatusOr<DpdkQsbr> null = DpdkQsbr::Attach(nullptr);
  EXPECT_EQ(null.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(null.status().message().find("null"), std::string::npos);
  // Zeroed memory that rte_rcu_qsbr_init never saw: its checks would pass
  // at once, so a grace period would wait for nobody.
  const size_t bytes = (rte_rcu_qsbr_get_memsize(4) + 63) / 64 * 64;
  void* raw = std::aligned_alloc(64, bytes);
  std::fill_n(static_cast<char*>(raw), bytes, 0);
  absl::StatusOr<DpdkQsbr> zeroed =
      DpdkQsbr::Attach(static_cast<rte_rcu_qsbr*>(raw));
  EXPECT_EQ(zeroed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(zeroed.status().message().find("rte_rcu_qsbr_init"),
            std::string::npos);
  std::free(raw);
  QsVariable qs(4);
  ASSERT_TRUE(qs.ok());
  EXPECT_TRUE(DpdkQsbr::Attach(qs.get()).ok());
}

// The writer's Synchronize() begins (DPDK's token moves) while a reader is
// online and has not reported; the reader then holds back its report for a
// bounded while, watching whether Synchronize() returned. It must not have:
// it returns only after the report, which `reported` records before the
// report is made.
TEST(DpdkQsbrTest, SynchronizeWaitsForAnOnlineReadersReport) {
  QsVariable qs(2);
  ASSERT_TRUE(qs.ok());
  absl::StatusOr<DpdkQsbr> grace = DpdkQsbr::Attach(qs.get());
  ASSERT_TRUE(grace.ok()) << grace.status();
  std::atomic<bool> online{false}, reported{false}, returned{false};
  std::atomic<bool> started{false}, returned_early{false}, done{false};
  bool reported_when_returned = false;
  const uint64_t token0 = __atomic_load_n(&qs.get()->token, __ATOMIC_ACQUIRE);

  std::thread reader([&] {
    DpdkReader side(qs.get(), 1);
    online.store(side.registered(), std::memory_order_release);
    // Until Synchronize() has started its grace period.
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (__atomic_load_n(&qs.get()->token, __ATOMIC_ACQUIRE) == token0 &&
           Clock::now() < deadline) {
      std::this_thread::yield();
    }
    started = __atomic_load_n(&qs.get()->token, __ATOMIC_ACQUIRE) != token0;
    // A wrong Synchronize() gets 200 ms to return without the report.
    returned_early = WaitFor(returned, std::chrono::milliseconds(200));
    reported.store(true, std::memory_order_release);
    side.Quiescent();
    // Stay online until the writer is done (or give up, going offline,
    // which releases a Synchronize() that ignored the report).
    WaitFor(returned, std::chrono::seconds(10));
    done = true;
  });
  // (No ASSERT while threads run: it would leave them unjoined.)
  EXPECT_TRUE(WaitFor(online, std::chrono::seconds(10)));
  std::thread writer([&] {
    grace->Synchronize();
    reported_when_returned = reported.load(std::memory_order_acquire);
    returned.store(true, std::memory_order_release);
  });
  reader.join();
  writer.join();
  EXPECT_TRUE(started) << "Synchronize() never called rte_rcu_qsbr_start";
  EXPECT_FALSE(returned_early)
      << "Synchronize() returned while the reader had not reported";
  EXPECT_TRUE(reported_when_returned);
  EXPECT_TRUE(returned.load());
}

// Readers that are offline, or registered but never online, or gone, are
// not waited for (DPDK's counter 0): Synchronize() returns at once.
TEST(DpdkQsbrTest, OfflineAndUnregisteredReadersAreNotWaitedFor) {
  QsVariable qs(4);
  ASSERT_TRUE(qs.ok());
  absl::StatusOr<DpdkQsbr> grace = DpdkQsbr::Attach(qs.get());
  ASSERT_TRUE(grace.ok());
  grace->Synchronize();                                     // nobody registered
  ASSERT_EQ(rte_rcu_qsbr_thread_register(qs.get(), 0), 0);  // never online
  { DpdkReader gone(qs.get(), 2); }
  std::atomic<bool> offline{false}, returned{false}, finish{false};
  std::thread reader([&] {
    DpdkReader side(qs.get(), 3);
    side.Offline();  // about to block, as DPDK asks
    offline = true;
    WaitFor(finish, std::chrono::seconds(10));
  });
  EXPECT_TRUE(WaitFor(offline, std::chrono::seconds(10)));
  std::thread writer([&] {
    grace->Synchronize();
    returned = true;
  });
  EXPECT_TRUE(WaitFor(returned, std::chrono::seconds(10)))
      << "Synchronize() waited for an offline reader";
  finish = true;  // (its destructor unregisters, releasing a stuck writer)
  reader.join();
  writer.join();
}

// The full real table churned by one writer, readers on rte_rcu_qsbr.
template <typename T>
class DpdkQsbrChurnTest : public ::testing::Test {};
using ChurnedStructures = ::testing::Types<Poptrie, Dir24_8, Poptrie6, Dxr6>;
TYPED_TEST_SUITE(DpdkQsbrChurnTest, ChurnedStructures);

TYPED_TEST(DpdkQsbrChurnTest, ReadersSeeOnlyAnswersBeforeOrAfterEachUpdate) {
  const int readers =
      std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  QsVariable qs(readers);
  ASSERT_TRUE(qs.ok());
  absl::StatusOr<DpdkQsbr> grace = DpdkQsbr::Attach(qs.get());
  ASSERT_TRUE(grace.ok());
  TypeParam t;
  // A small budget (4 KiB of unlinked memory), so that the writer waits
  // for grace periods and reuses memory all the time.
  t.SetGracePeriod(&*grace, /*max_pending_bytes=*/4096);
  const testing::CheckedChurnResult r = testing::RunCheckedChurn(
      t, testing::TheChurnWorkload<typename TypeParam::Family>(SIZE_MAX),
      EnvOr("NEXTHOP_STRESS_SECONDS", 3), readers,
      [&](int id) { return DpdkReader(qs.get(), static_cast<unsigned>(id)); });
  ASSERT_TRUE(r.failed.ok()) << "step " << r.applied << ": " << r.failed;
  EXPECT_EQ(r.wrong, 0u) << absl::StrJoin(r.reports, "\n");
  EXPECT_GT(r.applied, 100u);  // TSAN builds manage a few hundred
  EXPECT_GT(r.checked, 100000u);
  const ReclaimStats stats = t.reclaim_stats();
  EXPECT_GT(stats.grace_periods, 0u);
  std::cout << TypeParam::kName << " on rte_rcu_qsbr: " << r.applied
            << " updates, " << r.checked << " answers checked, " << r.wrong
            << " wrong, " << readers << " readers, " << stats.grace_periods
            << " grace periods, mean wait "
            << (stats.grace_periods ? stats.wait_ns / stats.grace_periods : 0) /
                   1000.0
            << " us, at most " << stats.max_pending_bytes << " bytes held\n";
  if constexpr (requires { t.CheckInvariants(); }) {
    EXPECT_TRUE(t.CheckInvariants().ok());
  }
}

// README's example of plugging in rte_rcu_qsbr is this header's example,
// which tests/header_examples compiles and runs: the two must not drift.
TEST(DpdkQsbrTest, ReadmeShowsTheHeadersCompiledExample) {
  std::ifstream header(testing::SourcePath("rcu_dpdk/dpdk_qsbr.h"));
  std::string line, example;
  bool in_example = false;
  while (std::getline(header, line)) {
    if (line == "// Example:") {
      in_example = true;
    } else if (in_example && line.rfind("//   ", 0) == 0) {
      example += line.substr(5) + "\n";
    } else if (in_example) {
      break;
    }
  }
  ASSERT_FALSE(example.empty());
  std::ifstream readme_file(testing::SourcePath("README.md"));
  std::stringstream readme;
  readme << readme_file.rdbuf();
  EXPECT_NE(readme.str().find("```cpp\n" + example + "```"), std::string::npos)
      << "README.md lacks rcu_dpdk/dpdk_qsbr.h's example as a cpp block:\n"
      << example;
}

}  // namespace
}  // namespace nexthop
