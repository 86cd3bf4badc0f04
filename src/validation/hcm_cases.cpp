#include "validation/hcm_cases.hpp"

#include <cmath>
#include <ostream>
#include <utility>

#include "core/error.hpp"
#include "core/text_format.hpp"

namespace grenzfunk::validation {

namespace {

namespace hcm = propagation::hcm;

// HCM_MS's time percentage of a case (module comment in hcm_cases.hpp).
double case_time_percent(const io::HcmCaseInput& c) {
    if (c.c_mode != 99) return 10.0;
    const auto designator = [&](const char* column) {
        const auto it = c.other_columns.find(column);
        return it == c.other_columns.end() ? std::string() : it->second;
    };
    const bool tetra_band = c.frequency_mhz >= 380.0 && c.frequency_mhz <= 400.0;
    const std::string both = designator("emission_designator");
    const bool tetra_emission =
        both == "25K0G7W" || (designator("tx_emission_designator") == "25K0G7W" &&
                              designator("rx_emission_designator") == "25K0G7W");
    if (tetra_band && tetra_emission) return 10.0;
    return c.channel_occupation == 1 ? 1.0 : 10.0;
}

const char* path_error_text(propagation::HcmPathError e) {
    switch (e) {
        case propagation::HcmPathError::none:
            return "";
        case propagation::HcmPathError::same_point:
            return "the transmitter and the receiver are less than one profile step apart";
        case propagation::HcmPathError::too_long:
            return "the path is longer than 1000 km (HCM error 1028)";
        case propagation::HcmPathError::terrain_missing:
            return "the path leaves the terrain or meets a void post (HCM errors 36/400)";
    }
    return "unknown error";
}

}  // namespace

std::vector<HcmCaseOutcome> run_hcm_cases(const std::vector<io::HcmCaseInput>& cases,
                                          const propagation::HcmTerrain& terrain,
                                          const std::string& source,
                                          const std::atomic<bool>* cancel) {
    std::vector<HcmCaseOutcome> out;
    out.reserve(cases.size());
    for (const io::HcmCaseInput& c : cases) {
        if (cancel && cancel->load()) throw Cancelled();
        const std::string where = source + ":" + std::to_string(c.line) + ": ";
        if (c.tx_site_height_m || c.rx_site_height_m)
            throw InputError(where +
                             "tx/rx_site_height_input_m: grenzfunk takes the site heights from "
                             "the terrain data (HCM's Info 1 and 8); leave the column blank");
        HcmCaseOutcome o;
        o.case_id = c.case_id;
        o.line = c.line;
        o.time_percent = case_time_percent(c);
        o.power_erp_dbw =
            c.power_dbw - (c.power_type == io::HcmPowerType::eirp ? hcm::kHcmEirpToErpDb : 0.0);
        antenna::hcm::AntennaCode code_h, code_v;
        try {
            code_h = antenna::hcm::parse_code(c.tx_antenna_code_h);
            code_v = antenna::hcm::parse_code(c.tx_antenna_code_v);
        } catch (const InputError& e) {
            throw InputError(where + e.what());
        }

        hcm::PointInput in;
        in.path.tx = {c.tx_lon_deg, c.tx_lat_deg};
        in.path.rx = {c.rx_lon_deg, c.rx_lat_deg};
        in.path.tx_antenna_height_m = c.tx_antenna_height_agl_m;
        in.path.rx_antenna_height_m = c.rx_antenna_height_agl_m;
        in.path.frequency_mhz = c.frequency_mhz;
        in.path.mode = c.c_mode == 99 ? propagation::HcmPathMode::line_style
                                      : propagation::HcmPathMode::point_to_point;
        in.time = o.time_percent == 1.0 ? hcm::TimePercent::p1 : hcm::TimePercent::p10;
        // The antenna correction needs the path's direction and vertical angle: geometry first.
        propagation::HcmPathGeometry g = propagation::hcm_path_geometry(terrain, in.path);
        if (g.error != propagation::HcmPathError::none) {
            o.error = path_error_text(g.error);
            o.point.geometry = g;
            out.push_back(std::move(o));
            continue;
        }
        o.antenna =
            antenna::hcm::antenna_correction(code_h, code_v, c.tx_azimuth_deg, c.tx_elevation_deg,
                                             g.dir_tx_rx_deg, g.v_angle_tx_rx_deg);
        o.power_to_rx_dbw = o.power_erp_dbw - o.antenna.attenuation_db;
        in.erp_towards_rx_dbw = o.power_to_rx_dbw;
        o.point = hcm::point_field_strength(std::move(g), in);  // the profile only once
        out.push_back(std::move(o));
    }
    return out;
}

void write_hcm_case_results(std::ostream& out, const std::vector<HcmCaseOutcome>& outcomes) {
    out << "case_id,calculated_fs_dbuv_m,distance_km,heff_m,dh_m,tx_tca_deg,tx_antenna_corr_db,"
           "time_percent,error\n";
    for (const HcmCaseOutcome& o : outcomes) {
        out << o.case_id << ',';
        if (!o.error.empty()) {
            out << "nan,nan,nan,nan,nan,nan," << text::format_fixed(o.time_percent, 0) << ",\""
                << o.error << "\"\n";
            continue;
        }
        const auto& g = o.point.geometry;
        out << text::format_fixed(o.point.field_dbuv_per_m, 3) << ','
            << text::format_fixed(g.distance_km, 4) << ',' << text::format_fixed(g.heff_m, 3) << ','
            << text::format_fixed(g.dh_m, 1) << ',' << text::format_fixed(g.tx_tca_deg, 4) << ','
            << text::format_fixed(o.antenna.attenuation_db, 3) << ','
            << text::format_fixed(o.time_percent, 0) << ",\n";
    }
}

}  // namespace grenzfunk::validation
