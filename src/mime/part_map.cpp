// Part map: RFC 3501 §6.4.5 section-spec resolution over stored part byte ranges.
#include "mime/part_map.hpp"

#include "base/strings.hpp"

namespace claret::mime {
namespace {

char kind_letter(PartKind k) {
  switch (k) {
    case PartKind::kMultipart:
      return 'M';
    case PartKind::kMessage:
      return 'R';
    case PartKind::kLeaf:
      break;
  }
  return 'L';
}

}  // namespace

PartMap PartMap::from_message(const ParsedMessage& msg) {
  PartMap map;
  map.nodes_.reserve(msg.parts().size());
  for (const Part& p : msg.parts()) {
    Node n;
    n.parent = p.parent;
    n.kind = p.kind;
    n.header_offset = p.header_offset;
    n.header_size = p.header_size;
    n.body_size = p.body_size;
    map.nodes_.push_back(n);
  }
  for (size_t i = 1; i < map.nodes_.size(); ++i)
    map.nodes_[static_cast<size_t>(map.nodes_[i].parent)].children.push_back(static_cast<uint32_t>(i));
  return map;
}

std::string serialize_part_map(const ParsedMessage& msg) {
  std::string out = "PM1 " + std::to_string(msg.parts().size()) + "\n";
  for (const Part& p : msg.parts()) {
    out += std::to_string(p.parent);
    out += ' ';
    out += kind_letter(p.kind);
    out += ' ';
    out += std::to_string(p.header_offset);
    out += ' ';
    out += std::to_string(p.header_size);
    out += ' ';
    out += std::to_string(p.body_size);
    out += '\n';
  }
  return out;
}

Result<PartMap> parse_part_map(std::string_view text) {
  std::vector<std::string_view> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.empty() || !lines[0].starts_with("PM1 ")) return make_error("part map: unknown version");
  const auto count = parse_u64(lines[0].substr(4));
  if (!count || *count == 0 || *count != lines.size() - 1) return make_error("part map: bad part count");
  PartMap map;
  map.nodes_.reserve(*count);
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto f = split(lines[i], ' ');
    if (f.size() != 5 || f[1].size() != 1) return make_error("part map: bad line " + std::to_string(i));
    PartMap::Node n;
    const size_t index = i - 1;
    if (index == 0) {
      if (f[0] != "-1") return make_error("part map: root has a parent");
    } else {
      const auto parent = parse_u64(f[0]);
      if (!parent || *parent >= index) return make_error("part map: bad parent on line " + std::to_string(i));
      n.parent = static_cast<int32_t>(*parent);
      if (map.nodes_[*parent].kind == PartKind::kLeaf) return make_error("part map: child of a leaf");
    }
    switch (f[1][0]) {
      case 'L': n.kind = PartKind::kLeaf; break;
      case 'M': n.kind = PartKind::kMultipart; break;
      case 'R': n.kind = PartKind::kMessage; break;
      default: return make_error("part map: bad kind on line " + std::to_string(i));
    }
    const auto ho = parse_u64(f[2]), hs = parse_u64(f[3]), bs = parse_u64(f[4]);
    if (!ho || !hs || !bs || *hs > UINT64_MAX - *ho || *bs > UINT64_MAX - *ho - *hs)
      return make_error("part map: bad range on line " + std::to_string(i));
    n.header_offset = *ho;
    n.header_size = *hs;
    n.body_size = *bs;
    if (index > 0) map.nodes_[static_cast<size_t>(n.parent)].children.push_back(static_cast<uint32_t>(index));
    map.nodes_.push_back(n);
  }
  for (const auto& n : map.nodes_) {
    if (n.kind == PartKind::kMessage && n.children.size() != 1) return make_error("part map: message without child");
    if (n.kind == PartKind::kMultipart && n.children.empty()) return make_error("part map: empty multipart");
  }
  return map;
}

// Walks a part number path (RFC 3501 §6.4.5): in a message, a multipart body's parts are numbered from 1 and
// a non-multipart body is part 1; a message/rfc822 part's numbers continue inside its embedded message.
std::optional<size_t> PartMap::resolve_path(const std::vector<uint64_t>& path) const {
  size_t cur = 0;
  bool in_message = true;  // `cur` is a message whose parts are being numbered
  for (uint64_t n : path) {
    if (!in_message) {
      if (nodes_[cur].kind == PartKind::kMessage) {
        cur = nodes_[cur].children[0];
      } else if (nodes_[cur].kind == PartKind::kMultipart) {
        if (n > nodes_[cur].children.size()) return std::nullopt;
        cur = nodes_[cur].children[n - 1];
        continue;
      } else {
        return std::nullopt;
      }
    }
    if (nodes_[cur].kind == PartKind::kMultipart) {
      if (n > nodes_[cur].children.size()) return std::nullopt;
      cur = nodes_[cur].children[n - 1];
    } else if (n != 1) {
      return std::nullopt;
    }
    in_message = false;
  }
  return cur;
}

std::optional<ByteRange> PartMap::find(std::string_view section) const {
  if (nodes_.empty()) return std::nullopt;
  // "HEADER.FIELDS (A.B C)": the field list is the caller's business; the range is the header's.
  if (const size_t paren = section.find('('); paren != std::string_view::npos) section = trim(section.substr(0, paren));
  std::vector<uint64_t> path;
  std::string suffix;
  if (!section.empty()) {
    const auto tokens = split(section, '.');
    size_t k = 0;
    for (; k < tokens.size(); ++k) {
      const auto n = parse_u64(tokens[k]);
      if (!n) break;
      if (*n == 0) return std::nullopt;
      path.push_back(*n);
    }
    for (size_t j = k; j < tokens.size(); ++j) {
      if (tokens[j].empty()) return std::nullopt;  // "1..2", "1."
      if (j > k) suffix += '.';
      suffix += to_upper(tokens[j]);
    }
  }

  auto header_of = [&](size_t k) { return ByteRange{nodes_[k].header_offset, nodes_[k].header_size}; };
  auto body_of = [&](size_t k) {
    return ByteRange{nodes_[k].header_offset + nodes_[k].header_size, nodes_[k].body_size};
  };
  const bool header_suffix = suffix == "HEADER" || suffix == "HEADER.FIELDS" || suffix == "HEADER.FIELDS.NOT";

  if (path.empty()) {
    if (suffix.empty()) return ByteRange{nodes_[0].header_offset, nodes_[0].header_size + nodes_[0].body_size};
    if (header_suffix) return header_of(0);
    if (suffix == "TEXT") return body_of(0);
    return std::nullopt;
  }
  const auto part = resolve_path(path);
  if (!part) return std::nullopt;
  if (suffix.empty()) return body_of(*part);
  if (suffix == "MIME") return header_of(*part);
  if (header_suffix || suffix == "TEXT") {
    if (nodes_[*part].kind != PartKind::kMessage) return std::nullopt;
    const size_t inner = nodes_[*part].children[0];
    return header_suffix ? header_of(inner) : body_of(inner);
  }
  return std::nullopt;
}

}  // namespace claret::mime
