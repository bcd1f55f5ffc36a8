// FETCH of only UID, FLAGS and MODSEQ into one buffer (RFC 9051 §7.5.2, RFC 7162 §3.1.4.1).
#include "imap/server/flag_fetch.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <string_view>

#include "imap/server/flags.hpp"

namespace claret::imap::server {

namespace {

using Kind = proto::FetchItem::Kind;

void append_number(std::string& out, std::uint64_t n) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out.append(buf, end);
}

}  // namespace

Result<FlagRows> load_flag_rows(store::MailStore& ms, store::MailboxId mailbox, const store::UidSet& uids,
                                std::uint64_t changed_since) {
  // Below this many UIDs in the set, reading only them beats building a small mailbox's whole listing.
  constexpr std::uint64_t kFewUids = 256;
  std::uint64_t span = 0;
  for (const auto& r : uids.ranges()) span += std::uint64_t{r.last} - r.first + 1;
  FlagRows out;
  if (span <= kFewUids) {
    auto listed = ms.fetch_flags(mailbox, uids, changed_since);
    if (!listed) return listed.error();
    out.copies = std::move(*listed);
    return out;
  }
  auto listing = ms.flag_listing(mailbox);
  if (!listing) return listing.error();
  out.listing = std::move(*listing);
  out.uids = uids;
  out.changed_since = changed_since;
  return out;
}

bool flags_only(const std::vector<proto::FetchItem>& items) {
  return !items.empty() && std::all_of(items.begin(), items.end(), [](const proto::FetchItem& i) {
    return i.kind == Kind::uid || i.kind == Kind::flags || i.kind == Kind::modseq;
  });
}

namespace {

// The line into a std::string (any flags, keywords included).
struct StringSink {
  std::string& out;
  void add(std::string_view text) { out.append(text); }
  void add(char c) { out.push_back(c); }
  void number(std::uint64_t n) { append_number(out, n); }
  void flags(const store::Flags& f, bool recent) { append_flags_wire(out, f, recent); }
};

// "(\Recent \Seen …)" for each of the 32 system-flag sets, with and without \Recent.
const std::array<std::string, 64>& system_flag_lists() {
  static const std::array<std::string, 64> table = [] {
    std::array<std::string, 64> t;
    for (std::uint32_t bits = 0; bits < 32; ++bits)
      for (int recent = 0; recent < 2; ++recent) append_flags_wire(t[bits * 2 + recent], store::Flags{bits, {}}, recent);
    return t;
  }();
  return table;
}

// The line of a message without keywords (nearly all of a big listing) on the stack, appended to the output in
// one piece: bounded (three numbers of at most 20 digits, the longest flag list, the fixed words), and cheaper than
// growing the std::string a few bytes at a time.
struct StackSink {
  char buf[256];
  char* p = buf;
  void add(std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  }
  void add(char c) { *p++ = c; }
  void number(std::uint64_t n) { p = std::to_chars(p, buf + sizeof buf, n).ptr; }
  void flags(const store::Flags& f, bool recent) { add(system_flag_lists()[(f.system & store::flag::kAll) * 2 + recent]); }
};

template <typename Sink>
void format_line(Sink& out, std::uint32_t seq, const store::FlagRecord& r, const std::vector<proto::FetchItem>& items,
                 bool add_uid, bool add_modseq, bool recent) {
  out.add("* ");
  out.number(seq);
  out.add(" FETCH (");
  bool first = true, uid_done = false, flags_done = false, modseq_done = false;
  auto sep = [&] {
    if (!first) out.add(' ');
    first = false;
  };
  auto uid = [&] {
    sep();
    out.add("UID ");
    out.number(r.uid);
    uid_done = true;
  };
  auto modseq = [&] {
    sep();
    out.add("MODSEQ (");
    out.number(r.modseq);
    out.add(')');
    modseq_done = true;
  };
  if (add_uid) uid();
  for (const auto& item : items) {
    if (item.kind == Kind::uid && !uid_done) uid();
    else if (item.kind == Kind::modseq && !modseq_done) modseq();
    else if (item.kind == Kind::flags && !flags_done) {
      sep();
      out.add("FLAGS ");
      out.flags(r.flags, recent);
      flags_done = true;
    }
  }
  if (add_modseq && !modseq_done) modseq();
  out.add(")\r\n");
}

}  // namespace

void append_flag_fetch(std::string& out, std::uint32_t seq, const store::FlagRecord& r,
                       const std::vector<proto::FetchItem>& items, bool add_uid, bool add_modseq, bool recent) {
  if (r.flags.keywords.empty() && (r.flags.system & ~store::flag::kAll) == 0) {
    StackSink sink;
    format_line(sink, seq, r, items, add_uid, add_modseq, recent);
    out.append(sink.buf, static_cast<std::size_t>(sink.p - sink.buf));
    return;
  }
  StringSink sink{out};
  format_line(sink, seq, r, items, add_uid, add_modseq, recent);
}

namespace {

// The longest line without keywords: "* " + 10 digits + " FETCH (" + "UID " + 10 + " FLAGS " + the longest flag list
// (50, copied as a fixed kFlagTextMax bytes) + " MODSEQ (" + 20 + ")" + ")\r\n", rounded up.
constexpr std::size_t kMaxPlainLine = 192;
constexpr std::size_t kFlagTextMax = 56;

// "(\Recent \Seen …)" for each of the 32 system-flag sets, with and without \Recent, padded to a fixed size so a
// line copies a constant number of bytes and moves on by the real length.
struct FlagText {
  char text[kFlagTextMax] = {};
  std::uint8_t size = 0;
};
const std::array<FlagText, 64>& flag_texts() {
  static const std::array<FlagText, 64> table = [] {
    std::array<FlagText, 64> t;
    for (std::size_t i = 0; i < 64; ++i) {
      const std::string& s = system_flag_lists()[i];
      std::memcpy(t[i].text, s.data(), s.size());
      t[i].size = static_cast<std::uint8_t>(s.size());
    }
    return t;
  }();
  return table;
}

template <std::size_t N>
char* put(char* p, const char (&text)[N]) {
  std::memcpy(p, text, N - 1);
  return p + N - 1;
}

char* put_number(char* p, std::uint64_t n) { return std::to_chars(p, p + 20, n).ptr; }
// Sequence numbers and UIDs: std::to_chars of a 32-bit value counts its digits faster than of a 64-bit one.
char* put_number(char* p, std::uint32_t n) { return std::to_chars(p, p + 10, n).ptr; }

// A raw write window at the end of `out`: lines go through a pointer into room made by resize (the caller's reserve,
// zero-filled once, then growing geometrically), not appended a few bytes at a time; close() trims the rest.
struct Window {
  std::string& out;
  char* p = nullptr;
  char* end = nullptr;

  explicit Window(std::string& s) : out(s) { open(out.size(), kMaxPlainLine); }
  std::size_t size() const { return static_cast<std::size_t>(p - out.data()); }
  void open(std::size_t used, std::size_t need) {
    if (used + need > out.capacity()) out.reserve(std::max(2 * out.capacity(), used + need));
    out.resize(out.capacity());
    p = out.data() + used;
    end = out.data() + out.size();
  }
  // Room for n more bytes.
  void ensure(std::size_t n = kMaxPlainLine) {
    if (static_cast<std::size_t>(end - p) < n) open(size(), n);
  }
  void close() { out.resize(size()); }
};

}  // namespace

FlagFetchFormatter::FlagFetchFormatter(const FlagRows& rows, const SelectedMailbox& view,
                                       const std::vector<proto::FetchItem>& items, bool add_uid, bool add_modseq,
                                       bool recent_flag)
    : rows_(rows), view_(view), items_(items), add_uid_(add_uid), add_modseq_(add_modseq), recent_flag_(recent_flag) {
  if (rows_.listing) record_ = rows_.listing->records.begin();
  seq_is_index_ = rows_.listing && &view_.uids() == &rows_.listing->uids;
  // format_line's order.
  bool uid_done = false, flags_done = false, modseq_done = false;
  if (add_uid_) {
    order_[fields_++] = Field::uid;
    uid_done = true;
  }
  for (const auto& item : items_) {
    if (item.kind == Kind::uid && !uid_done) {
      order_[fields_++] = Field::uid;
      uid_done = true;
    } else if (item.kind == Kind::modseq && !modseq_done) {
      order_[fields_++] = Field::modseq;
      modseq_done = true;
    } else if (item.kind == Kind::flags && !flags_done) {
      order_[fields_++] = Field::flags;
      flags_done = true;
    }
  }
  if (add_modseq_ && !modseq_done) order_[fields_++] = Field::modseq;
}

char* FlagFetchFormatter::plain_line(char* p, std::uint32_t seq, const store::FlagRecord& r) const {
  if (!r.flags.keywords.empty() || (r.flags.system & ~store::flag::kAll) != 0) return nullptr;
  p = put(p, "* ");
  p = put_number(p, seq);
  p = put(p, " FETCH (");
  for (std::size_t i = 0; i < fields_; ++i) {
    if (i > 0) *p++ = ' ';
    switch (order_[i]) {
      case Field::uid:
        p = put(p, "UID ");
        p = put_number(p, r.uid);
        break;
      case Field::flags: {
        p = put(p, "FLAGS ");
        const bool recent = recent_flag_ && view_.is_recent(r.uid);
        const FlagText& f = flag_texts()[r.flags.system * 2 + (recent ? 1 : 0)];
        std::memcpy(p, f.text, kFlagTextMax);
        p += f.size;
        break;
      }
      case Field::modseq:
        p = put(p, "MODSEQ (");
        p = put_number(p, r.modseq);
        *p++ = ')';
        break;
    }
  }
  return put(p, ")\r\n");
}

std::uint32_t FlagFetchFormatter::seq_of(const store::FlagRecord& r, std::size_t listing_index) {
  if (seq_is_index_) return static_cast<std::uint32_t>(listing_index) + 1;
  // A forward walk, not a binary search per row.
  const auto& uids = view_.uids();
  while (view_pos_ < uids.size() && uids[view_pos_] < r.uid) ++view_pos_;
  if (view_pos_ == uids.size() || uids[view_pos_] != r.uid) return 0;
  return static_cast<std::uint32_t>(view_pos_) + 1;
}

template <typename W>
void FlagFetchFormatter::line(W& w, const store::FlagRecord& r, std::size_t listing_index) {
  const std::uint32_t seq = seq_of(r, listing_index);
  if (seq == 0) return;
  w.ensure();
  if (char* end = plain_line(w.p, seq, r)) {
    w.p = end;
    return;
  }
  // Keywords: any length, so through a string of its own (reused), then copied in.
  scratch_.clear();
  append_flag_fetch(scratch_, seq, r, items_, add_uid_, add_modseq_, recent_flag_ && view_.is_recent(r.uid));
  w.ensure(scratch_.size());
  std::memcpy(w.p, scratch_.data(), scratch_.size());
  w.p += scratch_.size();
}

bool FlagFetchFormatter::format(std::string& out, std::size_t limit) {
  Window w(out);
  if (!rows_.listing) {
    for (; copy_pos_ < rows_.copies.size() && w.size() < limit; ++copy_pos_) line(w, rows_.copies[copy_pos_], 0);
    w.close();
    return copy_pos_ == rows_.copies.size();
  }
  // store::for_each_flag_record's walk (one binary search per range of the set), resumable between pieces.
  const auto& records = rows_.listing->records;
  const auto& ranges = rows_.uids.ranges();
  while (range_ < ranges.size()) {
    const store::UidRange& range = ranges[range_];
    if (!in_range_) {
      record_ = std::lower_bound(record_, records.end(), range.first,
                                 [](const store::FlagRecord& r, std::uint32_t uid) { return r.uid < uid; });
      in_range_ = true;
    }
    for (; record_ != records.end() && record_->uid <= range.last; ++record_) {
      if (w.size() >= limit) {
        w.close();
        return false;
      }
      if (record_->modseq > rows_.changed_since)
        line(w, *record_, static_cast<std::size_t>(record_ - records.begin()));
    }
    if (record_ == records.end()) {
      range_ = ranges.size();
      break;
    }
    ++range_;
    in_range_ = false;
  }
  w.close();
  return true;
}

}  // namespace claret::imap::server
