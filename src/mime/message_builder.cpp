// Message construction for the webmail's send and draft actions.
#include "mime/message_builder.hpp"

#include <ctime>
#include <random>
#include <set>

#include "base/base64.hpp"
#include "base/strings.hpp"
#include "mime/address.hpp"
#include "mime/charset.hpp"

namespace claret::mime {
namespace {

std::string random_hex(size_t bytes) {
  static const char* hex = "0123456789abcdef";
  // Boundaries and Message-IDs need uniqueness, not secrecy.
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    unsigned char c = static_cast<unsigned char>(rng());
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

bool plain_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}

// CRLF everywhere, whatever the input used.
std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

// Encoded words of at most ~75 characters, split on UTF-8 character boundaries.
std::vector<std::string> encoded_words(std::string_view utf8) {
  std::vector<std::string> words;
  std::string s = sanitize_utf8(utf8);
  size_t i = 0;
  while (i < s.size()) {
    // 39 bytes → 52 base64 characters: each word stays within 75 characters (RFC 2047 §2) and a folded
    // line within 78 even after "Subject: ".
    size_t end = std::min(s.size(), i + 39);
    while (end < s.size() && end > i && (static_cast<unsigned char>(s[end]) & 0xc0) == 0x80) --end;
    words.push_back("=?UTF-8?B?" + base64_encode(std::string_view(s).substr(i, end - i)) + "?=");
    i = end;
  }
  return words;
}

std::string base64_lines(std::string_view data) {
  std::string b = base64_encode(data);
  std::string out;
  for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

bool needs_transfer_encoding(std::string_view text) {
  size_t line = 0;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n') {
      line = 0;
      continue;
    }
    if (u >= 0x80 || u == 0) return true;
    if (++line > 900) return true;
  }
  return false;
}

std::string text_part(std::string_view subtype, std::string_view content) {
  std::string body = crlf(content);
  std::string out = "Content-Type: text/" + std::string(subtype) + "; charset=utf-8\r\n";
  if (needs_transfer_encoding(body) || body.find("\r\n.") != std::string::npos || body.starts_with("From ")) {
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp_encode(body);
  } else {
    out += "Content-Transfer-Encoding: 7bit\r\n\r\n" + body;
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}

std::string multipart(std::string_view subtype, const std::vector<std::string>& parts) {
  std::string boundary = "=_claret_" + random_hex(12);
  std::string out = "Content-Type: multipart/" + std::string(subtype) + "; boundary=\"" + boundary + "\"\r\n\r\n";
  for (const auto& p : parts) out += "--" + boundary + "\r\n" + p;
  out += "--" + boundary + "--\r\n";
  return out;
}

// RFC 2231 filename parameter when the name is not plain ASCII, else a quoted string.
std::string filename_param(std::string_view name) {
  if (plain_ascii(name) && name.find_first_of("\"\\") == std::string_view::npos)
    return "filename=\"" + std::string(name) + "\"";
  std::string out = "filename*=utf-8''";
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : sanitize_utf8(name)) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool valid_media_type(std::string_view t) {
  auto slash = t.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == t.size()) return false;
  for (char c : t)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("/.+-_").find(c) != std::string_view::npos))
      return false;
  return true;
}

std::string attachment_part(const OutgoingAttachment& a) {
  std::string type = to_lower(a.content_type);
  if (!valid_media_type(type) || type.starts_with("multipart/") || type.starts_with("message/"))
    type = "application/octet-stream";
  std::string name = a.filename.empty() ? "attachment" : a.filename;
  return "Content-Type: " + type + "\r\nContent-Disposition: attachment; " + filename_param(name) +
         "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_lines(a.data);
}

struct ParsedList {
  std::vector<std::string> header_values;  // formatted mailboxes
  std::vector<std::string> addr_specs;
};

Result<ParsedList> parse_typed(const std::vector<std::string>& typed, std::string_view field) {
  ParsedList out;
  for (const auto& s : typed) {
    if (trim(s).empty()) continue;
    auto boxes = parse_mailboxes(s);
    bool ok = boxes.size() == 1 && !boxes[0].local_part.empty() && !boxes[0].domain.empty() &&
              boxes[0].domain.find_first_of(" <>\"") == std::string::npos;
    if (ok)
      for (char c : s)
        if (c == '\r' || c == '\n' || c == '\0') ok = false;
    if (!ok) return make_error("bad address in " + std::string(field) + ": \"" + std::string(trim(s)) + "\"", 400);
    out.header_values.push_back(format_mailbox(boxes[0].name, boxes[0].addr_spec()));
    out.addr_specs.push_back(boxes[0].addr_spec());
  }
  return out;
}

std::string address_header(std::string_view name, const std::vector<std::string>& values) {
  std::string out = std::string(name) + ": ";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ",\r\n " : "") + values[i];
  return out + "\r\n";
}

std::string bracketed(std::string_view id) {
  std::string s(trim(id));
  if (s.empty()) return s;
  if (s.front() != '<') s = "<" + s;
  if (s.back() != '>') s += ">";
  return s;
}

// Drops anything that could end a header line early.
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  return out;
}

}  // namespace

std::string encode_header_text(std::string_view utf8, size_t name_length) {
  std::string s = one_line(utf8);
  if (plain_ascii(s) && s.size() + name_length + 2 <= 78 && s.find("=?") == std::string::npos) return s;
  if (plain_ascii(s) && s.find("=?") == std::string::npos) {
    // Fold long ASCII at spaces (RFC 5322 §2.2.3).
    std::string out;
    size_t line = name_length + 2;
    for (auto word : split(s, ' ')) {
      if (!out.empty()) {
        if (line + 1 + word.size() > 76) {
          out += "\r\n ";
          line = 1;
        } else {
          out += ' ';
          ++line;
        }
      }
      out += word;
      line += word.size();
    }
    return out;
  }
  auto words = encoded_words(s);
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) out += (i ? "\r\n " : "") + words[i];
  return out;
}

std::string format_mailbox(std::string_view display_name, std::string_view addr_spec) {
  std::string name = one_line(display_name);
  if (trim(name).empty()) return std::string(addr_spec);
  std::string phrase;
  if (!plain_ascii(name)) {
    auto words = encoded_words(name);
    for (size_t i = 0; i < words.size(); ++i) phrase += (i ? "\r\n " : "") + words[i];
  } else {
    phrase = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += "\"";
  }
  return phrase + " <" + std::string(addr_spec) + ">";
}

std::string qp_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  size_t line = 0;
  auto emit = [&](std::string_view piece) {
    if (line + piece.size() > 75) {
      out += "=\r\n";
      line = 0;
    }
    out += piece;
    line += piece.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // Trailing whitespace before a line break must be encoded (RFC 2045 §6.7 rule 3).
      if (!out.empty() && (out.back() == ' ' || out.back() == '\t') && line > 0) {
        char ws = out.back();
        out.pop_back();
        --line;
        char enc[4] = {'=', hex[static_cast<unsigned char>(ws) >> 4], hex[static_cast<unsigned char>(ws) & 15], 0};
        emit(enc);
      }
      out += "\r\n";
      line = 0;
      ++i;
      continue;
    }
    bool literal = (c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t';
    // A '.' or "From " at the start of a line is encoded so no transport mangles it.
    if (line == 0 && (c == '.' || (c == 'F' && text.substr(i, 5) == "From "))) literal = false;
    if (literal) {
      char s[2] = {static_cast<char>(c), 0};
      emit(s);
    } else {
      char enc[4] = {'=', hex[c >> 4], hex[c & 15], 0};
      emit(enc);
    }
  }
  if (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out += "=\r\n";
  return out;
}

std::string format_rfc5322_date(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

Result<BuiltMessage> build_message(const MessageDraft& d) {
  auto from = parse_typed({d.from}, "From");
  if (!from) return from.error();
  if (from->addr_specs.size() != 1) return make_error("a From address is required", 400);
  auto to = parse_typed(d.to, "To");
  if (!to) return to.error();
  auto cc = parse_typed(d.cc, "Cc");
  if (!cc) return cc.error();
  auto bcc = parse_typed(d.bcc, "Bcc");
  if (!bcc) return bcc.error();
  auto reply_to = parse_typed(d.reply_to, "Reply-To");
  if (!reply_to) return reply_to.error();

  BuiltMessage built;
  built.envelope_from = from->addr_specs[0];
  std::set<std::string> seen;
  for (const auto* list : {&to.value(), &cc.value(), &bcc.value()})
    for (const auto& a : list->addr_specs)
      if (seen.insert(to_lower(a)).second) built.recipients.push_back(a);
  std::string domain = d.message_id_domain.empty() ? "localhost" : d.message_id_domain;
  built.message_id = "<" + random_hex(16) + "@" + domain + ">";

  std::string& m = built.message;
  m += "Date: " + format_rfc5322_date(d.date ? d.date : static_cast<int64_t>(std::time(nullptr))) + "\r\n";
  m += address_header("From", from->header_values);
  if (!reply_to->header_values.empty()) m += address_header("Reply-To", reply_to->header_values);
  if (!to->header_values.empty()) m += address_header("To", to->header_values);
  if (!cc->header_values.empty()) m += address_header("Cc", cc->header_values);
  if (d.keep_bcc && !bcc->header_values.empty()) m += address_header("Bcc", bcc->header_values);
  m += "Subject: " + encode_header_text(d.subject, 7) + "\r\n";
  m += "Message-ID: " + built.message_id + "\r\n";
  if (!trim(d.in_reply_to).empty()) m += "In-Reply-To: " + bracketed(one_line(d.in_reply_to)) + "\r\n";
  if (!trim(d.references).empty()) {
    std::string refs;
    const std::string references = one_line(d.references);
    for (auto id : split(references, ' '))
      if (!trim(id).empty()) refs += (refs.empty() ? "" : "\r\n ") + bracketed(id);
    m += "References: " + refs + "\r\n";
  }
  m += "MIME-Version: 1.0\r\n";

  std::string body = d.html.empty() ? text_part("plain", d.text)
                                    : multipart("alternative", {text_part("plain", d.text), text_part("html", d.html)});
  if (d.attachments.empty() && !d.forwarded) {
    m += body;
    return built;
  }
  std::vector<std::string> parts{body};
  for (const auto& a : d.attachments) parts.push_back(attachment_part(a));
  if (d.forwarded) {
    std::string fwd = crlf(*d.forwarded);
    bool binary = needs_transfer_encoding(fwd);
    parts.push_back("Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"forwarded.eml\"\r\n" +
                    std::string(binary ? "Content-Transfer-Encoding: 8bit\r\n" : "") + "\r\n" + fwd +
                    (fwd.ends_with("\r\n") ? "" : "\r\n"));
  }
  m += multipart("mixed", parts);
  return built;
}

}  // namespace claret::mime
