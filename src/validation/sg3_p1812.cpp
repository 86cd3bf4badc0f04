#include "validation/sg3_p1812.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <string>

#include "core/error.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::validation {

namespace {

[[noreturn]] void fail(const Sg3Profile& p, int line, const std::string& message) {
    throw InputError(p.source + ":" + std::to_string(line) + ": " + message);
}

propagation::RadioClimaticZone zone_from_code(const Sg3Profile& p, double code, std::size_t point) {
    using propagation::RadioClimaticZone;
    if (std::isnan(code)) return RadioClimaticZone::inland;
    if (code == 1.0) return RadioClimaticZone::sea;
    if (code == 3.0) return RadioClimaticZone::coastal_land;
    if (code == 4.0) return RadioClimaticZone::inland;
    throw InputError(p.source + ": profile point " + std::to_string(point + 1) +
                     ": Radio Met Code " + std::to_string(code) +
                     " is not a P.1812 zone (1 sea, 3 coastal land, 4 inland)");
}

}  // namespace

void evaluate_p1812_sg3(const Sg3Profile& p, std::size_t dataset, Sg3P1812Evaluation& out) {
    using namespace propagation;
    if (dataset >= p.measurements.size())
        throw InputError(p.source + ": data set " + std::to_string(dataset) +
                         " does not exist (the file has " + std::to_string(p.measurements.size()) +
                         " measurement rows, 0-based)");
    const Sg3Measurement& m = p.measurements[dataset];
    if (!(m.tx_height_agl_m > 0.0)) fail(p, m.line, "Tx antenna height: expected a positive value");
    if (!(m.rx_height_agl_m > 0.0)) fail(p, m.line, "Rx antenna height: expected a positive value");
    if (!(m.time_percent > 0.0 && m.time_percent <= 50.0))
        fail(p, m.line, "Time percentage: P.1812 needs 0 < p <= 50 %");
    if (!(m.polarization_code == 1.0 || m.polarization_code == 2.0))
        fail(p, m.line, "Polarisation: P.1812 needs 1 (horizontal) or 2 (vertical)");
    if (std::isnan(p.tx_lat_deg) || std::isnan(p.tx_lon_deg) || std::isnan(p.rx_lat_deg) ||
        std::isnan(p.rx_lon_deg))
        throw InputError(p.source + ": Tx/Rx LAT and LON are needed for the path centre latitude");

    const std::size_t n = p.distance_km.size();
    out.dataset = dataset;
    out.distance_km = p.distance_km;
    out.height_m = p.height_m;
    out.clutter_height_m.assign(n, 0.0);
    out.zone.assign(n, RadioClimaticZone::inland);
    for (std::size_t i = 0; i < n; ++i) {
        if (i < p.clutter_height_m.size() && !std::isnan(p.clutter_height_m[i]))
            out.clutter_height_m[i] = p.clutter_height_m[i];
        if (i < p.radio_met_code.size()) out.zone[i] = zone_from_code(p, p.radio_met_code[i], i);
    }
    if (!p.first_point_is_tx) {  // the method wants the transmitter first
        const double total = out.distance_km.back();
        std::reverse(out.distance_km.begin(), out.distance_km.end());
        for (double& d : out.distance_km) d = total - d;
        std::reverse(out.height_m.begin(), out.height_m.end());
        std::reverse(out.clutter_height_m.begin(), out.clutter_height_m.end());
        std::reverse(out.zone.begin(), out.zone.end());
    }

    P1812Input& in = out.input;
    in = P1812Input{};
    in.frequency_mhz = m.frequency_mhz;
    in.time_percent = m.time_percent;
    in.location_percent = 50.0;
    in.location_std_db = 0.0;
    in.distance_km = out.distance_km;
    in.height_m = out.height_m;
    in.clutter_height_m = out.clutter_height_m;
    in.zone = out.zone;
    in.tx_height_agl_m = m.tx_height_agl_m;
    in.rx_height_agl_m = m.rx_height_agl_m;
    in.polarization =
        m.polarization_code == 2.0 ? Polarization::vertical : Polarization::horizontal;
    const double tx_lat = p.first_point_is_tx ? p.tx_lat_deg : p.rx_lat_deg;
    const double tx_lon = p.first_point_is_tx ? p.tx_lon_deg : p.rx_lon_deg;
    const double rx_lat = p.first_point_is_tx ? p.rx_lat_deg : p.tx_lat_deg;
    const double rx_lon = p.first_point_is_tx ? p.rx_lon_deg : p.tx_lon_deg;
    in.path_centre_lat_deg =
        great_circle_intermediate_point(tx_lat, tx_lon, rx_lat, rx_lon,
                                        0.5 * (out.distance_km.back() - out.distance_km.front()))
            .lat_deg;
    if (!std::isnan(p.delta_n_n_units_per_km)) in.delta_n_n_units_per_km = p.delta_n_n_units_per_km;
    if (!std::isnan(p.n0_n_units)) in.n0_n_units = p.n0_n_units;
    in.tx_coast_distance_km = 500.0;
    in.rx_coast_distance_km = 500.0;

    // Transmitter power from the e.r.p.; without it, from the file's own field strength and
    // basic transmission loss (E = 199.36 + 20 log f - Lb + 10 log P, P in kW).
    out.tx_power_kw = std::pow(10.0, m.erp_max_total_dbw / 10.0) * 1e-3;
    if (std::isnan(out.tx_power_kw)) {
        const double f_ghz = m.frequency_mhz / 1000.0;
        const double p_dbkw = m.measured_field_dbuv_per_m - 199.36 - 20.0 * std::log10(f_ghz) +
                              m.basic_transmission_loss_db;
        out.tx_power_kw = std::isnan(p_dbkw) ? 1.0 : std::pow(10.0, p_dbkw / 10.0);
    }

    out.result = p1812_loss(in);
    if (out.result.flags & invalid_input)
        fail(p, m.line, "P.1812 could not evaluate this data set (invalid input)");
    out.field_wrt_tx_power_dbuv_per_m =
        out.result.field_dbuv_per_m + 10.0 * std::log10(out.tx_power_kw);
    out.file_field_dbuv_per_m = m.measured_field_dbuv_per_m;
    out.file_basic_loss_db = m.basic_transmission_loss_db;
}

void print_p1812_evaluation(std::ostream& os, const Sg3Profile& p, const Sg3P1812Evaluation& e) {
    const propagation::P1812Input& in = e.input;
    const propagation::P1812Result& r = e.result;
    const auto old_flags = os.flags();
    const auto old_precision = os.precision();
    os << std::setprecision(10);
    auto line = [&os](const char* name, double value, const char* unit) {
        os << std::left << std::setw(34) << name << " = " << value;
        if (*unit) os << ' ' << unit;
        os << '\n';
    };
    os << "ITU-R P.1812-7 on " << p.source << " (" << p.name << "), data set " << e.dataset << '\n';
    line("frequency", in.frequency_mhz, "MHz");
    line("time percentage p", in.time_percent, "%");
    line("location percentage pL", in.location_percent, "%");
    line("Tx height above ground htg", in.tx_height_agl_m, "m");
    line("Rx height above ground hrg", in.rx_height_agl_m, "m");
    os << std::left << std::setw(34) << "polarisation"
       << " = "
       << (in.polarization == propagation::Polarization::vertical ? "vertical" : "horizontal")
       << '\n';
    line("dN", in.delta_n_n_units_per_km, "N-units/km");
    line("N0", in.n0_n_units, "N-units");
    line("Tx power (from e.r.p.)", e.tx_power_kw, "kW");
    line("profile points", double(in.distance_km.size()), "");
    line("R2 (clutter next to Tx)", in.clutter_height_m[1], "m");
    line("Rn-1 (clutter next to Rx)", in.clutter_height_m[in.clutter_height_m.size() - 2], "m");
    os << "path: " << (r.line_of_sight ? "line of sight" : "trans-horizon") << '\n';
    line("d", r.distance_km, "km");
    line("dlt", r.tx_horizon_distance_km, "km");
    line("dlr", r.rx_horizon_distance_km, "km");
    line("theta_t", r.tx_horizon_angle_mrad, "mrad");
    line("theta_r", r.rx_horizon_angle_mrad, "mrad");
    line("theta", r.angular_distance_mrad, "mrad");
    line("hts", r.tx_height_amsl_m, "m");
    line("hrs", r.rx_height_amsl_m, "m");
    line("omega (sea fraction)", r.sea_fraction, "");
    line("dtm", r.longest_land_km, "km");
    line("dlm", r.longest_inland_km, "km");
    line("phi (path centre)", r.path_centre_lat_deg, "deg");
    line("beta0", r.beta0_percent, "%");
    line("ae", r.effective_earth_radius_km, "km");
    line("hst (smooth Earth)", r.smooth_tx_height_m, "m");
    line("hsr (smooth Earth)", r.smooth_rx_height_m, "m");
    line("hstd", r.smooth_tx_height_diffraction_m, "m");
    line("hsrd", r.smooth_rx_height_diffraction_m, "m");
    line("hte", r.tx_effective_height_m, "m");
    line("hre", r.rx_effective_height_m, "m");
    line("hm", r.terrain_roughness_m, "m");
    line("Fi", r.fi, "");
    line("Fj", r.fj, "");
    line("Fk", r.fk, "");
    line("Lbfs", r.free_space_loss_db, "dB");
    line("Lb0p", r.loss_b0p_db, "dB");
    line("Lb0b", r.loss_b0beta_db, "dB");
    line("Lbulla (ae)", r.bullington_actual_db, "dB");
    line("Lbulls (ae)", r.bullington_smooth_db, "dB");
    line("Ldsph (ae)", r.spherical_earth_db, "dB");
    if (!std::isnan(r.bullington_actual_beta_db)) {
        line("Lbulla (a_beta)", r.bullington_actual_beta_db, "dB");
        line("Lbulls (a_beta)", r.bullington_smooth_beta_db, "dB");
        line("Ldsph (a_beta)", r.spherical_earth_beta_db, "dB");
    }
    line("Ld50", r.diffraction_50_db, "dB");
    line("Ldb", r.diffraction_beta_db, "dB");
    line("Ldp", r.diffraction_p_db, "dB");
    line("Lbd50", r.loss_bd50_db, "dB");
    line("Lbd", r.loss_bd_db, "dB");
    line("Lminb0p", r.loss_minb0p_db, "dB");
    line("Lba", r.loss_ba_db, "dB");
    line("Lminbap", r.loss_minbap_db, "dB");
    line("Lbda", r.loss_bda_db, "dB");
    line("Lbam", r.loss_bam_db, "dB");
    line("Lbs", r.loss_bs_db, "dB");
    line("Lbc", r.loss_bc_db, "dB");
    line("Lloc", r.location_loss_db, "dB");
    line("Lb", r.basic_loss_db, "dB");
    line("Ep (1 kW e.r.p.)", r.field_dbuv_per_m, "dBuV/m");
    line("Ep (Tx e.r.p. of the file)", e.field_wrt_tx_power_dbuv_per_m, "dBuV/m");
    if (!std::isnan(e.file_field_dbuv_per_m))
        line("file: field strength", e.file_field_dbuv_per_m, "dBuV/m");
    if (!std::isnan(e.file_basic_loss_db))
        line("file: basic transmission loss", e.file_basic_loss_db, "dB");
    os << "flags: " << propagation::describe_flags(r.flags) << '\n';
    os.flags(old_flags);
    os.precision(old_precision);
}

}  // namespace grenzfunk::validation
