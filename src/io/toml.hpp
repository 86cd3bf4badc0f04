// toml++ for the I/O layer (scenario and border rules files). Include this instead of
// <toml++/toml.h>.
//
// With GRENZFUNK_TOML_HEADER_ONLY (the sanitizer and fuzz builds compile toml++ in, CMakeLists.txt)
// toml++'s internal assertions are off, as in Debian's shared library (built with NDEBUG by
// GCC 12, where its TOML_ASSERT_ASSUME is a no-op too): toml++ 3.3.0's parse_table_header calls
// parse_key on "[=", "[#", "[\x01" ... against parse_key's asserted precondition, and parse_key
// then reports the syntax error itself (found by fuzz_scenario, tests/fuzz/regression/scenario/).
#pragma once

#if defined(GRENZFUNK_TOML_NO_ASSERT) && !defined(TOML_ASSERT)
#define TOML_ASSERT(expr) static_cast<void>(0)
#endif
#include <toml++/toml.h>
