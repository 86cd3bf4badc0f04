#include "validation/p1546_validation.hpp"

#include <cmath>
#include <iomanip>
#include <ostream>

#include "core/error.hpp"

namespace grenzfunk::validation {

namespace p1546 = propagation::p1546;

namespace {

// The code of an optional profile column at a point; -1 where the column or the cell is empty.
int column_code(const std::vector<double>& column, std::size_t i) {
    return i < column.size() && std::isfinite(column[i]) ? int(column[i]) : -1;
}

double column_value(const std::vector<double>& column, std::size_t i) {
    return i < column.size() ? column[i] : p1546::kNaN;
}

struct ClutterClass {
    p1546::ReceiverEnvironment environment;
    double height_m;
};

// Coverage code of the SG3 P.1546 files.
ClutterClass clutter_class(int coverage_code) {
    using E = p1546::ReceiverEnvironment;
    switch (coverage_code) {
        case 1:
            return {E::sea, 10.0};
        case 2:
            return {E::rural, 10.0};
        case 3:
            return {E::suburban, 10.0};
        case 4:
            return {E::urban, 15.0};
        case 5:
            return {E::dense_urban, 20.0};
        default:
            return {E::suburban, 0.0};
    }
}

}  // namespace

P1546ValidationCase evaluate_p1546_validation(const Sg3Profile& p, int dataset) {
    if (dataset < 1 || dataset > int(p.measurements.size()))
        throw InputError(p.source + ": data set " + std::to_string(dataset) + " does not exist (" +
                         std::to_string(p.measurements.size()) + " in the file)");
    const Sg3Measurement& ds = p.measurements[std::size_t(dataset) - 1];
    auto require = [&](double value, const char* column) {
        if (!std::isfinite(value))
            throw InputError(p.source + ":" + std::to_string(ds.line) + ": " + column +
                             ": missing value");
    };
    require(ds.frequency_mhz, "Frequency");
    require(ds.tx_height_agl_m, "Tx antenna height");
    require(ds.rx_height_agl_m, "Rx antenna height");
    P1546ValidationCase c;
    c.dataset = dataset;

    // e.r.p. in kW.
    if (std::isfinite(ds.erp_max_total_dbw)) {
        c.tx_power_kw = std::pow(10.0, ds.erp_max_total_dbw / 10.0) * 1e-3;
    } else if (std::isfinite(ds.measured_field_dbuv_per_m) &&
               std::isfinite(ds.basic_transmission_loss_db)) {
        // E = 139.3 - Lb + 20 log f + 10 log P(kW) (eq. (40)), with the reference's constant.
        const double p_dbkw = -137.2217 + ds.measured_field_dbuv_per_m -
                              20.0 * std::log10(ds.frequency_mhz) + ds.basic_transmission_loss_db;
        c.tx_power_kw = std::pow(10.0, p_dbkw / 10.0);
    }

    // Land and sea/coastal lengths: each point stands for half of its adjacent intervals.
    const std::size_t n = p.distance_km.size();
    bool have_met = true;
    for (std::size_t i = 0; i < n; ++i)
        have_met = have_met && column_code(p.radio_met_code, i) >= 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double lo = p.distance_km[i == 0 ? 0 : i - 1];
        const double hi = p.distance_km[i + 1 == n ? n - 1 : i + 1];
        const double w = 0.5 * (hi - lo);
        const int code = column_code(p.radio_met_code, i);
        if (have_met && (code == 1 || code == 3))
            c.sea_km += w;
        else
            c.land_km += w;
    }

    // Clutter classes and heights at both ends (before any swap: first point, last point).
    ClutterClass first = clutter_class(column_code(p.coverage_code, 0));
    ClutterClass last = clutter_class(column_code(p.coverage_code, n - 1));
    if (first.environment == p1546::ReceiverEnvironment::rural) first.height_m = 0.0;
    const double cover_first = column_value(p.clutter_height_m, 0);
    const double cover_last = column_value(p.clutter_height_m, n - 1);
    double r_first = std::isfinite(cover_first) ? cover_first : first.height_m;
    double r_last = std::isfinite(cover_last) ? cover_last : last.height_m;

    std::vector<double> x = p.distance_km, h = p.height_m;
    double ha = ds.tx_height_agl_m, h2 = ds.rx_height_agl_m;
    p1546::ReceiverEnvironment rx_env = last.environment;
    if (!p.first_point_is_tx) {
        // The data set's "Tx" is at the last point: the profile runs from the other end.
        c.swapped = true;
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = p.distance_km.back() - p.distance_km[n - 1 - i];
            h[i] = p.height_m[n - 1 - i];
        }
        std::swap(ha, h2);
        std::swap(r_first, r_last);
        rx_env = first.environment;
    }

    c.geometry = p1546::analyse_profile(x, h, ha, h2);
    p1546::Input& in = c.input;
    in.frequency_mhz = ds.frequency_mhz;
    in.time_percent = std::isfinite(ds.time_percent) ? ds.time_percent : 50.0;
    in.location_percent = 50.0;
    in.distance_km = x.back() - x.front();
    in.sea_distance_km = c.sea_km;
    in.sea_type = p1546::SeaType::cold;
    in.h1_m = c.geometry.h1_m;
    in.tx_height_agl_m = ha;
    in.rx_height_agl_m = h2;
    in.rx_environment = rx_env;
    in.rx_clutter_height_m = r_last;
    in.tx_clutter_height_m = r_first;
    in.tx_ground_amsl_m = c.geometry.tx_ground_amsl_m;
    in.rx_ground_amsl_m = c.geometry.rx_ground_amsl_m;
    in.tca_deg = c.geometry.tca_deg;
    in.theta_eff1_deg = c.geometry.theta_eff1_deg;
    in.terrain_information = true;
    in.location_area_width_m = 500.0;
    c.result = p1546::evaluate(in);
    c.field_for_power_dbuv_per_m = c.result.field_dbuv_per_m + 10.0 * std::log10(c.tx_power_kw);
    return c;
}

void print_p1546_validation(std::ostream& out, const Sg3Profile& p, const P1546ValidationCase& c) {
    const auto& in = c.input;
    const auto& r = c.result;
    const auto old_flags = out.flags();
    const auto old_precision = out.precision();
    out << std::fixed << std::setprecision(4);
    auto row = [&out](const char* name, double value, const char* ref) {
        out << "  " << std::left << std::setw(44) << name << std::right << std::setw(12) << value
            << "  " << ref << '\n';
    };
    out << p.source << "  data set " << c.dataset << (c.swapped ? " (terminals swapped)" : "")
        << '\n';
    row("frequency (MHz)", in.frequency_mhz, "");
    row("time percentage (%)", in.time_percent, "");
    row("distance d (km)", in.distance_km, "");
    row("land / sea: land (km)", c.land_km, "");
    row("land / sea: sea (km)", c.sea_km, "");
    row("tx antenna height ha (m)", in.tx_height_agl_m, "");
    row("rx antenna height h2 (m)", in.rx_height_agl_m, "");
    row("effective height h1 (m)", r.h1_m, "Annex 5 §3 (6)/(7)");
    row("tx clutter R1 (m)", in.tx_clutter_height_m, "");
    row("rx clutter R2 (m)", in.rx_clutter_height_m, "");
    out << "  " << std::left << std::setw(44) << "rx environment" << std::right << std::setw(12)
        << p1546::environment_name(in.rx_environment) << '\n';
    row("theta_eff1 (deg)", in.theta_eff1_deg, "§4.3 a)");
    row("terrain clearance angle tca (deg)", in.tca_deg, "§11");
    row("e.r.p. (kW)", c.tx_power_kw, "");
    row("Emax (dBuV/m)", r.e_max_dbuv_per_m, "§2 (1)-(3), (42) + §14");
    row("E land (dBuV/m)", r.e_land_dbuv_per_m, "Steps 6-10");
    row("E sea (dBuV/m)", r.e_sea_dbuv_per_m, "Steps 6-10");
    row("E curves, mixed (dBuV/m)", r.e_curves_dbuv_per_m, "Step 11, §8");
    row("tca nu", r.tca_nu, "§11 (32c)");
    row("tca correction (dB)", r.tca_correction_db, "§11 (32a)");
    row("theta_s (deg)", r.theta_s_deg, "§13 (35)");
    row("Ets (dBuV/m)", r.e_troposcatter_dbuv_per_m, "§13 (36)");
    row("R2' (m)", r.r2_prime_m, "§9 (27)");
    row("rx height correction (dB)", r.rx_height_correction_db, "§9 (28)-(29)");
    row("tx clutter correction (dB)", r.tx_clutter_correction_db, "§10 (30)");
    row("slope-path correction (dB)", r.slope_correction_db, "§14 (37)");
    row("E for d < 1 km (dBuV/m)", r.e_short_path_dbuv_per_m, "§15 (38)");
    row("location correction (dB)", r.location_correction_db, "§12 (33)");
    row("E for 1 kW e.r.p. (dBuV/m)", r.field_dbuv_per_m, "Step 19");
    row("E for the e.r.p. (dBuV/m)", c.field_for_power_dbuv_per_m, "");
    row("basic transmission loss Lb (dB)", r.basic_loss_db, "§17 (40)");
    const auto& ds = p.measurements[std::size_t(c.dataset) - 1];
    row("file: field strength (dBuV/m)", ds.measured_field_dbuv_per_m, "");
    row("file: basic transmission loss (dB)", ds.basic_transmission_loss_db, "");
    out.flags(old_flags);
    out.precision(old_precision);
}

}  // namespace grenzfunk::validation
