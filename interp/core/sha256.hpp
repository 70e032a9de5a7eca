// SHA-256 (OpenSSL libcrypto, EVP) and random bytes from OpenSSL's generator: the content digest of a policy
// (Policy::digest), of a decision record's facts, and decision ids.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace edict::core {

// An incremental SHA-256. Feed bytes with update() (or length-prefixed fields with field()), then take the
// digest once with hex().
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // One field of a framed message: its length as 8 bytes, big-endian, then its bytes. A sequence of fields
  // is unambiguous: no two different sequences feed the same bytes.
  void field(std::string_view bytes);
  // The digest as 64 lowercase hex digits. Call once, after the last update.
  std::string hex();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// `count` random bytes from OpenSSL's generator (thread-safe) as 2 * count lowercase hex digits.
std::string random_hex(std::size_t count);

}  // namespace edict::core
