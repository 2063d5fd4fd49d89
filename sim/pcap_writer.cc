#include "sim/pcap_writer.h"

#include <pcap/pcap.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace nexthop {

struct PcapWriter::Handles {
  pcap_t* pcap = nullptr;
  pcap_dumper_t* dumper = nullptr;
};

absl::StatusOr<std::unique_ptr<PcapWriter>> PcapWriter::Open(
    const std::string& path) {
  std::unique_ptr<PcapWriter> w(new PcapWriter);
  w->h_ = std::make_unique<Handles>();
  w->h_->pcap = pcap_open_dead(DLT_EN10MB, 65535);
  if (w->h_->pcap == nullptr)
    return absl::InternalError("pcap_open_dead failed");
  w->h_->dumper = pcap_dump_open(w->h_->pcap, path.c_str());
  if (w->h_->dumper == nullptr) {
    // libpcap's message already starts with the path ("P: Is a directory");
    // it is named once, by us, whatever the libpcap version writes.
    absl::string_view why = pcap_geterr(w->h_->pcap);
    absl::ConsumePrefix(&why, absl::StrCat(path, ": "));
    return absl::UnavailableError(absl::StrCat(path, ": ", why));
  }
  return w;
}

PcapWriter::~PcapWriter() {
  if (!h_) return;
  if (h_->dumper != nullptr) pcap_dump_close(h_->dumper);
  if (h_->pcap != nullptr) pcap_close(h_->pcap);
}

void PcapWriter::Write(absl::Time at, std::span<const uint8_t> frame) {
  const int64_t us = absl::ToUnixMicros(at);
  pcap_pkthdr hdr{};
  hdr.ts.tv_sec = us / 1000000;
  hdr.ts.tv_usec = us % 1000000;
  hdr.caplen = hdr.len = static_cast<uint32_t>(frame.size());
  pcap_dump(reinterpret_cast<u_char*>(h_->dumper), &hdr, frame.data());
}

}  // namespace nexthop
