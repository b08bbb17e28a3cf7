// What do a page's bytes and strings say as display text? String helpers, HTML entities, the
// display-text buffer and the charset a page declares.
#include "parsers/html/internal.hpp"

#include "text/ascii.hpp"
#include "text/utf8.hpp"

#include <libxml/HTMLparser.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dossier::detail::html {
namespace {

// The HTML spec has browsers look for the charset in the first 1024 bytes; saved pages often
// carry long comments or inline styles first, so we look a little further.
constexpr std::size_t kCharsetScanBytes = 4096;

}  // namespace

// ---------------------------------------------------------------------------------------------
// Small string helpers (ASCII-only case handling: HTML names and attribute tokens are ASCII).

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

WordSet word_set(std::string_view words, char separator) {
  WordSet set;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= words.size(); ++i) {
    if (i == words.size() || words[i] == separator) {
      if (i > start) set.insert(words.substr(start, i - start));
      start = i + 1;
    }
  }
  return set;
}

std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (is_ascii_alnum(c)) out += ascii_lower(c);
    // Non-ASCII bytes are kept so that names in other scripts still compare.
    if (static_cast<unsigned char>(c) >= 0x80) out += c;
  }
  if (out.size() > 3 && out.compare(0, 3, "the") == 0 && istarts_with(trim(s), "the ")) {
    out.erase(0, 3);
  }
  return out;
}

std::string decode_entities(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    const std::size_t semi = s.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 32) {
      out += s[i++];
      continue;
    }
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    std::uint32_t cp = 0;
    bool ok = false;
    if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      ok = !digits.empty() && digits.size() <= 8;
      for (char c : digits) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0) {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16U : 10U) + static_cast<std::uint32_t>(v);
      }
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
    } else if (!name.empty()) {
      const std::string key(name);
      if (const htmlEntityDesc* entity =
              htmlEntityLookup(reinterpret_cast<const xmlChar*>(key.c_str()))) {
        cp = entity->value;
        ok = true;
      }
    }
    if (!ok) {
      out += s[i++];
      continue;
    }
    append_utf8(out, cp);
    i = semi + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Display text: white space collapsed, invisible and exotic spaces normalised.

void TextBuffer::append(std::string_view text, bool in_link) {
  bool in_cdata = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    // Body-level <![CDATA[...]]> reaches us as literal text; browsers never show the markers.
    if (c == '<' && text.compare(i, 9, "<![CDATA[") == 0) {
      in_cdata = true;
      i += 8;
      continue;
    }
    if (in_cdata && c == ']' && text.compare(i, 3, "]]>") == 0) {
      in_cdata = false;
      i += 2;
      continue;
    }
    if (is_ascii_space(c)) {
      space();
      continue;
    }
    // U+0000 (from "\u0000" in JSON-LD, say) and other controls are never display text.
    if (u < 0x20 || u == 0x7F) continue;
    if (u == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next == 0xA0) {  // no-break space
        space();
        ++i;
        continue;
      }
      if (next == 0xAD) {  // soft hyphen: invisible, and it would split search terms
        ++i;
        continue;
      }
    }
    if (u == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if ((third >= 0x80 && third <= 0x8A) || third == 0xAF) {  // en/em/thin/narrow spaces
        space();
        i += 2;
        continue;
      }
      if (third == 0x8B) {  // zero-width space
        i += 2;
        continue;
      }
    }
    if (u == 0xE3 && text.compare(i, 3, "\xE3\x80\x80") == 0) {  // ideographic space
      space();
      i += 2;
      continue;
    }
    if (u == 0xEF && text.compare(i, 3, "\xEF\xBB\xBF") == 0) {  // stray BOM / ZWNBSP
      i += 2;
      continue;
    }
    if (pending_separator_) {
      text_ += " | ";
    } else if (pending_space_) {
      text_ += ' ';
    }
    pending_separator_ = false;
    pending_space_ = false;
    text_ += c;
    ++chars_;
    if (in_link) ++link_chars_;
  }
}

std::string clean_value(std::string_view raw) {
  TextBuffer buffer;
  buffer.append(raw, false);
  return buffer.take();
}

// ---------------------------------------------------------------------------------------------
// Charset declaration: a byte scan, as browsers pre-scan, before anything is decoded.

std::string declared_charset(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return "UTF-8";
  // UTF-32 first: its little-endian BOM starts with UTF-16LE's.
  if (bytes.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) return "UTF-32LE";
  if (bytes.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) return "UTF-32BE";
  if (bytes.substr(0, 2) == "\xFF\xFE") return "UTF-16LE";
  if (bytes.substr(0, 2) == "\xFE\xFF") return "UTF-16BE";
  const std::string_view head = bytes.substr(0, kCharsetScanBytes);
  std::size_t pos = 0;
  while ((pos = ifind(head, "<meta", pos)) != std::string_view::npos) {
    const std::size_t tag_end = head.find('>', pos);
    const std::string_view tag = head.substr(
        pos, tag_end == std::string_view::npos ? std::string_view::npos : tag_end - pos);
    pos += 5;
    // Both <meta charset="x"> and content="text/html; charset=x" put "charset" before "=".
    for (std::size_t at = ifind(tag, "charset"); at != std::string_view::npos;
         at = ifind(tag, "charset", at + 7)) {
      std::size_t i = at + 7;
      while (i < tag.size() && is_ascii_space(tag[i])) ++i;
      if (i >= tag.size() || tag[i] != '=') continue;
      ++i;
      while (i < tag.size() && (is_ascii_space(tag[i]) || tag[i] == '"' || tag[i] == '\'')) ++i;
      const std::size_t start = i;
      while (i < tag.size() && (is_ascii_alnum(tag[i]) || tag[i] == '-' || tag[i] == '_' ||
                                tag[i] == '.' || tag[i] == ':')) {
        ++i;
      }
      if (i > start) return std::string(tag.substr(start, i - start));
    }
  }
  return {};
}

}  // namespace dossier::detail::html
