#include "analysis/border_compare.hpp"

#include <cmath>
#include <map>
#include <utility>

namespace grenzfunk::analysis {

namespace {

bool needs_comparison(const RuleCheck& rc, double within_db) {
    return !rc.pass || (std::isfinite(rc.margin_db) && rc.margin_db <= within_db);
}

}  // namespace

BorderRule comparison_rule(const BorderRule& rule) {
    BorderRule other = rule;
    other.model_parameters = ParameterSet();
    if (!rule.compare_model.empty()) {
        other.model = rule.compare_model;
        for (const auto& [k, v] : rule.compare_model_parameters.values())
            other.model_parameters.set(k, v);
    } else if (rule.model == "hcm") {
        // ECC recommendations' method: P.1546 with the terrain clearance angle correction.
        other.model = "p1546";
        other.model_parameters.set("use_terrain_clearance_angle", true);
    } else {
        other.model = "hcm";
    }
    return other;
}

std::vector<std::size_t> cells_to_compare(const BorderReport& report, double within_db) {
    std::vector<std::size_t> out;
    for (const CellSummary& cs : report.cells) {
        bool any = false;
        for (std::size_t k : cs.checks) any = any || needs_comparison(report.checks[k], within_db);
        if (any) out.push_back(cs.cell);
    }
    return out;
}

void attach_comparisons(BorderReport& report, const std::vector<std::size_t>& compared_cells,
                        const BorderReport& compared, const std::vector<BorderRule>& rules,
                        double within_db) {
    // (cell in report, rule) -> check of the comparison run.
    std::map<std::pair<std::size_t, std::size_t>, const RuleCheck*> other;
    for (const RuleCheck& rc : compared.checks)
        if (rc.cell < compared_cells.size()) other[{compared_cells[rc.cell], rc.rule}] = &rc;
    for (RuleCheck& rc : report.checks) {
        if (!needs_comparison(rc, within_db)) continue;
        const auto it = other.find({rc.cell, rc.rule});
        if (it == other.end()) continue;
        RuleCheck::Comparison c;
        c.model = comparison_rule(rules[rc.rule]).model;
        c.max_field_dbuv_per_m = it->second->max_field_dbuv_per_m;
        c.margin_db = it->second->margin_db;
        c.pass = it->second->pass;
        rc.comparison = c;
    }
}

}  // namespace grenzfunk::analysis
