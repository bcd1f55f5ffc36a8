// Message structure parser: RFC 5322 §2.1-§2.2 (header/body), RFC 2045 §5.2 (defaults), RFC 2046 §5.1.1
// (boundaries; the line break before a delimiter belongs to it), §5.1.5 (digest default), §5.2.1 (message/rfc822).
#include "mime/message.hpp"

#include <algorithm>
#include <cstring>

#include "base/strings.hpp"

namespace claret::mime {

bool Part::is_type(std::string_view type, std::string_view subtype) const {
  return content_type.type == type && (subtype.empty() || content_type.subtype == subtype);
}

std::optional<std::string_view> ParsedMessage::header(const Part& p, std::string_view name) const {
  for (const auto& f : headers(p))
    if (iequals(f.name, name)) return f.value;
  return std::nullopt;
}

std::vector<std::string_view> ParsedMessage::headers_named(const Part& p, std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& f : headers(p))
    if (iequals(f.name, name)) out.push_back(f.value);
  return out;
}

std::vector<uint32_t> ParsedMessage::children(const Part& p) const {
  std::vector<uint32_t> out;
  out.reserve(p.child_count);
  for (int32_t c = p.first_child; c >= 0; c = parts_[static_cast<size_t>(c)].next_sibling)
    out.push_back(static_cast<uint32_t>(c));
  return out;
}

const Part* ParsedMessage::embedded(const Part& p) const {
  if (p.kind != PartKind::kMessage || p.first_child < 0) return nullptr;
  return &parts_[static_cast<size_t>(p.first_child)];
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view raw) : raw_(raw) {}

  ParsedMessage run() {
    size_t begin = 0;
    // An mbox "From " separator line is not part of the message (RFC 4155).
    if (raw_.size() >= 5 && raw_.compare(0, 5, "From ") == 0) begin = line_next(0, raw_.size());
    parts_.reserve(8);
    fields_.reserve(32);
    parse_entity(begin, raw_.size(), -1, 0, false, false);
    return ParsedMessage(raw_, std::move(parts_), std::move(fields_));
  }

 private:
  // Offset just past the line that starts at `pos` (past its LF), bounded by `end`.
  size_t line_next(size_t pos, size_t end) const {
    const void* nl = std::memchr(raw_.data() + pos, '\n', end - pos);
    return nl ? static_cast<size_t>(static_cast<const char*>(nl) - raw_.data()) + 1 : end;
  }

  // Content end of the line [pos, next): without its CRLF or LF.
  size_t line_content_end(size_t pos, size_t next) const {
    size_t e = next;
    if (e > pos && raw_[e - 1] == '\n') --e;
    if (e > pos && raw_[e - 1] == '\r') --e;
    return e;
  }

  static bool is_ftext(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 32 && u != 127 && c != ':';
  }

  // Parses the header block at [begin, end) into fields_; returns the offset where the body starts.
  size_t parse_header(size_t begin, size_t end, Part& part) {
    part.first_header = static_cast<uint32_t>(fields_.size());
    size_t pos = begin;
    bool have_field = false;
    while (pos < end) {
      const size_t next = line_next(pos, end);
      const size_t content_end = line_content_end(pos, next);
      if (content_end == pos) return next;  // the blank line ending the header (included in header_size)
      const char first = raw_[pos];
      if (first == ' ' || first == '\t') {
        // Folded continuation; without a preceding field there is nothing to continue and it is skipped.
        if (have_field) {
          HeaderField& f = fields_.back();
          f.value = raw_.substr(static_cast<size_t>(f.value.data() - raw_.data()),
                                content_end - static_cast<size_t>(f.value.data() - raw_.data()));
        }
        pos = next;
        continue;
      }
      size_t name_end = pos;
      while (name_end < content_end && is_ftext(raw_[name_end])) ++name_end;
      size_t colon = name_end;
      while (colon < content_end && (raw_[colon] == ' ' || raw_[colon] == '\t')) ++colon;  // obs-FWS before ':'
      if (name_end == pos || colon >= content_end || raw_[colon] != ':') {
        // Not a header field: the header has ended without a blank line and this line starts the body.
        return pos;
      }
      HeaderField f;
      f.name = raw_.substr(pos, name_end - pos);
      f.value = raw_.substr(colon + 1, content_end - colon - 1);
      f.offset = pos;
      fields_.push_back(f);
      ++part.header_count;
      have_field = true;
      pos = next;
    }
    return end;
  }

  std::optional<std::string_view> find_field(const Part& p, std::string_view name) const {
    for (uint32_t i = 0; i < p.header_count; ++i) {
      const HeaderField& f = fields_[p.first_header + i];
      if (iequals(f.name, name)) return f.value;
    }
    return std::nullopt;
  }

  size_t count_lines(size_t offset, size_t size) const {
    if (size == 0) return 0;
    const char* b = raw_.data() + offset;
    size_t n = static_cast<size_t>(std::count(b, b + size, '\n'));
    if (b[size - 1] != '\n') ++n;
    return n;
  }

  // Does the line [pos, content_end) delimit `boundary`? Returns 0 no, 1 delimiter, 2 close-delimiter.
  int match_boundary(size_t pos, size_t content_end, std::string_view boundary) const {
    const size_t len = content_end - pos;
    if (len < 2 + boundary.size() || raw_[pos] != '-' || raw_[pos + 1] != '-') return 0;
    if (raw_.compare(pos + 2, boundary.size(), boundary) != 0) return 0;
    size_t i = pos + 2 + boundary.size();
    if (i + 2 <= content_end && raw_[i] == '-' && raw_[i + 1] == '-') return 2;
    for (; i < content_end; ++i)  // transport padding only (RFC 2046 §5.1.1)
      if (raw_[i] != ' ' && raw_[i] != '\t') return 0;
    return 1;
  }

  void link_child(int32_t parent, int32_t child, int32_t& last_child) {
    Part& p = parts_[static_cast<size_t>(parent)];
    if (last_child < 0) {
      p.first_child = child;
    } else {
      parts_[static_cast<size_t>(last_child)].next_sibling = child;
    }
    ++p.child_count;
    last_child = child;
  }

  // Parses one entity occupying [begin, end). `in_digest`: its parent is multipart/digest, so the default
  // type is message/rfc822. `no_header`: a synthetic part made from a multipart body with no boundaries.
  int32_t parse_entity(size_t begin, size_t end, int32_t parent, uint32_t depth, bool in_digest, bool no_header) {
    const auto index = static_cast<int32_t>(parts_.size());
    parts_.emplace_back();
    {
      Part& part = parts_.back();
      part.parent = parent;
      part.depth = depth;
      part.header_offset = begin;
      const size_t body = no_header ? begin : parse_header(begin, end, part);
      part.header_size = body - begin;
      part.body_offset = body;
      part.body_size = end - body;
      part.body_lines = count_lines(body, end - body);

      if (auto ct = find_field(part, "content-type")) {
        part.content_type = parse_content_type(*ct);
        part.content_type_present = !part.content_type.type.empty();
        if (!part.content_type_present) part.content_type.params.clear();
      }
      if (!part.content_type_present) {
        if (in_digest) {
          part.content_type.type = "message";
          part.content_type.subtype = "rfc822";
        } else {
          part.content_type.type = "text";
          part.content_type.subtype = "plain";
          part.content_type.params = {Param{"charset", "us-ascii", false, {}}};
        }
      }
      if (auto cte = find_field(part, "content-transfer-encoding")) part.encoding = to_lower(trim(*cte));
      if (part.encoding.empty()) part.encoding = "7bit";
    }

    Part& part = parts_[static_cast<size_t>(index)];
    if (part.content_type.type == "multipart" && depth < kMaxDepth) {
      part.kind = PartKind::kMultipart;
      const Param* b = find_param(part.content_type.params, "boundary");
      std::string boundary = b ? b->value : std::string();
      parse_multipart_body(index, boundary, depth, part.content_type.subtype == "digest");
    } else if (part.content_type.type == "message" &&
               (part.content_type.subtype == "rfc822" || part.content_type.subtype == "global") &&
               depth < kMaxDepth && part.encoding != "base64" && part.encoding != "quoted-printable") {
      part.kind = PartKind::kMessage;
      const size_t body_offset = part.body_offset;
      int32_t last = -1;
      const int32_t child = parse_entity(body_offset, end, index, depth + 1, false, false);
      link_child(index, child, last);
    }
    return index;
  }

  void parse_multipart_body(int32_t index, const std::string& boundary, uint32_t depth, bool digest) {
    const size_t body_begin = parts_[static_cast<size_t>(index)].body_offset;
    const size_t body_end = body_begin + parts_[static_cast<size_t>(index)].body_size;
    int32_t last = -1;
    if (!boundary.empty()) {
      size_t pos = body_begin;
      size_t part_start = std::string_view::npos;
      bool closed = false;
      while (pos < body_end && parts_.size() < kMaxParts) {
        const size_t next = line_next(pos, body_end);
        if (raw_[pos] == '-') {
          const int m = match_boundary(pos, line_content_end(pos, next), boundary);
          if (m != 0) {
            if (part_start != std::string_view::npos) {
              size_t seg_end = pos;
              if (seg_end > part_start && raw_[seg_end - 1] == '\n') --seg_end;
              if (seg_end > part_start && raw_[seg_end - 1] == '\r') --seg_end;
              link_child(index, parse_entity(part_start, seg_end, index, depth + 1, digest, false), last);
            }
            if (m == 2) {
              closed = true;
              break;
            }
            part_start = next;
          }
        }
        pos = next;
      }
      // A missing close-delimiter: the last part runs to the end of the multipart body.
      if (!closed && part_start != std::string_view::npos && parts_.size() < kMaxParts)
        link_child(index, parse_entity(part_start, body_end, index, depth + 1, digest, false), last);
    }
    if (parts_[static_cast<size_t>(index)].child_count == 0) {
      // No boundary found: keep the whole body as one text part so every multipart has a child (IMAP needs
      // one) and no byte is lost.
      link_child(index, parse_entity(body_begin, body_end, index, depth + 1, false, true), last);
    }
  }

  std::string_view raw_;
  std::vector<Part> parts_;
  std::vector<HeaderField> fields_;
};

}  // namespace

ParsedMessage parse(std::string_view raw) { return Parser(raw).run(); }

}  // namespace claret::mime
