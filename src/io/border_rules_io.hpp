// Reads the cross-border coordination rules file (TOML): one [[rule]] table per band,
// technology and distance. Format: docs/border.md; shipped defaults:
// data/rules/cept_mfcn_border.toml.
#pragma once

#include <string>
#include <vector>

#include "core/border_rule.hpp"
#include "core/preferential_codes.hpp"

namespace grenzfunk::io {

// Throws InputError "file:line: rule[.key]: what is wrong" for syntax errors, unknown keys,
// missing keys, wrong types, out-of-range values and duplicate rule ids.
std::vector<BorderRule> read_border_rules(const std::string& path);

// Reads a preferential codes file (TOML; docs/border.md, "Preferential codes"; shipped:
// data/rules/preferential_codes.toml): one [[pair]] per home/neighbour country pair, each with
// [[pair.set]] tables (technology, code = "pci" | "psc" | "arfcn", preferential = [[first, last],
// ...], description, source, verified). Throws InputError "file:line: pair[i].set[j].key: what"
// for syntax errors, unknown or missing keys, a code kind that is not the technology's (LTE/NR
// pci, UMTS psc, GSM arfcn), codes outside their range (PCI 0-503 LTE / 0-1007 NR, PSC 0-511,
// ARFCN 0-1023), first > last, two sets for one technology or two entries for one pair.
std::vector<PreferentialCodes> read_preferential_codes(const std::string& path);

// The entry of `all` for home -> neighbour (country codes, any letter case); null if none.
const PreferentialCodes* find_code_pair(const std::vector<PreferentialCodes>& all,
                                        const std::string& home, const std::string& neighbour);

// Parses "GSM", "UMTS", "LTE", "NR" (any case); false if unknown.
bool parse_technology(const std::string& text, Technology& out);

}  // namespace grenzfunk::io
