// Encoding detection and conversion: BOMs, declared charsets, UTF-8, detection, 1252, errors.
#include "text/encoding.hpp"

#include "text/normalize.hpp"

#include <dossier/error.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

using dossier::detail::decode_to_utf8;
using dossier::detail::looks_binary;

namespace {

std::string bytes_of(const char* data, std::size_t size) {
  return std::string(data, size);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::filesystem::path fixture(const char* name) {
  return std::filesystem::path(DOSSIER_TEST_DATA) / "encoding" / name;
}

// `text` as UTF-32 code units in the given byte order, after `prefix` (a BOM, or other bytes).
std::string utf32(std::u32string_view text, bool little_endian, std::string_view prefix) {
  std::string out(prefix);
  for (const char32_t c : text) {
    const auto v = static_cast<std::uint32_t>(c);
    for (int i = 0; i < 4; ++i) {
      const int shift = little_endian ? 8 * i : 8 * (3 - i);
      out += static_cast<char>((v >> shift) & 0xFFU);
    }
  }
  return out;
}

constexpr std::string_view kUtf32LeBom("\xFF\xFE\0\0", 4);
constexpr std::string_view kUtf32BeBom("\0\0\xFE\xFF", 4);

bool valid_utf8(const std::string& s) {
  return dossier::detail::first_invalid_utf8(s) == std::string::npos;
}

}  // namespace

TEST_CASE("looks_binary flags NUL bytes and control-heavy prefixes only", "[encoding]") {
  struct Case {
    std::string input;
    bool expected;
  };
  const Case cases[] = {
      {"", false},
      {"plain text\n", false},
      {"tabs\tform\ffeeds\r\nand line ends\n", false},
      {bytes_of("a\0b", 3), true},
      {"caf\xC3\xA9 \xE9 8-bit text is not binary", false},
      {"\x01\x02\x03 abc", true},                              // 3 of 7 are controls
      {"\x1B" + std::string(9, 'x'), false},                   // exactly 10%: text
      {"\x1B\x1B" + std::string(9, 'x'), true},                // over 10%
      {std::string(8192, 'x') + std::string(1, '\0'), false},  // NUL after 8 KiB
      {bytes_of("\xFF\xFEh\0i\0", 6), false},                  // UTF-16LE with BOM
      {bytes_of("\xFE\xFF\0h\0i", 6), false},                  // UTF-16BE with BOM
      {bytes_of("\xFF\xFE\0\0h\0\0\0", 8), false},             // UTF-32LE with BOM
      {bytes_of("\0\0\xFE\xFF\0\0\0h", 8), false},             // UTF-32BE with BOM
      {bytes_of("\0\0\0h\0\0\0i", 8), true},                   // UTF-32 without BOM
      {bytes_of("h\0e\0l\0l\0o\0\n\0", 12), false},            // UTF-16LE, no BOM
      {bytes_of("\0h\0e\0l\0l\0o\0\t", 12), false},            // UTF-16BE, no BOM
      {bytes_of("h\0\0\0e\0l\0l\0o\0", 12), true},             // U+0000 in UTF-16
      {bytes_of("\x01\0\x02\0e\0l\0l\0o\0", 12), true},        // controls in UTF-16
      {bytes_of("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16), true},   // a PNG header
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(looks_binary(c.input) == c.expected);
  }
}

TEST_CASE("decode_to_utf8 follows BOM, declared, UTF-8, detector, windows-1252", "[encoding]") {
  struct Case {
    std::string input;
    const char* declared;
    std::string expected;
    const char* encoding;
    bool converted;
  };
  const Case cases[] = {
      // Valid UTF-8 as is; line ends; NFC.
      {"", "", "", "UTF-8", false},
      {"hello", "", "hello", "UTF-8", false},
      {"caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D", "", "caf\u00e9 \u201cq\u201d", "UTF-8", false},
      {"a\r\nb\rc\nd\r", "", "a\nb\nc\nd\n", "UTF-8", false},
      {"\r\r\n\n", "", "\n\n\n", "UTF-8", false},
      {"Sa\xCC\x81nchez", "", "S\u00e1nchez", "UTF-8", false},     // NFD -> NFC
      {"\xE1\x84\x80\xE1\x85\xA1", "", "\uac00", "UTF-8", false},  // conjoining jamo -> syllable
      {bytes_of("a\0b", 3), "", bytes_of("a\0b", 3), "UTF-8", false},  // NUL is valid UTF-8
      // BOMs win and are removed.
      {"\xEF\xBB\xBF"
       "caf\xC3\xA9\r\n",
       "", "caf\u00e9\n", "UTF-8", false},
      {"\xEF\xBB\xBF"
       "caf\xC3\xA9",
       "windows-1252", "caf\u00e9", "UTF-8", false},
      {"\xEF\xBB\xBF"
       "a\xFF"
       "b",
       "", "a\ufffdb", "UTF-8 (1 invalid byte replaced)", true},  // stray byte after a BOM
      {bytes_of("\xFF\xFEh\0i\0\r\0\n\0", 10), "", "hi\n", "UTF-16LE", true},
      {bytes_of("\xFE\xFF\0h\0i", 6), "", "hi", "UTF-16BE", true},
      {bytes_of("\xFF\xFE\x3D\xD8\x00\xDE", 6), "", "\U0001F600", "UTF-16LE", true},
      {bytes_of("\xFF\xFEh\0i", 5), "", "h\ufffd", "UTF-16LE", true},         // odd length
      {bytes_of("\xFF\xFE\x00\xD8h\0", 6), "", "\ufffdh", "UTF-16LE", true},  // lone surrogate
      {bytes_of("\xFF\xFE"
                "e\0\x01\x03",
                6),
       "", "\u00e9", "UTF-16LE", true},  // NFC after decoding
      // Declared encodings; ISO-8859-1 and US-ASCII read as windows-1252.
      {"caf\xE9 \x93q\x94", "iso-8859-1", "caf\u00e9 \u201cq\u201d", "windows-1252", true},
      {"caf\xE9", " \"ISO-8859-1\" ", "caf\u00e9", "windows-1252", true},
      {"\x80"
       "5",
       "us-ascii", "\u20ac5", "windows-1252", true},
      {"\x80"
       "5",
       "latin1", "\u20ac5", "windows-1252", true},
      {"\xCF\xF0\xE8\xE2\xE5\xF2", "windows-1251", "\u041f\u0440\u0438\u0432\u0435\u0442",
       "windows-1251", true},
      {"\x93\xFA\x96\x7B", "shift_jis", "\u65e5\u672c", "Shift_JIS", true},
      {"\xC8\xD5\xB1\xBE", "gbk", "\u65e5\u672c", "GBK", true},
      {"caf\xE9", "utf-8", "caf\u00e9", "windows-1252", true},  // declared UTF-8 is wrong
      {"caf\xC3\xA9", "utf8", "caf\u00e9", "UTF-8", false},
      {"caf\xC3\xA9", "iso-8859-1", "caf\u00e9", "UTF-8", false},  // mislabelled page
      {"hello", "utf-16", "hello", "UTF-8", false},
      {"hello\r\n", "iso-8859-1", "hello\n", "windows-1252", false},  // ASCII: nothing converted
      {"hello", "shift_jis", "hello", "Shift_JIS", false},
      {"\x1B$B$3$s\x1B(B", "iso-2022-jp", "\u3053\u3093", "ISO-2022-JP",
       true},  // 7-bit, converted  // impossible in markup
      {"\x81\x8D\x8F\x90\x9D", "windows-1252", "\u0081\u008d\u008f\u0090\u009d", "windows-1252",
       true},
      {"\x93\xFA\x96", "shift_jis", "\u201c\u00fa\u2013", "windows-1252", true},  // truncated
      // UTF-16 without a BOM.
      {bytes_of("h\0e\0l\0l\0o\0", 10), "", "hello", "UTF-16LE", true},
      {bytes_of("\0h\0e\0l\0l\0o", 10), "", "hello", "UTF-16BE", true},
      {bytes_of("h\0i\0", 4), "utf-16le", "hi", "UTF-16LE", true},
      // Undeclared 8-bit text.
      {"caf\xE9", "", "caf\u00e9", "windows-1252", true},
      {"\x93Quoted\x94 \x97 \x80"
       "5\r\n",
       "", "\u201cQuoted\u201d \u2014 \u20ac5\n", "windows-1252", true},
      {"Chelsea paid \xA3"
       "15.8m on Monday.",
       "", "Chelsea paid \u00a315.8m on Monday.", "windows-1252", true},
      {"Jos\xE9 Mar\xED"
       "a spoke.",
       "", "Jos\u00e9 Mar\u00eda spoke.", "windows-1252", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input, c.declared);
    const auto decoded = decode_to_utf8(c.input, c.declared);
    CHECK(decoded.utf8 == c.expected);
    CHECK(decoded.encoding == c.encoding);
    CHECK(decoded.converted == c.converted);
    CHECK(valid_utf8(decoded.utf8));
  }
}

TEST_CASE("decode_to_utf8 throws kParse with the reason when bytes cannot be decoded",
          "[encoding]") {
  struct Case {
    std::string input;
    const char* declared;
    const char* reason;
  };
  const Case cases[] = {
      {bytes_of("h\0e\0l\0l\0o\0 \0\x00\xD8w\0o\0r\0l\0d\0!\0", 26), "",
       "not valid UTF-16LE (at byte 12)"},
      {bytes_of("h\0e\0l\0l\0o\0 \0w\0", 15), "", "odd length"},
      {bytes_of("\x7F"
                "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3E\0\xFF",
                21),
       "no-such-charset", "look binary"},  // an unknown label does not make binary text
      {bytes_of("\x7F"
                "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3E\0\xFF",
                21),
       "", "look binary"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input, c.declared);
    try {
      (void)decode_to_utf8(c.input, c.declared);
      FAIL("no exception");
    } catch (const dossier::Error& e) {
      CHECK(e.code() == dossier::ErrorCode::kParse);
      CHECK_THAT(e.what(), Catch::Contains(c.reason));
    }
  }
}

TEST_CASE("decode_to_utf8 reads the fixture files", "[encoding]") {
  const std::string note = "Sample text invented for Dossier's encoding tests.\n";
  const std::string unicode_text =
      note +
      "Caf\u00e9 \u201cquoted\u201d \u2014 \u20ac5, \u65e5\u672c \U0001F600.\nSecond line.\n";
  struct Case {
    const char* file;
    std::string expected;
    const char* encoding;
  };
  const Case cases[] = {
      {"windows-1252.txt",
       note + "\u201cTariffs\u201d cost \u20ac5bn \u2014 caf\u00e9 owners paid \u00a312.\n"
              "Second line.\n",
       "windows-1252"},
      {"utf-16le-bom.txt", unicode_text, "UTF-16LE"},
      {"utf-16be-bom.txt", unicode_text, "UTF-16BE"},
      {"utf-8-bom.txt", unicode_text, "UTF-8"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto decoded = decode_to_utf8(read_file(fixture(c.file)));
    CHECK(decoded.utf8 == c.expected);
    CHECK(decoded.encoding == c.encoding);
  }

  // Detected, not declared: the detector's guess is trusted only with clear evidence.
  const auto russian = decode_to_utf8(read_file(fixture("windows-1251.txt")));
  CHECK(russian.encoding == "windows-1251");
  CHECK_THAT(russian.utf8, Catch::StartsWith("\u041f\u0440\u0438\u043c\u0435\u0440"));
  const auto japanese = decode_to_utf8(read_file(fixture("shift_jis.txt")));
  CHECK(japanese.encoding == "Shift_JIS");
  CHECK_THAT(japanese.utf8, Catch::StartsWith("\u3053\u308c\u306f"
                                              "Dossier"));

  const std::string binary = read_file(fixture("binary.bin"));
  CHECK(looks_binary(binary));
  CHECK_THROWS_AS(decode_to_utf8(binary), dossier::Error);

  const std::string broken = read_file(fixture("utf-16le-unpaired-surrogate.txt"));
  CHECK_THROWS_WITH(decode_to_utf8(broken), Catch::Contains("not valid UTF-16LE"));
}

TEST_CASE("decode_to_utf8 on real corpora", "[encoding]") {
  const std::filesystem::path shared(DOSSIER_SHARED_DIR);
  const auto bbc = shared / "corpora" / "bbc-news" / "bbc" / "sport" / "199.txt";
  const auto cacm = shared / "corpora" / "cacm" / "cacm.all";
  if (!std::filesystem::exists(bbc) || !std::filesystem::exists(cacm)) {
    WARN("real-corpus encoding test skipped: ../shared absent");
    return;
  }
  const auto latin1 = decode_to_utf8(read_file(bbc));
  CHECK(latin1.encoding == "windows-1252");
  CHECK(latin1.converted);
  CHECK(latin1.utf8.find("\u00a3") != std::string::npos);  // the pound sign, byte 0xA3
  CHECK(valid_utf8(latin1.utf8));

  const std::string crlf = read_file(cacm);
  REQUIRE(crlf.find("\r\n") != std::string::npos);
  const auto text = decode_to_utf8(crlf);
  CHECK(text.utf8.find('\r') == std::string::npos);
  CHECK(text.utf8.size() < crlf.size());
  CHECK(valid_utf8(text.utf8));
}

TEST_CASE("decode_to_utf8 handles large inputs chunk by chunk", "[encoding]") {
  // Several MiB with decomposed accents scattered through, one of them straddling the 1 MiB
  // chunk boundary that NFC checking uses: the result must equal whole-text NFC.
  const std::string line = "Sa\xCC\x81nchez met O\xCC\x88zil at the caf\xC3\xA9.\n";
  std::string big;
  for (std::size_t mib = 1; mib <= 5; ++mib) {
    const std::size_t target = (mib << 20) - 1;  // where an "e" goes, its accent just after
    while (big.size() + line.size() < target) big += line;
    big.append(target - big.size(), 'x');
    big += "e\xCC\x81";
  }
  big += "CRLF\r\nat the end\r\n";
  const auto decoded = decode_to_utf8(big);
  std::string expected = big;
  std::string::size_type at = 0;
  while ((at = expected.find("\r\n", at)) != std::string::npos) expected.erase(at, 1);
  expected = dossier::detail::normalize(expected, dossier::detail::kNfcOnly);
  CHECK(decoded.utf8.size() == expected.size());
  CHECK(decoded.utf8 == expected);
  CHECK(decoded.encoding == "UTF-8");

  // windows-1252 of the same size: linear, and every byte accounted for.
  const std::string legacy(std::size_t{4} << 20, '\xE9');
  const auto latin = decode_to_utf8(legacy, "iso-8859-1");
  CHECK(latin.utf8.size() == legacy.size() * 2);
}

// Regression: one stray byte in a UTF-8 file used to send the whole file to windows-1252
// ("Trump\u00e2\u20ac\u2122s"). Text that is overwhelmingly UTF-8 is now read as UTF-8 with U+FFFD.
TEST_CASE("decode_to_utf8 reads mostly-valid UTF-8 as UTF-8 with replacements", "[encoding]") {
  struct Case {
    const char* rule;
    std::string input;
    const char* declared;
    std::string expected;
    const char* encoding;
  };
  const std::string quotes = "\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x80\x98r\xE2\x80\x99";  // 4 valid
  const std::string quotes_utf8 = "\u201cq\u201d \u2018r\u2019";
  const Case cases[] = {
      {"one stray no-break space among curly quotes",
       "Talks\xE2\x80\x99 end\n\xE2\x80\x9Chistoric\xE2\x80\x9D, said caf\xC3\xA9 owners.\xA0 End.",
       "", "Talks\u2019 end\n\u201chistoric\u201d, said caf\u00e9 owners.\ufffd End.",
       "UTF-8 (1 invalid byte replaced)"},
      {"four valid sequences, one bad byte", quotes + " \x93", "", quotes_utf8 + " \ufffd",
       "UTF-8 (1 invalid byte replaced)"},
      {"a truncated sequence mid-text counts its bytes, replaced once",
       quotes + "\xC3\xA9\xC3\xA9 x\xE2\x80y", "", quotes_utf8 + "\u00e9\u00e9 x\ufffdy",
       "UTF-8 (2 invalid bytes replaced)"},
      {"six valid, two bad", quotes + "\xC3\xA9\xC3\xA9 \x93\x94", "",
       quotes_utf8 + "\u00e9\u00e9 \ufffd\ufffd", "UTF-8 (2 invalid bytes replaced)"},
      {"a truncated final sequence after valid ones", "caf\xC3\xA9 caf\xC3", "",
       "caf\u00e9 caf\ufffd", "UTF-8 (1 invalid byte replaced)"},
      {"a truncated final sequence of two bytes", "It\xE2\x80\x99s here\xE2\x80", "",
       "It\u2019s here\ufffd", "UTF-8 (2 invalid bytes replaced)"},
      {"a lone upper-case lead byte after a lower-case letter", "Some text caf\xC3", "",
       "Some text caf\ufffd", "UTF-8 (1 invalid byte replaced)"},
      {"the label is overruled as for valid UTF-8", quotes + " \x93", "windows-1252",
       quotes_utf8 + " \ufffd", "UTF-8 (1 invalid byte replaced)"},
      {"a legacy multi-byte label too", quotes + " \x93", "shift_jis", quotes_utf8 + " \ufffd",
       "UTF-8 (1 invalid byte replaced)"},
      {"a UTF-8 label lowers the bar", "caf\xC3\xA9 \xE9t\xC3\xA9", "utf-8",
       "caf\u00e9 \ufffdt\u00e9", "UTF-8 (1 invalid byte replaced)"},
      {"bad bytes after a BOM are counted too",
       "\xEF\xBB\xBF"
       "a\xFF"
       "b",
       "", "a\ufffdb", "UTF-8 (1 invalid byte replaced)"},
      // Genuine 8-bit text stays windows-1252.
      {"the same bytes without the label", "caf\xC3\xA9 \xE9t\xC3\xA9", "",
       "caf\u00c3\u00a9 \u00e9t\u00c3\u00a9", "windows-1252"},
      {"three valid sequences are not enough", "a\xC3\xA9 b\xC3\xA9 c\xC3\xA9 d\xE9.", "",
       "a\u00c3\u00a9 b\u00c3\u00a9 c\u00c3\u00a9 d\u00e9.", "windows-1252"},
      {"valid sequences must clearly outnumber bad bytes", quotes + " \x93\x94", "",
       "\u00e2\u20ac\u0153q\u00e2\u20ac\u009d \u00e2\u20ac\u02dcr\u00e2\u20ac\u2122 "
       "\u201c\u201d",
       "windows-1252"},
      {"a final lower-case accent is windows-1252", "caf\xE9", "", "caf\u00e9", "windows-1252"},
      {"a final accent and ellipsis are windows-1252", "Le caf\xE9\x85", "", "Le caf\u00e9\u2026",
       "windows-1252"},
      {"a final sharp s is windows-1252", "Der Fu\xDF", "", "Der Fu\u00df", "windows-1252"},
      {"a final upper-case letter after a space is windows-1252", "SAO JO\xC3", "", "SAO JO\u00c3",
       "windows-1252"},
      {"curly quotes in 8-bit text", "\x93Quoted\x94 and \x93more\x94 \x96 it\x92s", "",
       "\u201cQuoted\u201d and \u201cmore\u201d \u2013 it\u2019s", "windows-1252"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule, c.input, c.declared);
    const auto decoded = decode_to_utf8(c.input, c.declared);
    CHECK(decoded.utf8 == c.expected);
    CHECK(decoded.encoding == c.encoding);
    CHECK(decoded.converted);
    CHECK(valid_utf8(decoded.utf8));
  }
}

TEST_CASE("decode_to_utf8 reads the mostly-UTF-8 fixture files", "[encoding]") {
  const auto mixed = decode_to_utf8(read_file(fixture("utf-8-one-stray-byte.txt")));
  CHECK(mixed.encoding == "UTF-8 (1 invalid byte replaced)");
  CHECK(mixed.converted);
  CHECK_THAT(mixed.utf8, Catch::StartsWith("Sample text invented for Dossier's encoding tests.\n"
                                           "The Minister\u2019s Tour\n"));
  CHECK_THAT(mixed.utf8, Catch::Contains("\u201chistoric\u201d"));
  CHECK_THAT(mixed.utf8, Catch::Contains("caf\u00e9 owners.\ufffd End."));

  const auto truncated = decode_to_utf8(read_file(fixture("utf-8-truncated.txt")));
  CHECK(truncated.encoding == "UTF-8 (1 invalid byte replaced)");
  CHECK_THAT(truncated.utf8, Catch::EndsWith("Some text caf\ufffd"));
}

// Regression: a <meta charset="cp037"> on an ASCII page turned the page into EBCDIC garbage.
// A label found by scanning bytes as ASCII cannot name an encoding that does not read ASCII.
TEST_CASE("decode_to_utf8 ignores declared encodings that are not ASCII-compatible", "[encoding]") {
  struct Case {
    std::string input;
    const char* declared;
    std::string expected;
    const char* encoding;
    bool converted;
  };
  const Case cases[] = {
      {"<p>hello world</p>", "cp037", "<p>hello world</p>", "UTF-8", false},
      {"<p>hello world</p>", "ebcdic-cp-us", "<p>hello world</p>", "UTF-8", false},
      {"<p>hello world</p>", "ibm-1047", "<p>hello world</p>", "UTF-8", false},
      {"<p>C++ &amp; more</p>", "utf-7", "<p>C++ &amp; more</p>", "UTF-8", false},
      {"<p>hello world</p>", "bocu-1", "<p>hello world</p>", "UTF-8", false},
      {"<p>caf\xC3\xA9</p>", "cp037", "<p>caf\u00e9</p>", "UTF-8", false},
      {"<p>caf\xE9</p>", "cp037", "<p>caf\u00e9</p>", "windows-1252", true},  // as if undeclared
      // ASCII-compatible labels are still honoured.
      {"\xD0\xD2\xC9", "koi8-r", "\u043f\u0440\u0438", "KOI8-R", true},
      {"~{<:Ky2;!#~}", "hz-gb-2312", "\u5df1\u6240\u4e0d\u3002", "HZ-GB-2312", true},
      {"<p>hello</p>", "iso-2022-jp", "<p>hello</p>", "ISO-2022-JP", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input, c.declared);
    const auto decoded = decode_to_utf8(c.input, c.declared);
    CHECK(decoded.utf8 == c.expected);
    CHECK(decoded.encoding == c.encoding);
    CHECK(decoded.converted == c.converted);
  }
}

// Regression: a UTF-32LE BOM (FF FE 00 00) was taken for UTF-16LE's (FF FE), so the text came
// out with a NUL after every character; UTF-32BE (00 00 FE FF) was not recognised at all.
TEST_CASE("decode_to_utf8 reads UTF-32 with a byte order mark", "[encoding]") {
  struct Case {
    const char* rule;
    std::string input;
    const char* declared;
    std::string expected;
    const char* encoding;
  };
  const std::u32string_view sample = U"S\u00e1nchez \u2014 \u5317\u4eac \U0001F600";
  const std::string sample_utf8 = "S\u00e1nchez \u2014 \u5317\u4eac \U0001F600";
  const Case cases[] = {
      {"UTF-32LE", utf32(sample, true, kUtf32LeBom), "", sample_utf8, "UTF-32LE"},
      {"UTF-32BE", utf32(sample, false, kUtf32BeBom), "", sample_utf8, "UTF-32BE"},
      {"UTF-32LE beats a declared charset", utf32(U"caf\u00e9", true, kUtf32LeBom), "utf-16le",
       "caf\u00e9", "UTF-32LE"},
      {"UTF-32BE beats a declared charset", utf32(U"caf\u00e9", false, kUtf32BeBom), "windows-1252",
       "caf\u00e9", "UTF-32BE"},
      {"line ends and NFC after decoding", utf32(U"Sa\u0301nchez\r\nb\rc", true, kUtf32LeBom), "",
       "S\u00e1nchez\nb\nc", "UTF-32LE"},
      {"a BOM alone", std::string(kUtf32BeBom), "", "", "UTF-32BE"},
      // FF FE 00 00 could also be UTF-16LE text starting with U+0000; no text does.
      {"UTF-32LE wins over UTF-16LE + U+0000", std::string(kUtf32LeBom) + std::string("h\0\0\0", 4),
       "", "h", "UTF-32LE"},
      // The encoding is certain: bad code units become U+FFFD rather than failing the file.
      {"a code point beyond U+10FFFF",
       utf32(U"a", true, kUtf32LeBom) + std::string("\0\0\x11\0", 4), "", "a\ufffd", "UTF-32LE"},
      {"a surrogate code point", utf32(U"a", false, kUtf32BeBom) + std::string("\0\0\xD8\0", 4), "",
       "a\ufffd", "UTF-32BE"},
      {"a truncated last unit", utf32(U"ab", true, kUtf32LeBom) + std::string("c\0", 2), "",
       "ab\ufffd", "UTF-32LE"},
      // Two-byte BOMs are still UTF-16.
      {"UTF-16LE BOM, then a character", bytes_of("\xFF\xFEh\0\0\0", 6), "", bytes_of("h\0", 2),
       "UTF-16LE"},
      {"UTF-16BE BOM", bytes_of("\xFE\xFF\0\0\0h", 6), "", bytes_of("\0h", 2), "UTF-16BE"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule, c.input);
    const auto decoded = decode_to_utf8(c.input, c.declared);
    CHECK(decoded.utf8 == c.expected);
    CHECK(decoded.encoding == c.encoding);
    CHECK(decoded.converted);
    CHECK(valid_utf8(decoded.utf8));
  }
}

// Regression: a typo in a page's charset ("windwos-1252") rejected any page that was not UTF-8.
// An unknown label is now ignored as if absent, and Decoded::ignored_label names it for a warning.
TEST_CASE("decode_to_utf8 ignores an unknown declared charset and names it", "[encoding]") {
  struct Case {
    const char* rule;
    std::string input;
    const char* declared;
    std::string expected;
    std::string encoding;
    std::string ignored_label;
    bool converted;
  };
  const std::string cp1252 =
      "\x93S\xE1nchez\x94 \x97 caf\xE9 \x80"
      "5";
  const std::string cp1252_utf8 = "\u201cS\u00e1nchez\u201d \u2014 caf\u00e9 \u20ac5";
  const std::string utf8 = "S\xC3\xA1nchez \xE2\x80\x94 \xE5\x8C\x97\xE4\xBA\xAC";
  const std::string utf8_nfc = "S\u00e1nchez \u2014 \u5317\u4eac";
  const Case cases[] = {
      {"UTF-8 under a UTF-8 typo", utf8, "utf-8x", utf8_nfc, "UTF-8", "utf-8x", false},
      {"UTF-8 under a windows-1252 typo", utf8, "windwos-1252", utf8_nfc, "UTF-8", "windwos-1252",
       false},
      {"windows-1252 under a typo", cp1252, "windwos-1252", cp1252_utf8, "windows-1252",
       "windwos-1252", true},
      {"windows-1252 under a Latin-1 typo", cp1252, "iso-8859-1x", cp1252_utf8, "windows-1252",
       "iso-8859-1x", true},
      {"windows-1252 under a UTF-8 typo", cp1252, "utf-8x", cp1252_utf8, "windows-1252", "utf-8x",
       true},
      {"quotes and spaces are not part of the label", cp1252, " \"nonsense-charset\" ", cp1252_utf8,
       "windows-1252", "nonsense-charset", true},
      {"ASCII", "hello", "no-such-charset", "hello", "UTF-8", "no-such-charset", false},
      // The unknown label is no UTF-8 label: it does not lower the bar for damaged UTF-8.
      {"mostly UTF-8", "caf\xC3\xA9 \xE9t\xC3\xA9", "utf-8x", "caf\u00c3\u00a9 \u00e9t\u00c3\u00a9",
       "windows-1252", "utf-8x", true},
      {"UTF-8 with one stray byte", "\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x80\x98r\xE2\x80\x99 \x93",
       "utf-8x", "\u201cq\u201d \u2018r\u2019 \ufffd", "UTF-8 (1 invalid byte replaced)", "utf-8x",
       true},
      {"UTF-16 without a BOM", bytes_of("h\0e\0l\0l\0o\0", 10), "utf-16x", "hello", "UTF-16LE",
       "utf-16x", true},
      {"a long label is cut in the name", "hello", "x-123456789-123456789-123456789-123456789",
       "hello", "UTF-8", "x-123456789-123456789-123456789-...", false},
      // A BOM decides before any label is looked at.
      {"a BOM makes the label irrelevant",
       "\xEF\xBB\xBF"
       "caf\xC3\xA9",
       "utf-8x", "caf\u00e9", "UTF-8", "", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule, c.input, c.declared);
    const auto decoded = decode_to_utf8(c.input, c.declared);
    CHECK(decoded.utf8 == c.expected);
    CHECK(decoded.encoding == c.encoding);
    CHECK(decoded.ignored_label == c.ignored_label);
    CHECK(decoded.converted == c.converted);
    CHECK(valid_utf8(decoded.utf8));
  }

  // Detection still runs: Cyrillic text under a bad label is found to be windows-1251.
  const auto russian = decode_to_utf8(read_file(fixture("windows-1251.txt")), "windows-1251x");
  CHECK(russian.encoding == "windows-1251");
  CHECK(russian.ignored_label == "windows-1251x");
  CHECK_THAT(russian.utf8, Catch::StartsWith("\u041f\u0440\u0438\u043c\u0435\u0440"));
}
