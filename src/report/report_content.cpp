// GCC 12 reports a false -Wrestrict inside std::string's operator+ chains at -O2 (GCC bug
// 105329), as in report_render.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include "report/report_content.hpp"

#include "analysis/border_compare.hpp"
#include "propagation/hcm.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "io/checksum.hpp"

namespace grenzfunk::report::detail {

using analysis::BorderRule;
using analysis::RuleCheck;

std::string report_id(const BorderPackage& p) {
    std::string lines;
    for (const PackageInput& in : p.inputs) lines.append(in.sha256).append("\n");
    const std::string h = io::sha256_hex(lines);
    std::string id = "GF";
    for (int g = 0; g < 4; ++g) {
        id += '-';
        for (int k = 0; k < 4; ++k)
            id += char(std::toupper(static_cast<unsigned char>(h[std::size_t(g * 4 + k)])));
    }
    return id;
}

std::vector<DocumentField> document_control(const BorderPackage& p) {
    std::vector<DocumentField> f;
    f.push_back({"Report id", report_id(p)});
    f.push_back({"Document version", p.document_version});
    f.push_back({"Applicant / operator", p.applicant});
    f.push_back({"Created", p.creation_time.empty() ? "not given" : p.creation_time});
    f.push_back({"Subject", "Cross-border coordination check, " + p.home_country +
                                " cells against the field-strength limits in " +
                                p.neighbour_country});
    f.push_back({"Scenario", p.scenario_name + " (" + p.scenario_file + ")"});
    f.push_back({"Scenario SHA-256", p.scenario_sha256});
    f.push_back({"Software", p.software});
    f.push_back({"Report id derived from", "SHA-256 of the " + std::to_string(p.inputs.size()) +
                                               " input files' SHA-256 (listed under Inputs)"});
    return f;
}

std::vector<std::size_t> failed_checks_first(const BorderPackage& p) {
    std::vector<std::size_t> out;
    for (std::size_t k = 0; k < p.report->checks.size(); ++k)
        if (!p.report->checks[k].pass) out.push_back(k);
    std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
        return p.report->checks[a].margin_db < p.report->checks[b].margin_db;
    });
    return out;
}

std::vector<std::string> site_table_header() {
    return {"Cell",
            "Site",
            "Lat (\xC2\xB0N)",
            "Lon (\xC2\xB0"
            "E)",
            "Height (m)",
            "f (MHz)",
            "BW (MHz)",
            "Tech",
            "e.i.r.p. (dBm)",
            "Azimuth (\xC2\xB0)",
            "Tilt (\xC2\xB0)",
            "Antenna"};
}

std::vector<std::vector<std::string>> site_table_rows(const BorderPackage& p) {
    std::vector<std::vector<std::string>> rows;
    for (const analysis::BorderCell& bc : *p.cells) {
        const Cell& c = bc.cell;
        const std::string site = c.site_name.empty() ? c.site_id : c.site_id + " " + c.site_name;
        rows.push_back(
            {c.cell_id, site, fixed(c.lat_deg, 5), fixed(c.lon_deg, 5),
             fixed(c.antenna_height_agl_m, 1), fixed(c.frequency_mhz, 1), fixed(c.bandwidth_mhz, 1),
             technology_name(c.technology), fixed(c.eirp_dbm, 1), fixed(c.azimuth_deg, 0),
             fixed(c.mech_tilt_deg, 1) + " + " + fixed(c.elec_tilt_deg, 1), c.antenna_pattern});
    }
    return rows;
}

std::vector<MethodParagraph> method_statement(const BorderPackage& p) {
    std::vector<MethodParagraph> m;
    m.push_back(
        {"Field strength",
         "For every home cell and every rule whose technologies and band include the cell: "
         "E = e.i.r.p. + G_rel - Lb + 20 log10 f + 77.2 + normalisation (dBuV/m, e.i.r.p. in "
         "dBm, f in MHz; ITU-R P.525), where Lb is the basic transmission loss of the rule's "
         "propagation model over the terrain profile from the site to the point, G_rel the "
         "antenna's gain relative to boresight towards the point (true azimuth, elevation with "
         "the Earth's curvature, k = 4/3) and the normalisation 10 log10(reference / channel "
         "bandwidth) for channels wider than the rule's reference bandwidth (0 dB otherwise).",
         false});
    m.push_back(
        {"Worst-point search (grenzfunk's own)",
         "The limits apply along lines: the border itself (0 km) and the lines at each rule's "
         "distance inside " +
             p.neighbour_country + " (the home outline buffered by the distance, clipped to " +
             p.neighbour_country + "). Sample points every " + fixed(p.sample_spacing_m, 0) +
             " m along them; paths longer than " + fixed(p.max_path_km, 0) +
             " km are not computed. The reported value is the maximum over the samples of a "
             "line; a check fails when any sample exceeds the limit. The search along the "
             "lines, the buffering and the sample spacing are grenzfunk's method, not part of "
             "the recommendations.",
         false});
    // Per rule: the model, its parameters and what it is.
    std::map<std::string, std::vector<std::string>> rules_of_model;
    std::vector<std::string> order;
    for (std::size_t r = 0; r < p.rules->size(); ++r) {
        const std::string model = r < p.rule_models.size() ? p.rule_models[r] : (*p.rules)[r].model;
        if (!rules_of_model.count(model)) order.push_back(model);
        rules_of_model[model].push_back((*p.rules)[r].id);
    }
    for (const std::string& model : order) {
        std::size_t r = 0;
        while (r < p.rules->size() &&
               (r < p.rule_models.size() ? p.rule_models[r] : (*p.rules)[r].model) != model)
            ++r;
        const std::string reference =
            r < p.rule_model_references.size() ? p.rule_model_references[r] : "";
        std::string rules;
        for (const std::string& id : rules_of_model[model])
            rules += (rules.empty() ? "" : ", ") + id;
        const std::string name = model.substr(0, model.find(' '));
        const bool hcm = name.rfind("hcm", 0) == 0;
        m.push_back({"Propagation model " + name,
                     "Model and parameters: " + model +
                         ". Reference: " + (reference.empty() ? "not stated" : reference) +
                         ". Used by the rules " + rules + ".",
                     false});
        // The HCM method as the model states it (propagation/hcm.hpp, docs/hcm.md).
        if (hcm)
            m.push_back({"HCM method (" + name + ")", propagation::hcm::method_statement(), false});
    }
    m.push_back({"Sensitivity to the method",
                 "Every check that fails or lies within " + fixed(analysis::kCompareWithinDb, 0) +
                     " dB of its limit is computed again with the other method (ITU-R P.1546-6 "
                     "with the terrain clearance angle correction beside HCM, HCM beside any "
                     "other model, or the rule's compare_model) on the same lines, sample "
                     "points, antennas and bandwidth normalisation; the table \"Sensitivity to "
                     "the method\" shows both results side by side. Only the rule's own method "
                     "decides pass or fail.",
                 false});
    m.push_back({"Percentages and receiver",
                 "Each rule's time and location percentages and receiver height are handed to "
                 "its model; models without variability (free space, Hata) ignore the "
                 "percentages, which the model description above then says.",
                 false});
    m.push_back({"Exceedance raster",
                 "On a grid over " + p.neighbour_country +
                     ", the maximum over cells and rules in force of field strength minus limit; "
                     "a rule is in force where the distance from the home territory is at least "
                     "the rule's distance (conservative beyond each line).",
                 false});
    return m;
}

std::vector<std::string> comparison_header() {
    return {"Cell",
            "Rule",
            "Limit (dB\xC2\xB5V/m)",
            "Method",
            "Max (dB\xC2\xB5V/m)",
            "Margin (dB)",
            "Other method",
            "Max (dB\xC2\xB5V/m)",
            "Margin (dB)",
            "Other result"};
}

std::vector<std::vector<std::string>> comparison_rows(const BorderPackage& p) {
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < p.report->checks.size(); ++k)
        if (p.report->checks[k].comparison) order.push_back(k);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return p.report->checks[a].margin_db < p.report->checks[b].margin_db;
    });
    std::vector<std::vector<std::string>> rows;
    for (std::size_t k : order) {
        const RuleCheck& rc = p.report->checks[k];
        const BorderRule& rule = (*p.rules)[rc.rule];
        const auto& other = *rc.comparison;
        rows.push_back({(*p.cells)[rc.cell].cell.cell_id, rule.id, fixed(rule.limit_dbuv_per_m, 1),
                        rule.model, fixed(rc.max_field_dbuv_per_m, 1, "n/a"),
                        fixed(rc.margin_db, 1, "n/a"), other.model,
                        fixed(other.max_field_dbuv_per_m, 1, "n/a"),
                        fixed(other.margin_db, 1, "n/a"), other.pass ? "pass" : "FAIL"});
    }
    return rows;
}

std::vector<std::string> attribution_lines(const BorderPackage& p) {
    std::vector<std::string> out;
    for (const Attribution& a : attributions_for(p.inputs, p.extra_attributions))
        out.push_back(attribution_line(a));
    return out;
}

std::string unverified_warning(const BorderPackage& p) {
    for (const BorderRule& r : *p.rules)
        if (!r.verified)
            return "Limits not verified. At least one rule is marked verified = false: its "
                   "values have not been checked against the official text of the source "
                   "document. See the rules table.";
    return "";
}

}  // namespace grenzfunk::report::detail
