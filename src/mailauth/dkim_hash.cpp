// DKIM hash computation: body hash and header selection bottom-up (RFC 6376 §3.7, §5.4.2).
#include "mailauth/dkim_hash.hpp"

#include "base/strings.hpp"
#include "mailauth/crypto.hpp"

namespace claret::mailauth {

Result<std::string> body_hash(Canon c, std::string_view body, std::optional<uint64_t> length) {
  std::string canonical = canonicalize_body(c, body);
  if (length) {
    if (*length > canonical.size())
      return make_error("l=" + std::to_string(*length) + " is longer than the body (" +
                        std::to_string(canonical.size()) + " bytes)");
    canonical.resize(static_cast<size_t>(*length));
  }
  return sha256(canonical);
}

std::string signed_header_data(Canon c, const std::vector<RawField>& fields, const std::vector<std::string>& h,
                               std::string_view signature_field) {
  std::string out;
  std::vector<bool> used(fields.size(), false);
  for (const auto& name : h) {
    for (size_t i = fields.size(); i-- > 0;) {
      if (used[i] || !iequals(fields[i].name, name)) continue;
      used[i] = true;
      out += canonicalize_header(c, fields[i].raw);
      out += "\r\n";
      break;
    }
  }
  out += canonicalize_header(c, signature_field);
  return out;
}

}  // namespace claret::mailauth
