// DKIM canonicalization: "simple" and "relaxed" for header fields and bodies (RFC 6376 §3.4.1–§3.4.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claret::mailauth {

enum class Canon { simple, relaxed };

// "simple" / "relaxed"; nullopt for anything else (case-insensitive, RFC 6376 §3.5 c= tag).
std::optional<Canon> parse_canon(std::string_view name);
const char* canon_name(Canon c);

// One header field (a RawField::raw: name, colon, value with folding, no final CRLF) in canonical form,
// without the final CRLF. simple: unchanged. relaxed (§3.4.2): lower-case name, unfolded, WSP runs
// become one SP, WSP around the colon and at the end of the value removed.
std::string canonicalize_header(Canon c, std::string_view raw_field);

// A body whose lines end in CRLF, in canonical form (§3.4.3, §3.4.4): trailing empty lines removed, a
// final CRLF ensured. simple turns an empty body into CRLF; relaxed also drops WSP at line ends, turns
// WSP runs into one SP, and leaves an empty body empty.
std::string canonicalize_body(Canon c, std::string_view body);

}  // namespace claret::mailauth
