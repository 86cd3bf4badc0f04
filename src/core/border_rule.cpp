#include "core/border_rule.hpp"

#include "core/preferential_codes.hpp"

namespace grenzfunk {

const char* code_class_name(CodeClass c) {
    switch (c) {
        case CodeClass::any:
            return "any";
        case CodeClass::preferential:
            return "preferential";
        case CodeClass::non_preferential:
            return "non-preferential";
    }
    return "any";
}

const char* code_kind_name(CodeKind k) {
    switch (k) {
        case CodeKind::pci:
            return "pci";
        case CodeKind::psc:
            return "psc";
        case CodeKind::arfcn:
            return "arfcn";
    }
    return "pci";
}

std::optional<int> cell_code(const Cell& cell, CodeKind kind) {
    switch (kind) {
        case CodeKind::pci:
            return cell.pci;
        case CodeKind::psc:
            return cell.psc;
        case CodeKind::arfcn:
            return cell.arfcn;
    }
    return std::nullopt;
}

}  // namespace grenzfunk
