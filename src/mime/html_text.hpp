// Plain text from HTML for previews and search (HTML Living Standard §13.2 tokenization, much simplified).
#pragma once

#include <string>
#include <string_view>

namespace claret::mime {

// Drops tags, comments, <script>, <style>, <head> and <title> content, turns block-level tags into line
// breaks and decodes character references (named: the common ones; numeric: all). Input and output are UTF-8.
std::string html_to_text(std::string_view html);

}  // namespace claret::mime
