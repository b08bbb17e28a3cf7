// ICU normalisation: fold_key, normalize() flags and UTF-8 validation.
#include "text/normalize.hpp"

#include <dossier/error.hpp>
#include <dossier/text.hpp>

#include <catch2/catch.hpp>

#include <string>

using dossier::detail::first_invalid_utf8;
using dossier::detail::normalize;

TEST_CASE("fold_key merges case, accent, spacing and punctuation variants", "[text]") {
  struct Case {
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {"Wendy Cutler", "wendy cutler"},
      {"WENDY CUTLER", "wendy cutler"},
      {"  Wendy \t\n Cutler  ", "wendy cutler"},
      {"Wendy\u00a0Cutler", "wendy cutler"},  // no-break space
      {"Sánchez", "sanchez"},                 // precomposed é
      {"Sa\u0301nchez", "sanchez"},           // e + combining acute
      {"Straße", "strasse"},                  // case folding, not lower-casing
      {"Moon Jae\u2011in", "moon jae-in"},    // non-breaking hyphen
      {"O\u2019Hanlon", "o'hanlon"},          // typographic apostrophe
      {"\u201cmaximum pressure\u201d", "\"maximum pressure\""},
      {"ﬁnance", "finance"},                 // NFKC ligature
      {"Đoàn Thị Hương", "đoan thi huong"},  // đ has no decomposition: kept
      {"", ""},
      {"   ", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(dossier::fold_key(c.input) == c.expected);
  }
}

TEST_CASE("fold_key rejects invalid UTF-8 with the byte offset", "[text]") {
  try {
    (void)dossier::fold_key("abc\xc3(");
    FAIL("no exception");
  } catch (const dossier::Error& e) {
    CHECK(e.code() == dossier::ErrorCode::kInvalidArgument);
    CHECK(std::string(e.what()).find("byte 3") != std::string::npos);
  }
}

TEST_CASE("normalize applies only the steps asked for", "[text]") {
  using namespace dossier::detail;
  const std::string decomposed = "Sa\u0301nchez \u2014 \u201cU.S.\u201d";
  CHECK(normalize(decomposed, kNfcOnly) == "S\u00e1nchez \u2014 \u201cU.S.\u201d");
  CHECK(normalize(decomposed, kStripAccents) == "Sanchez \u2014 \u201cU.S.\u201d");
  CHECK(normalize(decomposed, kAsciiPunct) == "S\u00e1nchez - \"U.S.\"");
  CHECK(normalize(decomposed, kFoldCase) == "s\u00e1nchez \u2014 \u201cu.s.\u201d");
  CHECK(normalize("a \n\n b ", kCollapseSpace) == "a b");
}

TEST_CASE("first_invalid_utf8 finds the first ill-formed byte", "[text]") {
  struct Case {
    std::string bytes;
    std::size_t expected;
  };
  const auto npos = std::string::npos;
  const Case cases[] = {
      {"plain ascii", npos},
      {"caf\xc3\xa9", npos},              // é
      {"\xf0\x9f\x98\x80", npos},         // U+1F600, 4 bytes
      {"caf\xe9", 3},                     // Latin-1 é
      {"\xc0\xaf", 0},                    // overlong '/'
      {"ab\xed\xa0\x80", 2},              // UTF-16 surrogate D800
      {"\xf4\x90\x80\x80", 0},            // past U+10FFFF
      {"ok\xe2\x82", 2},                  // truncated sequence
      {std::string("nul\0ok", 6), npos},  // NUL is valid UTF-8 (callers reject it separately)
  };
  for (const auto& c : cases) {
    CAPTURE(c.bytes);
    CHECK(first_invalid_utf8(c.bytes) == c.expected);
  }
  CHECK(dossier::is_valid_utf8("caf\xc3\xa9"));
  CHECK_FALSE(dossier::is_valid_utf8("caf\xe9"));
}
