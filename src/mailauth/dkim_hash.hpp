// The two hashes of a DKIM signature: body hash (bh=) and the header data that b= signs (RFC 6376 §3.7).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "mailauth/canonicalize.hpp"
#include "mailauth/header_fields.hpp"

namespace claret::mailauth {

// SHA-256 of the canonicalized body, raw bytes. With `length` (the l= tag), only that many bytes of the
// canonical body are hashed; a canonical body shorter than `length` is an error (RFC 6376 §3.5 l=).
Result<std::string> body_hash(Canon c, std::string_view body, std::optional<uint64_t> length = std::nullopt);

// The header part of the data to sign (§3.7, §5.4.2): for each name of `h`, in order, the last field of
// that name not yet used, canonicalized, followed by CRLF; a name with no field left adds nothing (which
// is what makes over-signing prevent additions). Then `signature_field`, the DKIM-Signature field with an
// empty b= value, canonicalized, without a final CRLF.
std::string signed_header_data(Canon c, const std::vector<RawField>& fields, const std::vector<std::string>& h,
                               std::string_view signature_field);

}  // namespace claret::mailauth
