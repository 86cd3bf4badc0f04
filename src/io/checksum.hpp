#pragma once

#include <string>
#include <string_view>

namespace grenzfunk::io {

// SHA-256 as lowercase hex (OpenSSL libcrypto).
// Of a file's bytes; throws InputError if the file cannot be read.
std::string sha256_file_hex(const std::string& path);
// Of bytes in memory (package files before they are written).
std::string sha256_hex(std::string_view bytes);

}  // namespace grenzfunk::io
