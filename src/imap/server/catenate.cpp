// CATENATE (RFC 4469 §5): TEXT parts are taken as they are, URL parts are read from the store (the message, or
// a section of it through its part map, then ;PARTIAL=) after checking they name a message of this user.
#include "imap/server/catenate.hpp"

#include <algorithm>

#include "base/strings.hpp"
#include "imap/server/imap_url.hpp"
#include "mime/part_map.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {
namespace {

// "imap://alice@host/…": the full login or its local part (the '@' of a full address must be %40 in a URL).
bool same_user(const std::string& in_url, const std::string& user) {
  if (in_url.empty() || iequals(in_url, user)) return true;
  return iequals(in_url, std::string_view(user).substr(0, user.find('@')));
}

// The bytes a URL names; nullopt when it names nothing (BADURL); an Error for a store failure.
Result<std::optional<std::string>> read_url(store::Store& st, store::MailStore& ms, const ImapUrl& url) {
  using Bytes = std::optional<std::string>;
  auto info = ms.get_mailbox(url.mailbox);
  if (!info) {
    if (store::has_code(info.error(), store::Errc::not_found)) return Bytes{};
    return info.error();
  }
  if (info->noselect || (url.uidvalidity && *url.uidvalidity != info->uidvalidity)) return Bytes{};
  std::vector<std::uint32_t> one{url.uid};
  auto records = ms.fetch_meta(info->id, store::UidSet::of(one), store::meta_part::kPartMap);
  if (!records) return records.error();
  if (records->empty()) return Bytes{};
  const store::MessageRecord& r = records->front();
  mime::ByteRange range{0, r.size};
  if (!url.section.empty()) {
    auto map = mime::parse_part_map(r.meta.part_map);
    if (!map) return Bytes{};
    auto found = map->find(url.section);
    if (!found) return Bytes{};
    range = *found;
  }
  // RFC 5092 §3.2 ;PARTIAL=offset.length, clamped like FETCH partials.
  const std::uint64_t off = std::min<std::uint64_t>(url.partial_offset, range.size);
  std::uint64_t len = range.size - off;
  if (url.partial_length) len = std::min(len, *url.partial_length);
  if (len == 0) return Bytes{std::string()};
  auto bytes = st.blobs().read_range(r.blob_id, range.offset + off, len);
  if (!bytes) return bytes.error();
  return Bytes{std::move(*bytes)};
}

}  // namespace

Result<Catenated> catenate(store::Store& st, store::MailStore& ms, const std::string& user,
                           const std::vector<proto::CatenatePart>& parts, std::uint64_t limit) {
  Catenated out;
  for (const auto& part : parts) {
    if (part.kind == proto::CatenatePart::Kind::text) {
      out.data += part.data;
    } else {
      auto url = parse_imap_url(part.data);
      if (!url || !same_user(url->user, user)) {
        out.bad_url = part.data;
        return out;
      }
      auto bytes = read_url(st, ms, *url);
      if (!bytes) return bytes.error();
      if (!*bytes) {
        out.bad_url = part.data;
        return out;
      }
      out.data += **bytes;
    }
    if (out.data.size() > limit) {
      out.too_big = true;
      return out;
    }
  }
  return out;
}

}  // namespace claret::imap::server
