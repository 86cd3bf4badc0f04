#include "propagation/hcm.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/geo_post_grid.hpp"
#include "core/parameters.hpp"

namespace grenzfunk::propagation::hcm {

namespace {

// E(dBuV/m) = P_rx(dBm) + 20 log10 f + 77.219 for an isotropic receiver (core/units.hpp).
constexpr double kFieldFromRxDbm = 77.2190;
constexpr double kOneKilowattDbm = 60.0;

std::string number_text(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", value);
    return buf;
}

// The parameters of model `hcm`, each with its one default.
struct HcmParameters {
    HcmPathMode mode = HcmPathMode::line_style;  // border and x-km line checks use mode 99
    TimePercent time = TimePercent::p10;
    double time_percent = 10.0;
    double profile_step_km = 0.1;  // HCM's documented default PD
    std::string terrain;           // file name of the terrain, for the metadata
};

class HcmModel final : public PropagationModel {
  public:
    HcmModel(HcmParameters p, std::shared_ptr<const GeoPostGrid> grid)
        : p_(std::move(p)), grid_(std::move(grid)), terrain_(*grid_) {}

    std::string_view name() const override { return "hcm"; }
    std::string_view reference() const override {
        return "HCM Agreement Annex 5, land mobile service, as the reference "
               "program HCM_MS V7.21.5 computes it (docs/hcm.md); results above 2000 MHz are "
               "HCM's extrapolation of its 600-2000 MHz interpolation";
    }
    bool needs_terrain_profile() const override { return false; }
    bool needs_path_position() const override { return true; }
    ValidityRange validity() const override {
        // HCM accepts any frequency with a permissible field strength given; its curves are at
        // 100, 600 and 2000 MHz (flagged outside 100-2000 MHz, where it extrapolates).
        return {29.7, 6000.0, 1.0, 1000.0, 0.0, 9999.0, 0.0, 9999.0};
    }
    std::map<std::string, std::string> parameters() const override {
        return {{"mode", p_.mode == HcmPathMode::line_style ? "line" : "p2p"},
                {"time_percent", number_text(p_.time_percent)},
                {"location_percent", "50"},
                {"profile_step_km", number_text(p_.profile_step_km)},
                {"terrain", p_.terrain}};
    }

    PathResult loss(const PathQuery& q) const noexcept override {
        const PathResult invalid{std::nan(""), invalid_input};
        if (!(std::isfinite(q.tx_lat_deg) && std::isfinite(q.tx_lon_deg) &&
              std::isfinite(q.rx_lat_deg) && std::isfinite(q.rx_lon_deg) && q.frequency_mhz > 0.0 &&
              q.tx_height_agl_m >= 0.0 && q.rx_height_agl_m >= 0.0))
            return invalid;
        PointInput in;
        in.path.tx = {q.tx_lon_deg, q.tx_lat_deg};
        in.path.rx = {q.rx_lon_deg, q.rx_lat_deg};
        // HCM's record holds whole metres (I4 fields).
        in.path.tx_antenna_height_m = int(std::lround(q.tx_height_agl_m));
        in.path.rx_antenna_height_m = int(std::lround(q.rx_height_agl_m));
        in.path.frequency_mhz = q.frequency_mhz;
        in.path.mode = p_.mode;
        in.path.profile_step_km = p_.profile_step_km;
        in.time = p_.time;
        in.erp_towards_rx_dbw = 30.0;
        PointResult pr;
        try {
            pr = point_field_strength(terrain_, in);
        } catch (...) {  // loss() never throws (model.hpp)
            return invalid;
        }
        if (!pr.ok()) return invalid;
        PathResult r;
        r.loss_db = basic_loss_db(pr.field_dbuv_per_m, q.frequency_mhz);
        if (q.frequency_mhz < 100.0 || q.frequency_mhz > 2000.0) r.flags |= outside_frequency_range;
        if (pr.geometry.distance_km < 1.0) r.flags |= outside_distance_range;
        if (pr.free_space) r.flags |= line_of_sight;
        return r;
    }

  private:
    HcmParameters p_;
    std::shared_ptr<const GeoPostGrid> grid_;  // kept alive for terrain_
    HcmTerrain terrain_;
};

[[noreturn]] void bad(const std::string& key, const std::string& what) {
    throw InputError(key + ": " + what);
}

}  // namespace

std::string method_statement() {
    return "Field strengths of the rules computed with model hcm follow the Harmonised "
           "Calculation Method of the HCM Agreement (Annex 5, land mobile service) as its "
           "reference program HCM_MS V7.21.5 computes them, in its line-style point calculation "
           "(HCM mode 99) at every sample point: HCM's land curves (100 and 600 MHz, and HCM's "
           "own 2000 MHz curves) for the rule's time percentage (10 %) and 50 % of locations, "
           "interpolated in distance, effective antenna height and log frequency; the "
           "transmitter's effective height over the terrain 1-15 km from it (d/15 to d on "
           "shorter paths), multiplied by the receiver's height / 10 (each at least 3 m); the "
           "terrain clearance angle correction at the transmitter only, clamped and scaled by "
           "d/16 below 16 km; the terrain-irregularity (delta-h) correction beyond 10 km; free "
           "space below 1 km. HCM's own terrain profile is used (points every 100 m or less "
           "along the great circle, heights looked up in the run's terrain as HCM reads its "
           "tiles), not the engine's profile. HCM turns an e.i.r.p. into an e.r.p. with 2.1 dB; "
           "the antenna correction towards each point is the cell's own pattern. Above 2000 MHz "
           "HCM has no curves: its results there extrapolate the 600-2000 MHz interpolation. "
           "The terrain is SRTM, not the administrations' HCM terrain and morphology data "
           "(all land assumed), so absolute values can differ from an official HCM run; the "
           "implementation agrees with HCM_MS V7.21.5 to 0.01 dB in 99 of 100 reference cases "
           "per mode on the same terrain (docs/hcm.md).";
}

double basic_loss_db(double field_1kw_erp_dbuv_per_m, double frequency_mhz) {
    return kOneKilowattDbm + kHcmEirpToErpDb + kFieldFromRxDbm + 20.0 * std::log10(frequency_mhz) -
           field_1kw_erp_dbuv_per_m;
}

PointResult point_field_strength(const HcmTerrain& terrain, const PointInput& input) {
    return point_field_strength(hcm_path_geometry(terrain, input.path), input);
}

PointResult point_field_strength(HcmPathGeometry geometry, const PointInput& input) {
    PointResult out;
    out.geometry = std::move(geometry);
    if (!out.ok()) return out;
    const HcmPathGeometry& g = out.geometry;
    LandFieldInputs in;
    in.distance_km = g.distance_km;
    in.heff_m = g.heff_m;
    in.frequency_mhz = input.path.frequency_mhz;
    in.time = input.time;
    in.erp_towards_rx_dbw = input.erp_towards_rx_dbw;
    in.tx_tca_deg = g.tx_tca_deg;
    in.has_rx_tca = g.rx_tca_deg.has_value();
    in.rx_tca_deg = g.rx_tca_deg.value_or(0.0f);
    in.delta_h_m = g.dh_m;
    out.land = land_field_strength(in);
    out.free_space = g.uses_free_space() || out.land.curve.free_space_below_1km;
    out.field_dbuv_per_m = out.free_space ? out.land.free_space_fs_dbuv_m : out.land.land_fs_dbuv_m;
    return out;
}

}  // namespace grenzfunk::propagation::hcm

namespace grenzfunk::propagation {

std::unique_ptr<PropagationModel> make_hcm(const ParameterSet& ps, const ModelResources& res) {
    using namespace hcm;
    HcmParameters p;
    const std::string mode = ps.get_string("mode", "line");
    if (mode == "line")
        p.mode = HcmPathMode::line_style;
    else if (mode == "p2p")
        p.mode = HcmPathMode::point_to_point;
    else
        bad("mode", "'" + mode + "' is not 'line' (HCM mode 99) or 'p2p' (mode 10)");
    p.time_percent = ps.get_double("time_percent", p.time_percent);
    if (p.time_percent == 1.0)
        p.time = TimePercent::p1;
    else if (p.time_percent == 10.0)
        p.time = TimePercent::p10;
    else if (p.time_percent == 50.0)
        p.time = TimePercent::p50;
    else
        bad("time_percent",
            number_text(p.time_percent) + " %: HCM has curves for 1, 10 and 50 % of the time only");
    const double locations = ps.get_double("location_percent", 50.0);
    if (locations != 50.0)
        bad("location_percent",
            number_text(locations) + " %: HCM's curves are for 50 % of locations only");
    p.profile_step_km = ps.get_double("profile_step_km", p.profile_step_km);
    if (!(p.profile_step_km >= 0.01 && p.profile_step_km <= 1.0))
        bad("profile_step_km", number_text(p.profile_step_km) + " is outside [0.01, 1] km");
    p.terrain = ps.get_string("terrain", res.geographic_terrain_source);
    if (!res.geographic_terrain)
        throw InputError(
            "model 'hcm' samples its own profile and needs a geographic terrain grid (EPSG:4326 "
            "posts on whole 3\" multiples, e.g. SRTM3): give a geographic terrain or "
            "model_parameters.terrain");
    return std::make_unique<HcmModel>(std::move(p), res.geographic_terrain);
}

}  // namespace grenzfunk::propagation
