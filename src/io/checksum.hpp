#pragma once
#include <string>
namespace grenzfunk::io {
// SHA-256 of a file's bytes as lowercase hex (OpenSSL libcrypto). Throws InputError if unreadable.
std::string sha256_file_hex(const std::string& path);
}  // namespace grenzfunk::io
