// Reads the cross-border coordination rules file (TOML): one [[rule]] table per band,
// technology and distance. Format: docs/border.md; shipped defaults:
// data/rules/cept_mfcn_border.toml.
#pragma once

#include <string>
#include <vector>

#include "core/border_rule.hpp"

namespace grenzfunk::io {

// Throws InputError "file:line: rule[.key]: what is wrong" for syntax errors, unknown keys,
// missing keys, wrong types, out-of-range values and duplicate rule ids.
std::vector<BorderRule> read_border_rules(const std::string& path);

// Parses "GSM", "UMTS", "LTE", "NR" (any case); false if unknown.
bool parse_technology(const std::string& text, Technology& out);

}  // namespace grenzfunk::io
