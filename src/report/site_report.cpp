#include "report/site_report.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/text_format.hpp"

namespace grenzfunk::report {

namespace {

using analysis::BorderMargin;
using analysis::ServiceCount;
using text::csv_field;
using text::format_fixed;

std::string km2(std::size_t pixels, double pixel_area_km2) {
    return format_fixed(double(pixels) * pixel_area_km2, 6);
}

void class_header(std::ostringstream& out, std::size_t class_count) {
    for (std::size_t k = 1; k <= class_count; ++k) out << ",class" << k << "_km2";
    out << ",none_km2";
}

// class1..class<n>, then none (class 0); empty fields without classes.
void class_fields(std::ostringstream& out, const ServiceCount& count, std::size_t class_count,
                  double a) {
    if (count.class_pixels.empty()) {
        for (std::size_t k = 0; k <= class_count; ++k) out << ',';
        return;
    }
    for (std::size_t k = 1; k <= class_count; ++k) out << ',' << km2(count.class_pixels[k], a);
    out << ',' << km2(count.class_pixels[0], a);
}

// border_checks,border_worst_margin_db,border_worst_rule: empty without a border check.
void border_fields(std::ostringstream& out, const BorderMargin* m) {
    if (!m) {
        out << ",,,";
        return;
    }
    out << ',' << m->checks << ',' << format_fixed(m->worst_margin_db, 2, "") << ','
        << csv_field(m->rule_id);
}

double median(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const std::size_t mid = v.size() / 2;
    return v.size() % 2 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
}

}  // namespace

std::string cell_report_csv(const SiteReportInput& in) {
    const std::vector<Cell>& cells = *in.cells;
    const analysis::ServiceFigures& f = *in.figures;
    const double a = f.pixel_area_km2;
    std::ostringstream out;
    out << "index,cell_id,site_id,operator,country,technology,layer,frequency_mhz,bandwidth_mhz,"
           "pixels_computed,best_served_km2";
    class_header(out, f.class_count);
    out << ",gap_area_in_reach_km2,border_checks,border_worst_margin_db,border_worst_rule\n";
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const Cell& c = cells[i];
        const ServiceCount& count = f.cells[i];
        out << i << ',' << csv_field(c.cell_id) << ',' << csv_field(c.site_id) << ','
            << csv_field(c.operator_name) << ',' << csv_field(c.country) << ','
            << technology_name(c.technology) << ','
            << csv_field(in.described->layers[in.described->cells[i].layer].name) << ','
            << format_fixed(c.frequency_mhz, 3) << ',' << format_fixed(c.bandwidth_mhz, 3) << ',';
        if (in.statistics) out << (*in.statistics)[i].pixels_computed;
        out << ',' << km2(count.best_served_pixels, a);
        class_fields(out, count, f.class_count, a);
        out << ',' << km2(count.gap_pixels_in_reach, a);
        border_fields(out, in.margins ? &(*in.margins)[i] : nullptr);
        out << '\n';
    }
    return out.str();
}

std::string site_report_csv(const SiteReportInput& in) {
    const std::vector<Cell>& cells = *in.cells;
    const analysis::ServiceFigures& f = *in.figures;
    const double a = f.pixel_area_km2;
    std::ostringstream out;
    out << "site_id,country,operator,technology,cells,best_served_km2";
    class_header(out, f.class_count);
    out << ",gap_area_in_reach_km2,border_checks,border_worst_margin_db,border_worst_rule,"
           "border_worst_cell\n";
    for (const analysis::SiteService& row : f.sites) {
        // Operators of the row's cells, each once, in cell order.
        std::vector<std::string> operators;
        for (std::size_t i : row.cells)
            if (std::find(operators.begin(), operators.end(), cells[i].operator_name) ==
                operators.end())
                operators.push_back(cells[i].operator_name);
        std::string operator_list;
        for (const std::string& o : operators) {
            if (!operator_list.empty()) operator_list.append(";");
            operator_list.append(o);
        }
        out << csv_field(row.site_id) << ',' << csv_field(row.country) << ','
            << csv_field(operator_list) << ','
            << (row.slot == analysis::kAllTechnologies
                    ? std::string("all")
                    : std::string(
                          technology_name(in.described->technologies[std::size_t(row.slot)])))
            << ',' << row.cells.size() << ',' << km2(row.count.best_served_pixels, a);
        class_fields(out, row.count, f.class_count, a);
        out << ',' << km2(row.count.gap_pixels_in_reach, a);
        if (in.margins) {
            const BorderMargin worst = analysis::worst_border_margin(*in.margins, row.cells);
            border_fields(out, &worst);
            out << ','
                << (std::isnan(worst.worst_margin_db) ? std::string()
                                                      : csv_field(cells[worst.cell].cell_id));
        } else {
            border_fields(out, nullptr);
            out << ',';
        }
        out << '\n';
    }
    return out.str();
}

std::vector<std::string> site_report_summary(const SiteReportInput& in) {
    const std::vector<Cell>& cells = *in.cells;
    const analysis::ServiceFigures& f = *in.figures;
    const double a = f.pixel_area_km2;
    std::size_t home = 0, other = 0;
    std::vector<double> served, in_reach;
    const analysis::SiteService* most_served = nullptr;
    const analysis::SiteService* most_gap = nullptr;
    for (const analysis::SiteService& row : f.sites) {
        if (row.slot != analysis::kAllTechnologies) continue;
        if (!text::iequals(row.country, in.home_country)) {
            ++other;
            continue;
        }
        ++home;
        served.push_back(double(row.count.best_served_pixels) * a);
        in_reach.push_back(double(row.count.gap_pixels_in_reach) * a);
        if (!most_served || row.count.best_served_pixels > most_served->count.best_served_pixels)
            most_served = &row;
        if (!most_gap || row.count.gap_pixels_in_reach > most_gap->count.gap_pixels_in_reach)
            most_gap = &row;
    }
    std::vector<std::string> lines;
    lines.push_back("sites: " + std::to_string(home) + " home sites (" + in.home_country + "), " +
                    std::to_string(other) + " other sites, " + std::to_string(cells.size()) +
                    " cells");
    if (home > 0) {
        lines.push_back("  home sites: best-served area median " + format_fixed(median(served), 1) +
                        " km2, largest " +
                        format_fixed(double(most_served->count.best_served_pixels) * a, 1) +
                        " km2 (" + most_served->site_id + "); gap area in reach (" +
                        format_fixed(f.reach_radius_m / 1000.0, 1) + " km) median " +
                        format_fixed(median(in_reach), 1) + " km2, largest " +
                        format_fixed(double(most_gap->count.gap_pixels_in_reach) * a, 1) +
                        " km2 (" + most_gap->site_id + ")");
    }
    if (in.margins) {
        std::vector<std::size_t> all(cells.size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        const BorderMargin worst = analysis::worst_border_margin(*in.margins, all);
        if (!std::isnan(worst.worst_margin_db))
            lines.push_back("  worst border margin " + format_fixed(worst.worst_margin_db, 1) +
                            " dB (cell " + cells[worst.cell].cell_id + ", site " +
                            cells[worst.cell].site_id + ", rule " + worst.rule_id + ")");
    }
    return lines;
}

}  // namespace grenzfunk::report
