// Reading a TOML input file for the I/O layer's readers (scenario, border rules, preferential
// codes): one place for the existence check, the text check (check_toml_text, scenario.hpp) and
// toml++'s syntax errors as "file:line: syntax error: ...". Internal to src/io.
#pragma once

#include <string>
#include <string_view>

#include "io/toml.hpp"

namespace grenzfunk::io::detail {

// `what` names the file in messages ("rules file"); `text`, when given, receives its bytes.
toml::table parse_toml_file(const std::string& path, std::string_view what,
                            std::string* text = nullptr);

// The one array of tables `key` a file of "[[key]]" tables holds; any other top-level key is an
// error naming its line, and so is a missing or empty array.
const toml::array& only_array_of_tables(const toml::table& root, const std::string& path,
                                        const std::string& key);

}  // namespace grenzfunk::io::detail
