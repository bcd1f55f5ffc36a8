// FETCH of only UID, FLAGS and MODSEQ into one buffer (RFC 9051 §7.5.2, RFC 7162 §3.1.4.1).
#include "imap/server/flag_fetch.hpp"

#include <algorithm>
#include <charconv>

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

bool flags_only(const std::vector<proto::FetchItem>& items) {
  return !items.empty() && std::all_of(items.begin(), items.end(), [](const proto::FetchItem& i) {
    return i.kind == Kind::uid || i.kind == Kind::flags || i.kind == Kind::modseq;
  });
}

void append_flag_fetch(std::string& out, std::uint32_t seq, const store::FlagRecord& r,
                       const std::vector<proto::FetchItem>& items, bool add_uid, bool add_modseq, bool recent) {
  out += "* ";
  append_number(out, seq);
  out += " FETCH (";
  bool first = true, uid_done = false, flags_done = false, modseq_done = false;
  auto sep = [&] {
    if (!first) out += ' ';
    first = false;
  };
  auto uid = [&] {
    sep();
    out += "UID ";
    append_number(out, r.uid);
    uid_done = true;
  };
  auto modseq = [&] {
    sep();
    out += "MODSEQ (";
    append_number(out, r.modseq);
    out += ')';
    modseq_done = true;
  };
  if (add_uid) uid();
  for (const auto& item : items) {
    if (item.kind == Kind::uid && !uid_done) uid();
    else if (item.kind == Kind::modseq && !modseq_done) modseq();
    else if (item.kind == Kind::flags && !flags_done) {
      sep();
      out += "FLAGS ";
      append_flags_wire(out, r.flags, recent);
      flags_done = true;
    }
  }
  if (add_modseq && !modseq_done) modseq();
  out += ")\r\n";
}

}  // namespace claret::imap::server
