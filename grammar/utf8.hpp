// UTF-8 (RFC 3629) for the parser, which rejects ill-formed policy text, and for the text renderers, which
// escape what a terminal would act on instead of showing. Header-only; decoding never allocates or throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace edict::utf8 {

// Why a byte sequence is not UTF-8. kNone: it is well formed.
enum class Error : std::uint8_t {
  kNone,
  kUnexpectedContinuation,  // a byte 0x80-0xBF where a character starts
  kInvalidByte,             // 0xC0, 0xC1 or 0xF5-0xFF: never in UTF-8
  kTruncated,               // a lead byte without enough continuation bytes after it
  kOverlong,                // a code point encoded with more bytes than it needs (0xE0 0x80-0x9F, 0xF0 0x80-0x8F)
  kSurrogate,               // U+D800-U+DFFF (0xED 0xA0-0xBF)
  kTooLarge,                // above U+10FFFF (0xF4 0x90-0xBF)
};

// One character read at the start of some text: its code point and length in bytes, or, when ill formed,
// the error and the length of the offending bytes (the lead byte and the continuation bytes that belong to
// it, at least 1).
struct Decoded {
  char32_t code_point = 0;
  std::uint8_t length = 1;
  Error error = Error::kNone;
  [[nodiscard]] constexpr bool ok() const { return error == Error::kNone; }
};

[[nodiscard]] constexpr bool is_continuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

// The character at the start of `text` (which must not be empty).
[[nodiscard]] constexpr Decoded decode(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  if (lead < 0x80) return {lead, 1, Error::kNone};
  if (is_continuation(lead)) return {0, 1, Error::kUnexpectedContinuation};
  if (lead < 0xC2) {
    // 0xC0 and 0xC1 could only start an overlong two-byte form: report it as overlong when it is one.
    const bool overlong = text.size() > 1 && is_continuation(static_cast<unsigned char>(text[1]));
    return overlong ? Decoded{0, 2, Error::kOverlong} : Decoded{0, 1, Error::kInvalidByte};
  }
  if (lead > 0xF4) return {0, 1, Error::kInvalidByte};
  const std::size_t length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  char32_t code_point = lead & (length == 2 ? 0x1FU : length == 3 ? 0x0FU : 0x07U);
  for (std::size_t i = 1; i < length; ++i) {
    if (i >= text.size() || !is_continuation(static_cast<unsigned char>(text[i]))) {
      return {0, static_cast<std::uint8_t>(i), Error::kTruncated};
    }
    code_point = (code_point << 6U) | (static_cast<unsigned char>(text[i]) & 0x3FU);
  }
  const auto bytes = static_cast<std::uint8_t>(length);
  if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000)) {
    return {0, bytes, Error::kOverlong};
  }
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return {code_point, bytes, Error::kSurrogate};
  if (code_point > 0x10FFFF) return {code_point, bytes, Error::kTooLarge};
  return {code_point, bytes, Error::kNone};
}

// Byte offset of the first ill-formed sequence in `text`, or text.size() when all of it is UTF-8.
[[nodiscard]] constexpr std::size_t first_invalid(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // ASCII: the common case, one byte at a time
      ++i;
      continue;
    }
    const Decoded d = decode(text.substr(i));
    if (!d.ok()) return i;
    i += d.length;
  }
  return text.size();
}

// C0 controls (U+0000-U+001F), DEL (U+007F) and C1 controls (U+0080-U+009F): what a terminal may act on
// instead of showing.
[[nodiscard]] constexpr bool is_control(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

// Bidirectional formatting characters (U+202A-U+202E, U+2066-U+2069): they reorder how a line is displayed,
// so that shown text can differ from the bytes (CVE-2021-42574, "Trojan Source").
[[nodiscard]] constexpr bool is_bidi_control(char32_t code_point) {
  return (code_point >= 0x202A && code_point <= 0x202E) || (code_point >= 0x2066 && code_point <= 0x2069);
}

// ---- display on a terminal ------------------------------------------------------------------------------

// How the character at the start of `text` (not empty) is shown: `escape` is empty when it shows as itself
// (`length` bytes of `text`), else it replaces those bytes: `\n`, `\r`, `\x1b` for other C0 controls and
// DEL, `\u0085` for C1 controls, `\u202e` for bidirectional formatting characters, and `\xff` for each byte
// that is not UTF-8. A tab shows as itself.
struct Shown {
  std::size_t length = 1;
  std::string escape;
};

[[nodiscard]] inline Shown shown(std::string_view text) {
  constexpr std::string_view kHex = "0123456789abcdef";
  const auto hex = [&](char32_t value, std::size_t digits) {
    std::string out(digits, '0');
    for (std::size_t i = digits; i-- > 0; value >>= 4U) out[i] = kHex[value & 0xFU];
    return out;
  };
  const Decoded d = decode(text);
  if (!d.ok()) return {1, "\\x" + hex(static_cast<unsigned char>(text[0]), 2)};
  const char32_t c = d.code_point;
  if (c == '\t' || (!is_control(c) && !is_bidi_control(c))) return {d.length, {}};
  if (c == '\n') return {1, "\\n"};
  if (c == '\r') return {1, "\\r"};
  if (c < 0x80) return {1, "\\x" + hex(c, 2)};
  return {d.length, "\\u" + hex(c, 4)};
}

// Appends `text` with every character a terminal would act on, or that is not UTF-8, escaped as shown()
// says. For policy-authored text (titles, reasons, names in messages) printed as text.
inline void append_printable(std::string& out, std::string_view text) {
  std::size_t run = 0;  // start of the characters that show as themselves, appended in one go
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7F) {  // printable ASCII: the common case
      ++i;
      continue;
    }
    const Shown s = shown(text.substr(i));
    if (!s.escape.empty()) {
      out.append(text, run, i - run);
      out += s.escape;
      run = i + s.length;
    }
    i += s.length;
  }
  out.append(text, run, text.size() - run);
}

[[nodiscard]] inline std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_printable(out, text);
  return out;
}

}  // namespace edict::utf8
