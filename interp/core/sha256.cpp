// SHA-256 and random bytes through OpenSSL (see sha256.hpp). An OpenSSL failure here means a broken
// installation (no memory, no SHA-256 provider, no entropy): it throws std::runtime_error, never returns a
// wrong digest or a predictable id.
#include "core/sha256.hpp"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace edict::core {

namespace {

void append_hex(std::string& out, const unsigned char* bytes, std::size_t count) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < count; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0F];
  }
}

[[noreturn]] void openssl_failed(const char* what) {
  throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

}  // namespace

struct Sha256::Context {
  EVP_MD_CTX* ctx = nullptr;
  ~Context() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
  context_->ctx = EVP_MD_CTX_new();
  if (context_->ctx == nullptr) openssl_failed("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(context_->ctx, EVP_sha256(), nullptr) != 1) openssl_failed("SHA-256 init");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
  if (bytes.empty()) return;
  if (EVP_DigestUpdate(context_->ctx, bytes.data(), bytes.size()) != 1) openssl_failed("SHA-256 update");
}

void Sha256::field(std::string_view bytes) {
  std::array<char, 8> length{};
  auto n = static_cast<std::uint64_t>(bytes.size());
  for (int i = 7; i >= 0; --i) {
    length[static_cast<std::size_t>(i)] = static_cast<char>(n & 0xFF);
    n >>= 8;
  }
  update(std::string_view(length.data(), length.size()));
  update(bytes);
}

std::string Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context_->ctx, digest.data(), &size) != 1 || size != 32) openssl_failed("SHA-256 final");
  std::string out;
  out.reserve(64);
  append_hex(out, digest.data(), size);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hex();
}

std::string random_hex(std::size_t count) {
  std::string bytes(count, '\0');
  if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    openssl_failed("RAND_bytes");
  }
  std::string out;
  out.reserve(2 * count);
  append_hex(out, reinterpret_cast<const unsigned char*>(bytes.data()), count);
  return out;
}

}  // namespace edict::core
