// SHA-256 through OpenSSL (core/sha256): known answers (FIPS 180-2 examples) and the field framing.
#include <catch2/catch.hpp>

#include <string>

#include "core/sha256.hpp"

TEST_CASE("SHA-256 gives the FIPS 180-2 known answers", "[core][sha256]") {
  using edict::core::sha256_hex;
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  edict::core::Sha256 pieces;
  pieces.update("ab");
  pieces.update("");
  pieces.update("c");
  CHECK(pieces.hex() == sha256_hex("abc"));
}

TEST_CASE("length-prefixed fields: moving a byte between fields changes the digest", "[core][sha256]") {
  const auto fields = [](std::string a, std::string b) {
    edict::core::Sha256 hash;
    hash.field(a);
    hash.field(b);
    return hash.hex();
  };
  CHECK(fields("ab", "c") != fields("a", "bc"));
  CHECK(fields("", "abc") != fields("abc", ""));
  // A field is its length as 8 bytes, big-endian, then its bytes.
  CHECK(fields("abc", "") == edict::core::sha256_hex(std::string("\0\0\0\0\0\0\0\3abc\0\0\0\0\0\0\0\0", 19)));
}

TEST_CASE("random hex has the asked length", "[core][sha256]") {
  CHECK(edict::core::random_hex(0).empty());
  const auto a = edict::core::random_hex(16), b = edict::core::random_hex(16);
  CHECK(a.size() == 32);
  CHECK(a != b);
}
