// RFC 5256 §2.1 base subject extraction (subj-trailer, subj-leader, subj-blob, subj-fwd) for SORT and THREAD.
#include "base/strings.hpp"
#include "mime/base_subject.hpp"

namespace claret::mime {
namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// Length of a subj-blob ("[" *BLOBCHAR "]" *WSP) at s[i], or 0.
size_t blob_length(std::string_view s, size_t i) {
  if (i >= s.size() || s[i] != '[') return 0;
  size_t j = i + 1;
  while (j < s.size() && s[j] != '[' && s[j] != ']') ++j;
  if (j >= s.size() || s[j] != ']') return 0;
  ++j;
  while (j < s.size() && is_wsp(s[j])) ++j;
  return j - i;
}

// Length of a subj-leader (*subj-blob subj-refwd, or WSP) at the start of s, or 0.
size_t leader_length(std::string_view s) {
  if (!s.empty() && is_wsp(s[0])) return 1;
  size_t i = 0;
  while (size_t b = blob_length(s, i)) i += b;
  // subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
  if (istarts_with(s.substr(i), "re")) {
    i += 2;
  } else if (istarts_with(s.substr(i), "fwd")) {
    i += 3;
  } else if (istarts_with(s.substr(i), "fw")) {
    i += 2;
  } else {
    return 0;
  }
  while (i < s.size() && is_wsp(s[i])) ++i;
  i += blob_length(s, i);
  if (i < s.size() && s[i] == ':') return i + 1;
  return 0;
}

}  // namespace

std::string base_subject(std::string_view subject) {
  // (1) whitespace runs (including unfolded line breaks) become one space.
  std::string s;
  s.reserve(subject.size());
  for (char c : subject) {
    if (c == '\t' || c == '\r' || c == '\n') c = ' ';
    if (c == ' ' && !s.empty() && s.back() == ' ') continue;
    s += c;
  }
  for (;;) {
    // (2) trailing subj-trailer "(fwd)" and whitespace.
    for (bool changed = true; changed;) {
      changed = false;
      while (!s.empty() && s.back() == ' ') {
        s.pop_back();
        changed = true;
      }
      if (s.size() >= 5 && iequals(std::string_view(s).substr(s.size() - 5), "(fwd)")) {
        s.resize(s.size() - 5);
        changed = true;
      }
    }
    // (3)-(5) leading subj-leaders and subj-blobs.
    for (bool changed = true; changed;) {
      changed = false;
      while (size_t n = leader_length(s)) {
        s.erase(0, n);
        changed = true;
      }
      if (const size_t b = blob_length(s, 0); b > 0 && b < s.size()) {
        s.erase(0, b);
        changed = true;
      }
    }
    // (6) "[fwd:" ... "]" wraps the whole subject.
    if (s.size() >= 6 && istarts_with(s, "[fwd:") && s.back() == ']') {
      s = s.substr(5, s.size() - 6);
      continue;
    }
    return s;
  }
}

}  // namespace claret::mime
