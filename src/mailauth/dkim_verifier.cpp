// DKIM signature verification (RFC 6376 §6.1.1 tag checks, §6.1.2 key retrieval, §6.1.3 hash and
// signature check; RFC 8301 §3.1: rsa-sha1 is not accepted).
#include "mailauth/dkim_verifier.hpp"

#include <chrono>
#include <string>
#include <optional>

#include "base/base64.hpp"
#include "base/strings.hpp"
#include "mailauth/canonicalize.hpp"
#include "mailauth/dkim_hash.hpp"
#include "mailauth/header_fields.hpp"
#include "mailauth/public_key.hpp"
#include "mailauth/tag_list.hpp"

namespace claret::mailauth {

namespace {

// The DKIM-Signature field with the value of b= deleted, surrounding whitespace included (§3.5 b=, §3.7),
// everything else byte for byte. Tag names are found at the start of each ';'-separated spec.
std::string without_b_value(std::string_view raw) {
  size_t colon = raw.find(':');
  std::string out(raw.substr(0, colon + 1));
  size_t pos = colon + 1;
  while (pos <= raw.size()) {
    size_t semi = raw.find(';', pos);
    size_t end = semi == std::string_view::npos ? raw.size() : semi;
    std::string_view spec = raw.substr(pos, end - pos);
    size_t eq = spec.find('=');
    if (eq != std::string_view::npos && trim(spec.substr(0, eq)) == "b") out += spec.substr(0, eq + 1);
    else out += spec;
    if (semi == std::string_view::npos) break;
    out += ';';
    pos = semi + 1;
  }
  return out;
}

// i= must be in d= or a subdomain of it (§3.5 i=); with a t=s key, exactly d= (§3.6.1).
bool identity_matches(std::string_view identity_domain, std::string_view d, bool strict) {
  if (iequals(identity_domain, d)) return true;
  if (strict || identity_domain.size() <= d.size() + 1) return false;
  std::string_view tail = identity_domain.substr(identity_domain.size() - d.size() - 1);
  return tail[0] == '.' && iequals(tail.substr(1), d);
}

class SignatureCheck {
 public:
  SignatureCheck(const SplitMessage& msg, const RawField& field, const KeyLookup& lookup, uint64_t now)
      : msg_(msg), field_(field), lookup_(lookup), now_(now) {}

  DkimVerdict run() {
    std::string_view raw = field_.raw;
    auto tags = TagList::parse(raw.substr(raw.find(':') + 1));
    if (!tags) return perm("malformed tag list: " + tags.error().message);
    auto get = [&](const char* n) { return tags->get(n); };
    if (auto d = get("d")) v_.domain = remove_fws(*d);
    if (auto s = get("s")) v_.selector = remove_fws(*s);
    if (auto a = get("a")) v_.algorithm = remove_fws(*a);
    for (const char* required : {"v", "a", "b", "bh", "d", "h", "s"})
      if (!get(required)) return perm(std::string("missing ") + required + "= tag");
    if (*get("v") != "1") return perm("unsupported version v=" + std::string(*get("v")));

    KeyAlgorithm alg;
    if (iequals(v_.algorithm, "rsa-sha256")) alg = KeyAlgorithm::rsa;
    else if (iequals(v_.algorithm, "ed25519-sha256")) alg = KeyAlgorithm::ed25519;
    else if (iequals(v_.algorithm, "rsa-sha1")) return perm("rsa-sha1 is not accepted (RFC 8301)");
    else return perm("unknown algorithm a=" + v_.algorithm);

    Canon header_canon = Canon::simple, body_canon = Canon::simple;
    if (auto c = get("c")) {
      std::string cv = remove_fws(*c);
      size_t slash = cv.find('/');
      auto hc = parse_canon(cv.substr(0, slash));
      auto bc = slash == std::string::npos ? std::optional<Canon>(Canon::simple) : parse_canon(cv.substr(slash + 1));
      if (!hc || !bc) return perm("unknown canonicalization c=" + cv);
      header_canon = *hc;
      body_canon = *bc;
    }

    std::vector<std::string> h;
    bool signs_from = false;
    std::string h_value = remove_fws(*get("h"));
    for (std::string_view name : split(h_value, ':')) {
      if (name.empty()) return perm("empty name in h=");
      signs_from = signs_from || iequals(name, "from");
      h.emplace_back(name);
    }
    if (!signs_from) return perm("h= does not include From");

    std::string identity_domain = v_.domain;
    if (auto i = get("i")) {
      std::string iv = remove_fws(*i);
      size_t at = iv.rfind('@');
      if (at == std::string::npos) return perm("i= has no '@'");
      identity_domain = iv.substr(at + 1);
    }
    if (!identity_matches(identity_domain, v_.domain, false)) return perm("i= is not within d=");

    if (auto q = get("q"); q && remove_fws(*q).find("dns/txt") == std::string::npos)
      return perm("unsupported query method q=" + std::string(*q));

    std::optional<uint64_t> length;
    if (auto l = get("l")) {
      length = parse_u64(remove_fws(*l));
      if (!length) return perm("bad l= value");
    }
    std::optional<uint64_t> t;
    if (auto tv = get("t")) {
      t = parse_u64(remove_fws(*tv));
      if (!t) return perm("bad t= value");
    }
    if (auto xv = get("x")) {
      auto x = parse_u64(remove_fws(*xv));
      if (!x) return perm("bad x= value");
      if (t && *x < *t) return perm("x= is before t=");
      if (*x < now_) return perm("signature expired");
    }
    auto bh = base64_decode(remove_fws(*get("bh")));
    if (!bh) return perm("bh= is not base64");
    auto b = base64_decode(remove_fws(*get("b")));
    if (!b || b->empty()) return perm("b= is not base64");

    auto key = fetch_key(alg);
    if (!key) return v_;
    v_.testing = key->testing();
    if (key->strict_identity() && !identity_matches(identity_domain, v_.domain, true))
      return perm("key requires i= to be exactly d= (t=s)");

    auto computed_bh = body_hash(body_canon, msg_.body, length);
    if (!computed_bh) return perm(computed_bh.error().message);
    if (*computed_bh != *bh) return result(DkimStatus::fail, "body hash mismatch");

    std::string data = signed_header_data(header_canon, msg_.fields, h, without_b_value(raw));
    if (!key->verify(data, *b)) return result(DkimStatus::fail, "signature did not verify");
    return result(DkimStatus::pass, "");
  }

 private:
  DkimVerdict perm(std::string reason) { return result(DkimStatus::permerror, std::move(reason)); }
  DkimVerdict result(DkimStatus s, std::string reason) {
    v_.status = s;
    v_.reason = std::move(reason);
    return v_;
  }

  // §6.1.2: the first TXT record that parses as a key of the signature's algorithm. On failure v_ holds
  // the verdict (temperror for a temporary DNS failure, permerror otherwise).
  std::optional<PublicKey> fetch_key(KeyAlgorithm alg) {
    std::string name = v_.selector + "._domainkey." + v_.domain;
    auto records = lookup_(name);
    if (!records) {
      bool temporary = records.error().code == kLookupTemporary;
      result(temporary ? DkimStatus::temperror : DkimStatus::permerror,
             "key lookup " + name + ": " + records.error().message);
      return std::nullopt;
    }
    std::string last_error = "no key record at " + name;
    for (const auto& record : *records) {
      auto key = PublicKey::from_record(record);
      if (!key) {
        last_error = key.error().message;
        continue;
      }
      if (key->algorithm() != alg) {
        last_error = "key type does not match a=" + v_.algorithm;
        continue;
      }
      return std::move(key).value();
    }
    perm(last_error);
    return std::nullopt;
  }

  const SplitMessage& msg_;
  const RawField& field_;
  const KeyLookup& lookup_;
  uint64_t now_;
  DkimVerdict v_;
};

}  // namespace

const char* status_name(DkimStatus s) {
  switch (s) {
    case DkimStatus::pass: return "pass";
    case DkimStatus::fail: return "fail";
    case DkimStatus::temperror: return "temperror";
    case DkimStatus::permerror: return "permerror";
    case DkimStatus::policy: return "policy";
  }
  return "permerror";
}

KeyLookup table_lookup(std::map<std::string, std::string> records) {
  return [records = std::move(records)](const std::string& name) -> Result<std::vector<std::string>> {
    for (const auto& [n, r] : records)
      if (iequals(n, name)) return std::vector<std::string>{r};
    return make_error("no TXT record at " + name);
  };
}

std::vector<DkimVerdict> DkimVerifier::verify(std::string_view message, uint64_t now) const {
  std::string normalized;
  if (has_bare_lf(message)) {
    normalized = to_crlf(message);
    message = normalized;
  }
  SplitMessage msg = split_message(message);
  std::vector<DkimVerdict> out;
  for (const auto& field : msg.fields) {
    if (!iequals(field.name, "DKIM-Signature")) continue;
    if (out.size() < max_signatures_) {
      out.push_back(SignatureCheck(msg, field, lookup_, now).run());
      continue;
    }
    DkimVerdict skipped;
    skipped.status = DkimStatus::policy;
    skipped.reason = "not checked: only the first " + std::to_string(max_signatures_) +
                     " DKIM-Signature fields of a message are verified";
    out.push_back(std::move(skipped));
  }
  return out;
}

std::vector<DkimVerdict> DkimVerifier::verify(std::string_view message) const {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return verify(message, static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count()));
}

}  // namespace claret::mailauth
