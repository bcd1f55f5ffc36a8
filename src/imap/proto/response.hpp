// IMAP response serialisers: strings (atom / quoted / literal choice, RFC 9051 §4.3-§4.5), flag lists, status
// responses with response codes (§7.1), continuation requests (§7.5), and the data responses the server builds
// often: CAPABILITY, ENABLED, FLAGS, EXISTS, EXPUNGE, SEARCH, ESEARCH (RFC 4731 §3.1), LIST/LSUB (§7.3.1,
// RFC 5258 §3.5), STATUS (§7.3.4), VANISHED (RFC 7162 §3.2.10), NAMESPACE (§7.3.3), ID (RFC 2971), QUOTA and
// QUOTAROOT (RFC 9208 §5), SORT and THREAD (RFC 5256 §4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "imap/proto/date_time.hpp"
#include "imap/proto/mailbox_args.hpp"

namespace claret::imap::proto {

enum class Condition : std::uint8_t { ok, no, bad, preauth, bye };
std::string_view condition_name(Condition c);

// --- strings -------------------------------------------------------------------------------------------------
// Quoted when the string can be one (no CR, LF or NUL, at most 1024 bytes, 7-bit unless utf8), else a literal.
void append_string(std::string& out, std::string_view s, bool utf8 = false);
// An atom when the string is one (and is not "NIL"), else append_string.
void append_astring(std::string& out, std::string_view s, bool utf8 = false);
void append_nstring(std::string& out, std::optional<std::string_view> s, bool utf8 = false);
void append_literal(std::string& out, std::string_view s);   // "{n}\r\n" + bytes
void append_literal8(std::string& out, std::string_view s);  // "~{n}\r\n" + bytes (BINARY, RFC 3516 §4.2)
// A mailbox name (UTF-8 inside claret) in wire form: modified UTF-7 or, after UTF8=ACCEPT, UTF-8.
void append_mailbox(std::string& out, std::string_view name, bool utf8_accept);
void append_date_time(std::string& out, const DateTime& dt);  // quoted date-time
std::string flag_list(const std::vector<std::string>& flags);  // "(\Seen $Forwarded)"

// --- status responses ----------------------------------------------------------------------------------------
// A response code "[name args]" for the resp-text of a status response; args may be empty.
std::string response_code(std::string_view name, std::string_view args = {});
std::string code_capability(const std::vector<std::string>& caps);
std::string code_permanent_flags(const std::vector<std::string>& flags);  // include "\*" to allow keywords
std::string code_number(std::string_view name, std::uint64_t n);       // UIDNEXT, UIDVALIDITY, HIGHESTMODSEQ…
std::string code_append_uid(std::uint32_t uidvalidity, std::string_view uid_set);
std::string code_copy_uid(std::uint32_t uidvalidity, std::string_view source_set, std::string_view dest_set);
std::string code_modified(std::string_view set);
std::string code_bad_charset(const std::vector<std::string>& supported);

// "tag OK [code] text\r\n" (code from response_code(), may be empty; text must not be empty).
std::string tagged(std::string_view tag, Condition c, std::string_view code, std::string_view text);
// "* OK [code] text\r\n" (also BYE and PREAUTH).
std::string untagged_status(Condition c, std::string_view code, std::string_view text);
// "* " + data + "\r\n"
std::string untagged(std::string_view data);
// "+ text\r\n"
std::string continuation(std::string_view text = "Ready");
// "+ " base64(challenge) "\r\n" for AUTHENTICATE (RFC 9051 §6.2.2); an empty challenge gives "+ \r\n".
std::string continuation_challenge(std::string_view challenge);

// --- data responses ------------------------------------------------------------------------------------------
std::string capability_response(const std::vector<std::string>& caps);  // "* CAPABILITY IMAP4rev1 …"
std::string enabled_response(const std::vector<std::string>& caps);     // "* ENABLED …"
std::string flags_response(const std::vector<std::string>& flags);      // "* FLAGS (…)"
std::string exists_response(std::uint32_t n);
std::string expunge_response(std::uint32_t seq);
std::string recent_response(std::uint32_t n);  // IMAP4rev1 only
std::string search_response(const std::vector<std::uint32_t>& numbers, std::optional<std::uint64_t> modseq = {});

struct EsearchResult {
  std::optional<std::uint32_t> min;
  std::optional<std::uint32_t> max;
  std::optional<std::string> all;  // sequence set, e.g. format_number_set(…)
  std::optional<std::uint32_t> count;
  std::optional<std::uint64_t> modseq;
};
std::string esearch_response(std::string_view tag, bool uid, const EsearchResult& r);

struct ListEntry {
  std::vector<std::string> attributes;  // "\HasNoChildren", "\Subscribed", "\Sent", …
  std::string name;                     // UTF-8
  bool childinfo_subscribed = false;    // RFC 5258 §3.5 ("CHILDINFO" ("SUBSCRIBED"))
  std::optional<std::string> old_name;  // RFC 9051 §7.3.1 OLDNAME, UTF-8
};
// "* LIST (\HasNoChildren) "/" INBOX" (lsub: "* LSUB …").
std::string list_response(const ListEntry& e, bool utf8_accept, bool lsub = false);
std::string status_response(std::string_view mailbox, const std::vector<std::pair<StatusItem, std::uint64_t>>& values,
                            bool utf8_accept);
std::string vanished_response(std::string_view uid_set, bool earlier);
// "* NAMESPACE ((prefix "/")) NIL NIL": one personal namespace, no other users' or shared ones.
std::string namespace_response(std::string_view personal_prefix);
std::string id_response(const std::optional<std::vector<std::pair<std::string, std::string>>>& params);
std::string quota_response(std::string_view root,
                           const std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>>& usage_limit);
std::string quotaroot_response(std::string_view mailbox, const std::vector<std::string>& roots, bool utf8_accept);

// "* SORT 2 3 6" (RFC 5256 §4), with "(MODSEQ n)" under CONDSTORE (RFC 7162 §3.1.5) when something matched.
std::string sort_response(const std::vector<std::uint32_t>& numbers, std::optional<std::uint64_t> modseq = {});

// A THREAD tree (RFC 5256 §4): id 0 is a dummy parent that has no message of its own.
struct ThreadNode {
  std::uint32_t id = 0;
  std::vector<ThreadNode> children;
};
// "* THREAD (2)(3 6 (4 23)(44 7 96))".
std::string thread_response(const std::vector<ThreadNode>& roots);

}  // namespace claret::imap::proto
