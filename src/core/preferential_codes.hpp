// The preferential physical-layer codes (or channels) of one country pair, as the codes file states
// them (data/rules/preferential_codes.toml, docs/border.md): a plain description the reader
// (io/border_rules_io.hpp) returns; analysis/border_rules.hpp classifies cells with it.
#pragma once

#include <string>
#include <vector>

#include "core/cell.hpp"

namespace grenzfunk {

// Which of a cell's codes a set lists.
enum class CodeKind { pci, psc, arfcn };

const char* code_kind_name(CodeKind k);  // "pci", "psc", "arfcn"

struct CodeRange {
    int first = 0;  // inclusive
    int last = 0;   // inclusive
};

// The home country's preferential codes of one technology towards one neighbour.
struct PreferentialCodeSet {
    Technology technology = Technology::lte;
    CodeKind kind = CodeKind::pci;
    std::vector<CodeRange> preferential;  // the home country's; every other code is not
    std::string description;              // e.g. "PCI groups 0-2 (PCI 0-251)"
    std::string source;                   // the document the split comes from
    bool verified = false;                // checked against the official text?
    std::string where;                    // "codes.toml:12", for messages
};

struct PreferentialCodes {
    std::string home_country;       // ISO 3166-1 alpha-2, "DE"
    std::string neighbour_country;  // "CZ"
    std::vector<PreferentialCodeSet> sets;
    std::string where;  // "codes.toml:3"
};

// The code a set of `kind` reads from a cell (empty when the cell has none).
std::optional<int> cell_code(const Cell& cell, CodeKind kind);

}  // namespace grenzfunk
