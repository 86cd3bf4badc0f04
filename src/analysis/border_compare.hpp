// The same border checks under the other method, so that a reader of the report sees how
// sensitive a failure or a narrow pass is to the propagation method: a rule computed with the
// administrations' method (HCM, model `hcm`) is shown beside ITU-R P.1546-6 with the terrain
// clearance angle correction (model `p1546`), and a rule with any other model beside `hcm`.
//
// Only checks that fail or lie within kCompareWithinDb of their limit are compared; the other
// method is evaluated on the same lines, sample points, antenna gains and bandwidth
// normalisation, and its worst point is searched the same way.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/border_check.hpp"
#include "core/border_rule.hpp"

namespace grenzfunk::analysis {

inline constexpr double kCompareWithinDb = 3.0;

// The rule's comparison method: its `compare_model` when the rules file names one, else the
// other method of the pair above (parameters as the shipped rules use them).
BorderRule comparison_rule(const BorderRule& rule);

// Indices (into report.cells) of the cells with at least one check that fails or lies within
// `within_db` of its limit.
std::vector<std::size_t> cells_to_compare(const BorderReport& report,
                                          double within_db = kCompareWithinDb);

// Copies the comparison checks onto the checks of `report` that fail or lie within `within_db`.
// `compared` is the border check of cells[compared_cells[k]] under comparison_rule() of every
// rule (same rule order).
void attach_comparisons(BorderReport& report, const std::vector<std::size_t>& compared_cells,
                        const BorderReport& compared, const std::vector<BorderRule>& rules,
                        double within_db = kCompareWithinDb);

}  // namespace grenzfunk::analysis
