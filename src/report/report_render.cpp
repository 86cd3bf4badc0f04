// The export package's report files and pictures (see export_package.hpp).

// GCC 12 reports a false -Wrestrict inside std::string's operator+(const char*, string&&) when
// it is inlined at -O2 (GCC bug 105329); this file builds its text that way throughout.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include <algorithm>
#include <charconv>
#include <cmath>
#include <iomanip>
#include <locale>
#include <sstream>

#include "analysis/border_compare.hpp"
#include "core/error.hpp"
#include "io/crs.hpp"
#include "report/attributions.hpp"
#include "report/package_internal.hpp"
#include "report/report_content.hpp"
#include "report/report_figures.hpp"

namespace grenzfunk::report::detail {

using analysis::BorderRule;
using analysis::RuleCheck;

nlohmann::ordered_json json_fixed(double v, int decimals) {
    if (!std::isfinite(v)) return nullptr;  // null: NaN and infinity are no JSON numbers
    // The double nearest to the decimal text format_fixed prints (correctly rounded, "-0.00" as
    // "0.00"), which nlohmann writes back as those digits: std::round(v * 10^d) / 10^d differs
    // from it in the last digit now and then (v * 10^d is not exact).
    const std::string digits = text::format_fixed(v, decimals);
    double rounded = 0.0;
    std::from_chars(digits.data(), digits.data() + digits.size(), rounded);
    return rounded;
}

std::string json_text(const nlohmann::ordered_json& json) {
    return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

struct ToLonLat::Impl {
    io::LonLatTransform transform;
    explicit Impl(const std::string& crs) : transform(crs) {}
};
ToLonLat::ToLonLat(const std::string& grid_crs) : impl_(new Impl(grid_crs)) {}
ToLonLat::~ToLonLat() {
    delete impl_;
}
bool ToLonLat::to_grid(double lon_deg, double lat_deg, double& x_m, double& y_m) const {
    x_m = y_m = NAN;
    if (!std::isfinite(lon_deg) || !std::isfinite(lat_deg)) return false;
    return impl_->transform.forward(lon_deg, lat_deg, x_m, y_m) && std::isfinite(x_m) &&
           std::isfinite(y_m);
}
LonLat ToLonLat::operator()(double x_m, double y_m) const {
    LonLat out{NAN, NAN};
    if (std::isfinite(x_m) && std::isfinite(y_m))
        impl_->transform.inverse(x_m, y_m, out.lon_deg, out.lat_deg);
    return out;
}

std::string result_word(const RuleCheck& check) {
    if (check.samples_computed == 0) return "NOT COMPUTED";
    return check.pass ? "PASS" : "FAIL";
}

namespace {

std::string technologies_text(const BorderRule& rule) {
    std::string out;
    for (Technology t : rule.technologies)
        out += (out.empty() ? "" : "/") + std::string(technology_name(t));
    return out;
}

std::string model_of(const BorderPackage& p, std::size_t r) {
    return r < p.rule_models.size() ? p.rule_models[r] : (*p.rules)[r].model;
}

std::string creation(const BorderPackage& p) {
    return p.creation_time.empty() ? "not given" : p.creation_time;
}

struct Totals {
    std::size_t cells = 0, checked_cells = 0, checks = 0, failed_checks = 0, failed_cells = 0,
                not_computed = 0;
};
Totals totals(const BorderPackage& p) {
    Totals t;
    t.cells = p.report->cells.size();
    t.checks = p.report->checks.size();
    t.failed_checks = p.report->failed_checks;
    t.failed_cells = p.report->failed_cells;
    t.checked_cells = t.cells - p.report->cells_without_rule;
    for (const RuleCheck& c : p.report->checks) t.not_computed += c.samples_computed == 0;
    return t;
}

// How a cell's code selected its rules, for the report (docs/border.md, "Preferential codes").
std::string code_selection(const analysis::CellSummary& cs) {
    switch (cs.code_status) {
        case analysis::CodeStatus::preferential:
            return "preferential code: preferential rules only";
        case analysis::CodeStatus::non_preferential:
            return "non-preferential code: non-preferential rules only";
        case analysis::CodeStatus::no_code:
        case analysis::CodeStatus::no_code_set:
            break;
    }
    return cs.both_code_classes ? std::string(analysis::code_status_name(cs.code_status)) +
                                      ": both preferential and non-preferential rules"
                                : std::string(analysis::code_status_name(cs.code_status));
}

}  // namespace

std::string report_csv(const BorderPackage& p, const ToLonLat& ll) {
    std::string out =
        "cell_id,site_id,site_name,technology,frequency_mhz,bandwidth_mhz,eirp_dbm,rule_id,"
        "rule_distance_km,limit_dbuv_per_m,reference_bandwidth_mhz,bandwidth_correction_db,"
        "samples,samples_computed,samples_over_limit,max_field_dbuv_per_m,margin_db,result,"
        "max_lon_deg,max_lat_deg,max_x_m,max_y_m,path_km,antenna_gain_db,basic_loss_db,model,"
        "rule_source,rule_verified,code,code_status,both_code_classes,rule_code_class,"
        "compare_model,compare_max_field_dbuv_per_m,compare_margin_db,compare_result\n";
    for (const analysis::CellSummary& cs : p.report->cells) {
        const Cell& c = (*p.cells)[cs.cell].cell;
        const std::string cell_part = csv_field(c.cell_id) + "," + csv_field(c.site_id) + "," +
                                      csv_field(c.site_name) + "," + technology_name(c.technology) +
                                      "," + fixed(c.frequency_mhz, 3) + "," +
                                      fixed(c.bandwidth_mhz, 3) + "," + fixed(c.eirp_dbm, 2) + ",";
        const std::string code_part = "," + csv_field(analysis::cell_code_text(c)) + "," +
                                      analysis::code_status_name(cs.code_status) + "," +
                                      (cs.both_code_classes ? "true" : "false") + ",";
        if (cs.checks.empty()) {
            out += cell_part + ",,,,,,,,,,NO RULE,,,,,,,,,," + code_part + ",,,,\n";
            continue;
        }
        for (std::size_t k : cs.checks) {
            const RuleCheck& rc = p.report->checks[k];
            const BorderRule& rule = (*p.rules)[rc.rule];
            const LonLat at = ll(rc.max_point.x_m, rc.max_point.y_m);
            out += cell_part + csv_field(rule.id) + "," + fixed(rule.distance_km, 1) + "," +
                   fixed(rule.limit_dbuv_per_m, 1) + "," + fixed(rule.reference_bandwidth_mhz, 3) +
                   "," + fixed(rc.bandwidth_correction_db, 2) + "," + std::to_string(rc.samples) +
                   "," + std::to_string(rc.samples_computed) + "," +
                   std::to_string(rc.samples_over_limit) + "," + fixed(rc.max_field_dbuv_per_m, 2) +
                   "," + fixed(rc.margin_db, 2) + "," + result_word(rc) + "," +
                   fixed(at.lon_deg, 6) + "," + fixed(at.lat_deg, 6) + "," +
                   fixed(rc.max_point.x_m, 1) + "," + fixed(rc.max_point.y_m, 1) + "," +
                   fixed(rc.max_point_path_km, 3) + "," + fixed(rc.max_point_gain_db, 2) + "," +
                   fixed(rc.max_point_loss_db, 2) + "," + csv_field(model_of(p, rc.rule)) + "," +
                   csv_field(rule.source) + "," + (rule.verified ? "true" : "false") + code_part +
                   code_class_name(rule.code_class);
            if (rc.comparison)
                out.append(",")
                    .append(csv_field(rc.comparison->model))
                    .append(",")
                    .append(fixed(rc.comparison->max_field_dbuv_per_m, 2))
                    .append(",")
                    .append(fixed(rc.comparison->margin_db, 2))
                    .append(rc.comparison->pass ? ",PASS\n" : ",FAIL\n");
            else
                out.append(",,,,\n");
        }
    }
    return out;
}

std::string sites_csv(const BorderPackage& p) {
    std::string out =
        "site_id,site_name,cells,checks,failed_checks,failed_cells,worst_margin_db,"
        "worst_cell,worst_rule,result\n";
    for (const analysis::SiteSummary& s : p.report->sites) {
        std::string worst_cell, worst_rule;
        if (std::isfinite(s.worst_margin_db)) {
            const RuleCheck& rc = p.report->checks[s.worst_check];
            worst_cell = (*p.cells)[rc.cell].cell.cell_id;
            worst_rule = (*p.rules)[rc.rule].id;
        }
        out += csv_field(s.site_id) + "," + csv_field(s.site_name) + "," + std::to_string(s.cells) +
               "," + std::to_string(s.checks) + "," + std::to_string(s.failed_checks) + "," +
               std::to_string(s.failed_cells) + "," + fixed(s.worst_margin_db, 2) + "," +
               csv_field(worst_cell) + "," + csv_field(worst_rule) + "," +
               (s.checks == 0         ? "NO RULE"
                : s.failed_checks > 0 ? "FAIL"
                                      : "PASS") +
               "\n";
    }
    return out;
}

std::string report_json(const BorderPackage& p, const ToLonLat& ll,
                        const std::vector<std::string>& files) {
    using nlohmann::ordered_json;
    const Totals t = totals(p);
    ordered_json o;
    o["software"] = p.software;
    o["scenario"] = {
        {"name", p.scenario_name}, {"file", p.scenario_file}, {"sha256", p.scenario_sha256}};
    o["creation_time"] = creation(p);
    o["report_id"] = report_id(p);
    o["document_version"] = p.document_version;
    o["applicant"] = p.applicant;
    o["home_country"] = p.home_country;
    o["neighbour_country"] = p.neighbour_country;
    o["grid_crs"] = p.grid_crs;
    o["export_crs"] = p.export_crs;
    o["settings"] = {{"sample_spacing_m", json_fixed(p.sample_spacing_m, 1)},
                     {"max_path_km", json_fixed(p.max_path_km, 1)}};
    o["summary"] = {{"cells", t.cells},
                    {"cells_checked", t.checked_cells},
                    {"cells_without_rule", p.report->cells_without_rule},
                    {"checks", t.checks},
                    {"failed_checks", t.failed_checks},
                    {"checks_not_computed", t.not_computed},
                    {"failed_cells", t.failed_cells},
                    {"result", t.failed_checks > 0 ? "FAIL" : "PASS"}};
    ordered_json rules = ordered_json::array();
    for (std::size_t r = 0; r < p.rules->size(); ++r) {
        const BorderRule& rule = (*p.rules)[r];
        const bool unused = std::find(p.report->unused_rules.begin(), p.report->unused_rules.end(),
                                      r) != p.report->unused_rules.end();
        rules.push_back({{"id", rule.id},
                         {"description", rule.description},
                         {"technologies", technologies_text(rule)},
                         {"band_mhz", ordered_json::array({json_fixed(rule.band_min_mhz, 3),
                                                           json_fixed(rule.band_max_mhz, 3)})},
                         {"limit_dbuv_per_m", json_fixed(rule.limit_dbuv_per_m, 2)},
                         {"reference_bandwidth_mhz", json_fixed(rule.reference_bandwidth_mhz, 3)},
                         {"rx_height_agl_m", json_fixed(rule.rx_height_agl_m, 2)},
                         {"distance_km", json_fixed(rule.distance_km, 3)},
                         {"time_percent", json_fixed(rule.time_percent, 2)},
                         {"location_percent", json_fixed(rule.location_percent, 2)},
                         {"model", model_of(p, r)},
                         {"source", rule.source},
                         {"verified", rule.verified},
                         {"applied", !unused}});
    }
    o["rules"] = std::move(rules);
    ordered_json lines = ordered_json::array();
    for (const analysis::BorderLine& l : p.geometry->lines())
        lines.push_back({{"distance_km", json_fixed(l.distance_m / 1000.0, 3)},
                         {"length_km", json_fixed(l.length_m / 1000.0, 3)},
                         {"parts", l.parts.size()},
                         {"samples", l.samples.size()}});
    o["lines"] = std::move(lines);
    ordered_json sites = ordered_json::array();
    for (const analysis::SiteSummary& s : p.report->sites)
        sites.push_back({{"site_id", s.site_id},
                         {"site_name", s.site_name},
                         {"cells", s.cells},
                         {"checks", s.checks},
                         {"failed_checks", s.failed_checks},
                         {"failed_cells", s.failed_cells},
                         {"worst_margin_db", json_fixed(s.worst_margin_db, 2)}});
    o["sites"] = std::move(sites);
    ordered_json cells = ordered_json::array();
    for (const analysis::CellSummary& cs : p.report->cells) {
        const Cell& c = (*p.cells)[cs.cell].cell;
        ordered_json checks = ordered_json::array();
        for (std::size_t k : cs.checks) {
            const RuleCheck& rc = p.report->checks[k];
            const LonLat at = ll(rc.max_point.x_m, rc.max_point.y_m);
            checks.push_back(
                {{"rule", (*p.rules)[rc.rule].id},
                 {"code_class", code_class_name((*p.rules)[rc.rule].code_class)},
                 {"result", result_word(rc)},
                 {"max_field_dbuv_per_m", json_fixed(rc.max_field_dbuv_per_m, 2)},
                 {"margin_db", json_fixed(rc.margin_db, 2)},
                 {"bandwidth_correction_db", json_fixed(rc.bandwidth_correction_db, 2)},
                 {"samples", rc.samples},
                 {"samples_computed", rc.samples_computed},
                 {"samples_over_limit", rc.samples_over_limit},
                 {"max_at",
                  {{"lon_deg", json_fixed(at.lon_deg, 6)},
                   {"lat_deg", json_fixed(at.lat_deg, 6)},
                   {"x_m", json_fixed(rc.max_point.x_m, 1)},
                   {"y_m", json_fixed(rc.max_point.y_m, 1)},
                   {"path_km", json_fixed(rc.max_point_path_km, 3)},
                   {"antenna_gain_db", json_fixed(rc.max_point_gain_db, 2)},
                   {"basic_loss_db", json_fixed(rc.max_point_loss_db, 2)}}}});
            if (rc.comparison)
                checks.back()["comparison"] = {
                    {"model", rc.comparison->model},
                    {"max_field_dbuv_per_m", json_fixed(rc.comparison->max_field_dbuv_per_m, 2)},
                    {"margin_db", json_fixed(rc.comparison->margin_db, 2)},
                    {"result", rc.comparison->pass ? "PASS" : "FAIL"}};
        }
        cells.push_back({{"cell_id", c.cell_id},
                         {"site_id", c.site_id},
                         {"technology", technology_name(c.technology)},
                         {"frequency_mhz", json_fixed(c.frequency_mhz, 3)},
                         {"bandwidth_mhz", json_fixed(c.bandwidth_mhz, 3)},
                         {"eirp_dbm", json_fixed(c.eirp_dbm, 2)},
                         {"lat_deg", json_fixed(c.lat_deg, 6)},
                         {"lon_deg", json_fixed(c.lon_deg, 6)},
                         {"code", analysis::cell_code_text(c)},
                         {"code_status", analysis::code_status_name(cs.code_status)},
                         {"both_code_classes", cs.both_code_classes},
                         {"rule_selection", code_selection(cs)},
                         {"result", cs.checks.empty() ? "NO RULE"
                                    : cs.pass         ? "PASS"
                                                      : "FAIL"},
                         {"worst_margin_db", json_fixed(cs.worst_margin_db, 2)},
                         {"checks", std::move(checks)}});
    }
    o["cells"] = std::move(cells);
    ordered_json inputs = ordered_json::array();
    for (const auto& in : p.inputs)
        inputs.push_back({{"role", in.role}, {"path", in.path}, {"sha256", in.sha256}});
    o["inputs"] = std::move(inputs);
    ordered_json credits = ordered_json::array();
    for (const Attribution& a : attributions_for(p.inputs, p.extra_attributions))
        credits.push_back({{"source", a.source},
                           {"credit", a.credit},
                           {"licence", a.licence},
                           {"licence_url", a.licence_url},
                           {"inputs", a.inputs}});
    o["attributions"] = std::move(credits);
    o["files"] = files;
    return json_text(o);
}

namespace {

std::string table_head(const std::vector<std::string>& columns) {
    std::string h = "<thead><tr>";
    for (const std::string& c : columns) h += "<th>" + html_escape(c) + "</th>";
    return h + "</tr></thead>\n";
}

// Print: A4 with running headers and page numbers (CSS Paged Media margin boxes), tables that
// repeat their header on each page, figures and rows kept whole, each major part on a new page.
const char* kReportCss =
    "body{font-family:Helvetica,Arial,sans-serif;margin:2em;max-width:1200px;color:#222;"
    "font-size:10pt}\n"
    "h1{font-size:16pt}h2{font-size:13pt;border-bottom:1px solid #999;margin-top:1.6em}\n"
    "h3{font-size:11pt}\n"
    "table{border-collapse:collapse;margin:0.6em 0;font-size:8.5pt}\n"
    "th,td{border:1px solid #bbb;padding:2px 5px;text-align:left;vertical-align:top}\n"
    "th{background:#eee}td.n{text-align:right}\n.fail{background:#f8d0d0}\n"
    ".pass{background:#d8f0d8}\n.warn{background:#fff3c0;padding:0.5em 1em;"
    "border:1px solid #e0c060}\n"
    ".placeholder{border:2px dashed #c08000;padding:0.4em 1em;background:#fff8e8}\n"
    "table.doc th{width:14em}\nfigure{margin:1em 0}figcaption{font-size:8.5pt;color:#444}\n"
    "svg{max-width:100%;height:auto}\n"
    ".attrib{font-size:8.5pt;color:#333}\ncode{font-size:8pt}\n"
    "@page{size:A4;margin:18mm 14mm 18mm 14mm;"
    "@top-left{content:\"grenzfunk cross-border coordination report\";font-size:8pt;"
    "color:#555}"
    "@bottom-right{content:\"page \" counter(page) \" of \" counter(pages);font-size:8pt;"
    "color:#555}}\n"
    "@media print{body{margin:0;max-width:none;font-size:9pt}"
    ".newpage{break-before:page}h2,h3{break-after:avoid}"
    "tr,figure,.keep{break-inside:avoid}thead{display:table-header-group}"
    "a{color:inherit;text-decoration:none}}\n";

}  // namespace

std::string report_html(const BorderPackage& p, const ToLonLat& ll) {
    const Totals t = totals(p);
    const std::string id = report_id(p);
    const std::vector<std::string> attributions = attribution_lines(p);
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<title>Cross-border check " + html_escape(p.scenario_name) + " " + id + "</title>\n";
    h += "<style>\n";
    h += kReportCss;
    // The report id and version in the running header (ids are [A-F0-9-]; the version is not
    // put into CSS, which has its own escaping rules).
    h += "@page{@top-right{content:\"" + id + "\";font-size:8pt;color:#555}}\n";
    h += "</style>\n</head>\n<body>\n";
    h += "<h1>Cross-border coordination check: " + html_escape(p.scenario_name) + "</h1>\n";
    h += "<table class=\"doc\">\n";
    for (const DocumentField& f : document_control(p))
        h += "<tr><th>" + html_escape(f.name) + "</th><td>" + html_escape(f.value) + "</td></tr>\n";
    h += "</table>\n";
    if (const std::string w = unverified_warning(p); !w.empty())
        h += "<p class=\"warn\"><b>Limits not verified.</b> " +
             html_escape(w.substr(w.find('.') + 2)) + "</p>\n";

    h += "<h2>Result</h2>\n<table>\n";
    auto row = [&](const std::string& k, const std::string& v) {
        h += "<tr><th>" + k + "</th><td>" + v + "</td></tr>\n";
    };
    row("Overall", t.failed_checks > 0 ? "<b>FAIL</b>" : "<b>PASS</b>");
    row("Home cells", std::to_string(t.cells));
    row("Cells with an applicable rule", std::to_string(t.checked_cells));
    row("Cells without an applicable rule", std::to_string(p.report->cells_without_rule));
    row("Checks (cell &times; rule)", std::to_string(t.checks));
    row("Failed checks", std::to_string(t.failed_checks));
    row("Cells failing at least one rule", std::to_string(t.failed_cells));
    row("Checks not computed (no sample within reach)", std::to_string(t.not_computed));
    row("Sample spacing along the lines", fixed(p.sample_spacing_m, 0) + " m");
    row("Longest path computed", fixed(p.max_path_km, 0) + " km");
    h += "</table>\n";

    // Failing checks first: what the regulator reads before anything else.
    const std::vector<std::size_t> failed = failed_checks_first(p);
    h += "<h2>Failed checks</h2>\n";
    if (failed.empty()) {
        h += "<p>No check fails.</p>\n";
    } else {
        h += "<p>Smallest margin first. Field strength at the rule's receiver height, normalised "
             "to the rule's reference bandwidth; margin = limit &minus; maximum.</p>\n<table>\n" +
             table_head({"Cell", "Site", "Rule", "Limit (dB\xC2\xB5V/m)",
                         "Max field (dB\xC2\xB5V/m)", "Margin (dB)", "Samples over limit",
                         "Worst point (lat, lon)", "Path (km)"}) +
             "<tbody>\n";
        for (std::size_t k : failed) {
            const RuleCheck& rc = p.report->checks[k];
            const Cell& c = (*p.cells)[rc.cell].cell;
            const BorderRule& rule = (*p.rules)[rc.rule];
            const LonLat at = ll(rc.max_point.x_m, rc.max_point.y_m);
            h += "<tr class=\"fail\"><td>" + html_escape(c.cell_id) + "</td><td>" +
                 html_escape(c.site_id) + "</td><td>" + html_escape(rule.id) +
                 "</td><td class=\"n\">" + fixed(rule.limit_dbuv_per_m, 1) +
                 "</td><td class=\"n\">" + fixed(rc.max_field_dbuv_per_m, 1, "n/a") +
                 "</td><td class=\"n\">" + fixed(rc.margin_db, 1, "n/a") + "</td><td class=\"n\">" +
                 std::to_string(rc.samples_over_limit) + " / " +
                 std::to_string(rc.samples_computed) + "</td><td>" + fixed(at.lat_deg, 5, "n/a") +
                 ", " + fixed(at.lon_deg, 5, "n/a") + "</td><td class=\"n\">" +
                 fixed(rc.max_point_path_km, 1, "n/a") + "</td></tr>\n";
        }
        h += "</tbody></table>\n";
    }

    // The same checks under the other method (border_compare.hpp), beside the rule's method.
    {
        const auto rows = comparison_rows(p);
        h += "<h2>Sensitivity to the method</h2>\n";
        if (rows.empty()) {
            h += "<p>No check fails or lies within " + fixed(analysis::kCompareWithinDb, 0) +
                 " dB of its limit" +
                 (p.compare_note.empty() ? std::string(".") : "; " + html_escape(p.compare_note)) +
                 "</p>\n";
        } else {
            h += "<p>Failed checks and checks within " + fixed(analysis::kCompareWithinDb, 0) +
                 " dB of the limit, computed again with the other method. Only the rule's own "
                 "method decides.</p>\n<table>\n" +
                 table_head(comparison_header()) + "<tbody>\n";
            for (const auto& cells : rows) {
                h += "<tr>";
                for (std::size_t i = 0; i < cells.size(); ++i)
                    h += std::string(i == 2 || i == 4 || i == 5 || i == 7 || i == 8
                                         ? "<td class=\"n\">"
                                         : "<td>") +
                         html_escape(cells[i]) + "</td>";
                h += "</tr>\n";
            }
            h += "</tbody></table>\n";
        }
    }

    h += "<h2 class=\"newpage\">Site technical table</h2>\n<p>Every " +
         html_escape(p.home_country) +
         " cell of the check. Height above ground; e.i.r.p. at boresight; azimuth from true "
         "north; tilt mechanical + electrical, positive down.</p>\n<table>\n" +
         table_head(site_table_header()) + "<tbody>\n";
    for (const auto& cells : site_table_rows(p)) {
        h += "<tr>";
        for (std::size_t i = 0; i < cells.size(); ++i)
            h += std::string(i >= 2 && i <= 10 && i != 7 ? "<td class=\"n\">" : "<td>") +
                 html_escape(cells[i]) + "</td>";
        h += "</tr>\n";
    }
    h += "</tbody></table>\n";

    h += "<h2 class=\"newpage\">Map</h2>\n<figure class=\"keep\">\n" +
         figure_svg(map_figure(p, ll, attributions)) +
         "\n<figcaption>Coverage in the home country, field strength minus limit in the "
         "neighbour country, the border and distance lines, the sites and the worst points of "
         "failed checks.</figcaption>\n</figure>\n";

    const std::vector<std::size_t> profiles = profile_checks(p);
    if (!profiles.empty()) {
        h += "<h2 class=\"newpage\">Terrain profiles of the failing cells</h2>\n<p>Per failing "
             "cell, its worst check: the terrain from the site to the point of the maximum, the "
             "line of sight from the antenna to the receiver and the field strength "
             "there.</p>\n";
        for (std::size_t k : profiles) {
            const Figure f = profile_figure(p, k);
            if (f.width > 0.0) h += "<figure class=\"keep\">\n" + figure_svg(f) + "\n</figure>\n";
        }
    }

    h += "<h2 class=\"newpage\">Rules</h2>\n<table>\n" +
         table_head({"Rule", "Technologies", "Band (MHz)", "Limit (dB\xC2\xB5V/m)", "Ref. BW (MHz)",
                     "Distance (km)", "Rx height (m)", "Time / locations (%)", "Model", "Source",
                     "Verified"}) +
         "<tbody>\n";
    for (std::size_t r = 0; r < p.rules->size(); ++r) {
        const BorderRule& rule = (*p.rules)[r];
        h += "<tr><td>" + html_escape(rule.id) + "<br><small>" + html_escape(rule.description) +
             "</small></td><td>" + technologies_text(rule) + "</td><td class=\"n\">" +
             fixed(rule.band_min_mhz, 1) + "&ndash;" + fixed(rule.band_max_mhz, 1) +
             "</td><td class=\"n\">" + fixed(rule.limit_dbuv_per_m, 1) + "</td><td class=\"n\">" +
             fixed(rule.reference_bandwidth_mhz, 1) + "</td><td class=\"n\">" +
             fixed(rule.distance_km, 1) + "</td><td class=\"n\">" + fixed(rule.rx_height_agl_m, 1) +
             "</td><td class=\"n\">" + fixed(rule.time_percent, 0) + " / " +
             fixed(rule.location_percent, 0) + "</td><td>" + html_escape(model_of(p, r)) +
             "</td><td>" + html_escape(rule.source) + "</td><td class=\"" +
             (rule.verified ? "pass\">yes" : "fail\">no") + "</td></tr>\n";
    }
    h += "</tbody></table>\n";

    h += "<h2>All checks</h2>\n<table>\n" +
         table_head({"Cell", "Site", "Tech", "f (MHz)", "BW (MHz)", "EIRP (dBm)",
                     "Code (rules selected)", "Rule", "Limit", "Max field", "Margin (dB)",
                     "Samples over limit", "Worst point (lat, lon)", "Path (km)", "Result"}) +
         "<tbody>\n";
    for (const analysis::CellSummary& cs : p.report->cells) {
        const Cell& c = (*p.cells)[cs.cell].cell;
        const std::string head =
            "<td>" + html_escape(c.cell_id) + "</td><td>" + html_escape(c.site_id) + "</td><td>" +
            technology_name(c.technology) + "</td><td class=\"n\">" + fixed(c.frequency_mhz, 1) +
            "</td><td class=\"n\">" + fixed(c.bandwidth_mhz, 1) + "</td><td class=\"n\">" +
            fixed(c.eirp_dbm, 1) + "</td><td>" + html_escape(analysis::cell_code_text(c)) +
            (analysis::cell_code_text(c).empty() ? "" : "; ") + html_escape(code_selection(cs)) +
            "</td>";
        if (cs.checks.empty()) {
            h += "<tr>" + head + "<td colspan=\"7\">no rule applies</td><td>NO RULE</td></tr>\n";
            continue;
        }
        for (std::size_t k : cs.checks) {
            const RuleCheck& rc = p.report->checks[k];
            const BorderRule& rule = (*p.rules)[rc.rule];
            const LonLat at = ll(rc.max_point.x_m, rc.max_point.y_m);
            const std::string word = result_word(rc);
            h += std::string("<tr class=\"") + (word == "FAIL" ? "fail" : "pass") + "\">" + head +
                 "<td>" + html_escape(rule.id) + "</td><td class=\"n\">" +
                 fixed(rule.limit_dbuv_per_m, 1) + "</td><td class=\"n\">" +
                 fixed(rc.max_field_dbuv_per_m, 1, "n/a") + "</td><td class=\"n\">" +
                 fixed(rc.margin_db, 1, "n/a") + "</td><td class=\"n\">" +
                 std::to_string(rc.samples_over_limit) + " / " +
                 std::to_string(rc.samples_computed) + "</td><td>" + fixed(at.lat_deg, 5, "n/a") +
                 ", " + fixed(at.lon_deg, 5, "n/a") + "</td><td class=\"n\">" +
                 fixed(rc.max_point_path_km, 1, "n/a") + "</td><td>" + word + "</td></tr>\n";
        }
    }
    h += "</tbody></table>\n";

    h += "<h2>Sites</h2>\n<table>\n" +
         table_head({"Site", "Name", "Cells", "Checks", "Failed checks", "Failed cells",
                     "Worst margin (dB)", "Worst cell / rule"}) +
         "<tbody>\n";
    for (const analysis::SiteSummary& s : p.report->sites) {
        std::string worst;
        if (std::isfinite(s.worst_margin_db)) {
            const RuleCheck& rc = p.report->checks[s.worst_check];
            worst = html_escape((*p.cells)[rc.cell].cell.cell_id) + " / " +
                    html_escape((*p.rules)[rc.rule].id);
        }
        h += std::string("<tr class=\"") +
             (s.failed_checks ? "fail"
              : s.checks      ? "pass"
                              : "") +
             "\"><td>" + html_escape(s.site_id) + "</td><td>" + html_escape(s.site_name) +
             "</td><td class=\"n\">" + std::to_string(s.cells) + "</td><td class=\"n\">" +
             std::to_string(s.checks) + "</td><td class=\"n\">" + std::to_string(s.failed_checks) +
             "</td><td class=\"n\">" + std::to_string(s.failed_cells) + "</td><td class=\"n\">" +
             fixed(s.worst_margin_db, 1, "n/a") + "</td><td>" + worst + "</td></tr>\n";
    }
    h += "</tbody></table>\n";

    h += "<h2>Lines</h2>\n<table>\n" +
         table_head({"Distance into " + p.neighbour_country + " (km)", "Length (km)", "Parts",
                     "Sample points"}) +
         "<tbody>\n";
    for (const analysis::BorderLine& l : p.geometry->lines())
        h += "<tr><td class=\"n\">" + fixed(l.distance_m / 1000.0, 1) + "</td><td class=\"n\">" +
             fixed(l.length_m / 1000.0, 1) + "</td><td class=\"n\">" +
             std::to_string(l.parts.size()) + "</td><td class=\"n\">" +
             std::to_string(l.samples.size()) + "</td></tr>\n";
    h += "</tbody></table>\n";

    h += "<h2 class=\"newpage\">Method statement</h2>\n";
    for (const MethodParagraph& m : method_statement(p)) {
        if (m.placeholder)
            h += "<!-- HCM method paragraph: marked place, filled from the HCM model's "
                 "reference() (report_content.cpp) -->\n<div class=\"placeholder\" "
                 "id=\"method-hcm\">";
        h += "<h3>" + html_escape(m.heading) + "</h3>\n<p>" + html_escape(m.text) + "</p>\n";
        if (m.placeholder) h += "</div>\n";
    }
    h += "<p>Rasters in " + html_escape(p.export_crs) + "; geometry computed in " +
         html_escape(p.grid_crs) + ".</p>\n";

    h += "<h2>Inputs</h2>\n<table>\n" + table_head({"Role", "File", "SHA-256"}) + "<tbody>\n";
    for (const PackageInput& in : p.inputs)
        h += "<tr><td>" + html_escape(in.role) + "</td><td>" + html_escape(in.path) +
             "</td><td><code>" + in.sha256 + "</code></td></tr>\n";
    h += "</tbody></table>\n";

    h += "<h2>Data sources and attributions</h2>\n<table>\n" +
         table_head({"Source", "Attribution", "Licence", "Inputs"}) + "<tbody>\n";
    for (const Attribution& a : attributions_for(p.inputs, p.extra_attributions)) {
        std::string ins;
        for (const std::string& i : a.inputs) ins += (ins.empty() ? "" : "<br>") + html_escape(i);
        h += "<tr><td>" + html_escape(a.source) + "</td><td>" + html_escape(a.credit) +
             "</td><td>" + html_escape(a.licence) +
             (a.licence_url.empty() ? std::string()
                                    : "<br><small>" + html_escape(a.licence_url) + "</small>") +
             "</td><td>" + ins + "</td></tr>\n";
    }
    h += "</tbody></table>\n<p class=\"attrib\">";
    for (std::size_t i = 0; i < attributions.size(); ++i)
        h += (i ? " &middot; " : "") + html_escape(attributions[i]);
    h += "</p>\n</body>\n</html>\n";
    return h;
}

std::string lines_geojson(const BorderPackage& p, const ToLonLat& ll) {
    using nlohmann::ordered_json;
    auto coord = [&](double x, double y) {
        const LonLat a = ll(x, y);
        return ordered_json::array({json_fixed(a.lon_deg, 7), json_fixed(a.lat_deg, 7)});
    };
    ordered_json features = ordered_json::array();
    for (const analysis::BorderLine& l : p.geometry->lines()) {
        for (std::size_t k = 0; k < l.parts.size(); ++k) {
            ordered_json coordinates = ordered_json::array();
            for (const auto& pt : l.parts[k]) coordinates.push_back(coord(pt.x_m, pt.y_m));
            features.push_back(
                {{"type", "Feature"},
                 {"properties",
                  {{"kind", "line"},
                   {"distance_km", json_fixed(l.distance_m / 1000.0, 3)},
                   {"part", k}}},
                 {"geometry", {{"type", "LineString"}, {"coordinates", std::move(coordinates)}}}});
        }
    }
    for (const RuleCheck& rc : p.report->checks) {
        if (rc.pass) continue;
        features.push_back(
            {{"type", "Feature"},
             {"properties",
              {{"kind", "worst point"},
               {"cell_id", (*p.cells)[rc.cell].cell.cell_id},
               {"rule", (*p.rules)[rc.rule].id},
               {"field_dbuv_per_m", json_fixed(rc.max_field_dbuv_per_m, 2)},
               {"margin_db", json_fixed(rc.margin_db, 2)}}},
             {"geometry",
              {{"type", "Point"}, {"coordinates", coord(rc.max_point.x_m, rc.max_point.y_m)}}}});
    }
    ordered_json o;
    o["type"] = "FeatureCollection";
    o["features"] = std::move(features);
    return json_text(o);
}

std::string overlay_kml(const BorderPackage& p, const ToLonLat& ll, const std::string& overlay_file,
                        const double box[4]) {
    std::string k =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n";
    k += "<name>" + html_escape("grenzfunk border check: " + p.scenario_name) + "</name>\n";
    std::string data_credit;
    for (const std::string& a : attribution_lines(p))
        data_credit += (data_credit.empty() ? "Data: " : "; ") + a;
    // The attributions the data licences require, shown on the globe as well (KML 2.2
    // ScreenOverlay would need a picture; a Snippet is shown under the document's name).
    k += "<Snippet maxLines=\"4\">" + html_escape(data_credit) + "</Snippet>\n";
    k += "<description>" +
         html_escape(p.software + "; report " + report_id(p) + "; scenario SHA-256 " +
                     p.scenario_sha256 + "; created " + creation(p) + ". " + data_credit) +
         "</description>\n";
    k += "<Style id=\"border\"><LineStyle><color>ff000000</color><width>3</width></LineStyle>"
         "</Style>\n<Style id=\"offset\"><LineStyle><color>ff5a5a5a</color><width>2</width>"
         "</LineStyle></Style>\n<Style id=\"site\"><IconStyle><color>ffc83c1e</color>"
         "<scale>0.7</scale></IconStyle></Style>\n<Style id=\"worst\"><IconStyle>"
         "<color>ffa000c8</color><scale>0.8</scale></IconStyle></Style>\n";
    if (!overlay_file.empty())
        k += "<GroundOverlay><name>Exceedance (field strength minus limit)</name><description>" +
             html_escape(data_credit) + "</description><color>b4ffffff</color><Icon><href>" +
             overlay_file + "</href></Icon><LatLonBox><north>" + fixed(box[3], 8) +
             "</north><south>" + fixed(box[1], 8) + "</south><east>" + fixed(box[2], 8) +
             "</east><west>" + fixed(box[0], 8) + "</west></LatLonBox></GroundOverlay>\n";
    auto coord = [&](double x, double y) {
        const LonLat a = ll(x, y);
        return fixed(a.lon_deg, 7) + "," + fixed(a.lat_deg, 7) + ",0";
    };
    k += "<Folder><name>Lines</name>\n";
    for (const analysis::BorderLine& l : p.geometry->lines())
        for (const analysis::Polyline& part : l.parts) {
            k += "<Placemark><name>" +
                 (l.distance_m == 0.0 ? std::string("border")
                                      : fixed(l.distance_m / 1000.0, 1) + " km") +
                 "</name><styleUrl>#" + (l.distance_m == 0.0 ? "border" : "offset") +
                 "</styleUrl><LineString><tessellate>1</tessellate><coordinates>";
            for (std::size_t i = 0; i < part.size(); ++i)
                k += (i ? " " : "") + coord(part[i].x_m, part[i].y_m);
            k += "</coordinates></LineString></Placemark>\n";
        }
    k += "</Folder>\n<Folder><name>Sites</name>\n";
    std::vector<std::string> seen;
    for (const analysis::BorderCell& c : *p.cells) {
        if (std::find(seen.begin(), seen.end(), c.cell.site_id) != seen.end()) continue;
        seen.push_back(c.cell.site_id);
        k += "<Placemark><name>" + html_escape(c.cell.site_id) + "</name><description>" +
             html_escape(c.cell.site_name) +
             "</description><styleUrl>#site</styleUrl><Point><coordinates>" +
             fixed(c.cell.lon_deg, 7) + "," + fixed(c.cell.lat_deg, 7) +
             ",0</coordinates></Point></Placemark>\n";
    }
    k += "</Folder>\n<Folder><name>Worst points of failed checks</name>\n";
    for (const RuleCheck& rc : p.report->checks) {
        if (rc.pass) continue;
        k += "<Placemark><name>" + html_escape((*p.cells)[rc.cell].cell.cell_id) +
             "</name><description>" +
             html_escape((*p.rules)[rc.rule].id + ": " + fixed(rc.max_field_dbuv_per_m, 1) +
                         " dBuV/m, margin " + fixed(rc.margin_db, 1) + " dB") +
             "</description><styleUrl>#worst</styleUrl><Point><coordinates>" +
             coord(rc.max_point.x_m, rc.max_point.y_m) + "</coordinates></Point></Placemark>\n";
    }
    k += "</Folder>\n</Document>\n</kml>\n";
    return k;
}

namespace {

struct Rgb {
    int r, g, b;
};

Rgb mix(Rgb a, Rgb b, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return {int(std::lround(a.r + (b.r - a.r) * t)), int(std::lround(a.g + (b.g - a.g) * t)),
            int(std::lround(a.b + (b.b - a.b) * t))};
}

// Exceedance colours: -20..0 dB pale yellow to orange, above 0 red to dark red (0..30 dB).
bool exceedance_colour(double e, Rgb& out) {
    if (!std::isfinite(e) || e < -20.0) return false;
    out = e <= 0.0 ? mix({255, 245, 200}, {255, 170, 60}, (e + 20.0) / 20.0)
                   : mix({240, 70, 50}, {120, 0, 0}, e / 30.0);
    return true;
}

double sample_raster(const Raster<float>& r, double x, double y) {
    const double c = r.grid.col_of(x), rr = r.grid.row_of(y);
    if (!(c >= 0.0 && rr >= 0.0 && c < r.grid.width && rr < r.grid.height)) return NAN;
    const float v = r.at(int(c), int(rr));
    return v == r.nodata ? NAN : double(v);
}

class Canvas {
  public:
    Canvas(int w, int h) : img_{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 4, 255)} {}
    void set(int x, int y, Rgb c) {
        if (x < 0 || y < 0 || x >= img_.width || y >= img_.height) return;
        std::uint8_t* p = &img_.rgba[(std::size_t(y) * img_.width + x) * 4];
        p[0] = std::uint8_t(c.r);
        p[1] = std::uint8_t(c.g);
        p[2] = std::uint8_t(c.b);
        p[3] = 255;
    }
    void square(int cx, int cy, int half, Rgb c) {
        for (int y = cy - half; y <= cy + half; ++y)
            for (int x = cx - half; x <= cx + half; ++x) set(x, y, c);
    }
    // Line with a square pen; dash = 0 for solid, else on/off lengths in pixels.
    void line(double x0, double y0, double x1, double y1, int half, Rgb c, int dash,
              double& phase) {
        const double len = std::hypot(x1 - x0, y1 - y0);
        const int steps = std::max(1, int(std::ceil(len * 2.0)));
        for (int i = 0; i <= steps; ++i) {
            const double t = double(i) / steps;
            const double along = phase + t * len;
            if (dash > 0 && std::fmod(along, 2.0 * dash) >= dash) continue;
            square(int(std::lround(x0 + t * (x1 - x0))), int(std::lround(y0 + t * (y1 - y0))), half,
                   c);
        }
        phase += len;
    }
    Image take() { return std::move(img_); }

  private:
    Image img_;
};

}  // namespace

Image render_map(const BorderPackage& p, int max_size) {
    double min_x, min_y, max_x, max_y;
    p.geometry->region_bounds(min_x, min_y, max_x, max_y);
    const double px = std::max(max_x - min_x, max_y - min_y) / double(max_size);
    const int w = std::max(1, int(std::ceil((max_x - min_x) / px)));
    const int h = std::max(1, int(std::ceil((max_y - min_y) / px)));
    Canvas canvas(w, h);
    auto to_px = [&](double x, double y, double& cx, double& cy) {
        cx = (x - min_x) / px;
        cy = (max_y - y) / px;
    };
    GridSpec canvas_grid;
    canvas_grid.origin_x_m = min_x;
    canvas_grid.origin_y_m = max_y;
    canvas_grid.pixel_size_m = px;
    canvas_grid.width = w;
    canvas_grid.height = h;
    const std::vector<std::uint8_t> territory = p.geometry->territory_mask(canvas_grid);
    for (int row = 0; row < h; ++row) {
        const double y = max_y - (row + 0.5) * px;
        for (int col = 0; col < w; ++col) {
            const double x = min_x + (col + 0.5) * px;
            Rgb c{250, 250, 250};
            const std::uint8_t t = territory[std::size_t(row) * w + col];
            if (t != 0) {
                if (t == 2) {
                    c = {238, 232, 214};
                    Rgb e;
                    if (p.exceedance_db &&
                        exceedance_colour(sample_raster(*p.exceedance_db, x, y), e))
                        c = e;
                } else {
                    c = {222, 222, 222};
                    const double f = p.coverage_field_dbuv_per_m
                                         ? sample_raster(*p.coverage_field_dbuv_per_m, x, y)
                                         : NAN;
                    if (std::isfinite(f) && f >= 20.0)
                        c = mix({215, 236, 215}, {30, 110, 50}, (f - 20.0) / 80.0);
                }
            }
            canvas.set(col, row, c);
        }
    }
    // Distance lines (dashed grey), then the border (black).
    for (int pass = 0; pass < 2; ++pass)
        for (const analysis::BorderLine& l : p.geometry->lines()) {
            const bool border = l.distance_m == 0.0;
            if (border != (pass == 1)) continue;
            for (const analysis::Polyline& part : l.parts) {
                double phase = 0.0;
                for (std::size_t i = 1; i < part.size(); ++i) {
                    double ax, ay, bx, by;
                    to_px(part[i - 1].x_m, part[i - 1].y_m, ax, ay);
                    to_px(part[i].x_m, part[i].y_m, bx, by);
                    if (border)
                        canvas.line(ax, ay, bx, by, 1, {0, 0, 0}, 0, phase);
                    else
                        canvas.line(ax, ay, bx, by, 0, {90, 90, 90}, 6, phase);
                }
            }
        }
    if (p.geometry->lines().empty() || p.geometry->lines().front().distance_m != 0.0)
        for (const analysis::Polyline& part : p.geometry->border_edges()) {
            double phase = 0.0;
            for (std::size_t i = 1; i < part.size(); ++i) {
                double ax, ay, bx, by;
                to_px(part[i - 1].x_m, part[i - 1].y_m, ax, ay);
                to_px(part[i].x_m, part[i].y_m, bx, by);
                canvas.line(ax, ay, bx, by, 1, {0, 0, 0}, 0, phase);
            }
        }
    // Sites (red when a cell of the site fails), then worst points of failed checks.
    for (const analysis::SiteSummary& s : p.report->sites) {
        for (const analysis::BorderCell& c : *p.cells) {
            if (c.cell.site_id != s.site_id) continue;
            double cx, cy;
            to_px(c.x_m, c.y_m, cx, cy);
            canvas.square(int(std::lround(cx)), int(std::lround(cy)), 4, {255, 255, 255});
            canvas.square(int(std::lround(cx)), int(std::lround(cy)), 3,
                          s.failed_checks ? Rgb{220, 0, 0} : Rgb{30, 60, 200});
            break;
        }
    }
    for (const RuleCheck& rc : p.report->checks) {
        if (rc.pass || !std::isfinite(rc.max_point.x_m)) continue;
        double cx, cy;
        to_px(rc.max_point.x_m, rc.max_point.y_m, cx, cy);
        for (int d = -4; d <= 4; ++d) {
            canvas.square(int(std::lround(cx)) + d, int(std::lround(cy)) + d, 0, {200, 0, 160});
            canvas.square(int(std::lround(cx)) + d, int(std::lround(cy)) - d, 0, {200, 0, 160});
        }
    }
    return canvas.take();
}

Colour legend_coverage_colour(double field_dbuv_per_m) {
    const Rgb c = mix({215, 236, 215}, {30, 110, 50}, (field_dbuv_per_m - 20.0) / 80.0);
    if (field_dbuv_per_m < 20.0) return {222, 222, 222};
    return {std::uint8_t(c.r), std::uint8_t(c.g), std::uint8_t(c.b)};
}

Colour legend_exceedance_colour(double exceedance_db) {
    Rgb c{238, 232, 214};
    exceedance_colour(exceedance_db, c);
    return {std::uint8_t(c.r), std::uint8_t(c.g), std::uint8_t(c.b)};
}

std::string model_name_of(const BorderPackage& p, std::size_t rule) {
    const std::string m = model_of(p, rule);
    return m.substr(0, m.find(' '));
}

Image colour_exceedance(const Raster<float>& exceedance_db) {
    Image img{exceedance_db.grid.width, exceedance_db.grid.height,
              std::vector<std::uint8_t>(exceedance_db.grid.pixel_count() * 4, 0)};
    for (std::size_t i = 0; i < exceedance_db.values.size(); ++i) {
        const float v = exceedance_db.values[i];
        Rgb c;
        if (v == exceedance_db.nodata || !exceedance_colour(v, c)) continue;
        img.rgba[i * 4 + 0] = std::uint8_t(c.r);
        img.rgba[i * 4 + 1] = std::uint8_t(c.g);
        img.rgba[i * 4 + 2] = std::uint8_t(c.b);
        img.rgba[i * 4 + 3] = 255;
    }
    return img;
}

}  // namespace grenzfunk::report::detail
