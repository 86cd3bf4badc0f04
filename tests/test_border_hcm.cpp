// The border check with the shipped rules, which use the HCM method (model hcm): the field
// strength the check reports at each check's worst point is HCM's point calculation (mode 99,
// 10 % of the time, propagation/hcm.hpp, itself held to HCM_MS V7.21.5 by test_hcm_model.cpp)
// from the site to that point with the cell's e.i.r.p. turned into an e.r.p. with HCM's 2.1 dB,
// the cell's antenna gain towards the point and the rule's bandwidth normalisation. Checks that
// fail or lie within 3 dB carry the same check under P.1546-6.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/geo_post_grid.hpp"
#include "io/geo_post_grid_reader.hpp"
#include "io/sites_csv.hpp"
#include "propagation/hcm.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

TEST_CASE("border: checks with model hcm report HCM's point field strength at the worst point",
          "[border][hcm][cli]") {
    TempDir tmp;
    const auto r = run_cli("run " + data_path("scenarios/border_small.toml") + " -o '" +
                           (tmp / "out").string() + "' --creation-time 2024-06-01T00:00:00Z");
    REQUIRE(r.exit_code == 0);
    const auto json =
        nlohmann::json::parse(read_file(tmp / "out" / "regulator_package" / "border_report.json"));
    std::map<std::string, Cell> cells;
    for (const Cell& c : io::read_sites_csv(data_path("sites/hof_rehau_sites.csv")))
        cells[c.cell_id] = c;
    const GeoPostGrid grid = io::read_geo_post_grid(data_path("dem/hof_as_srtm3.tif"));
    const propagation::HcmTerrain terrain(grid);
    int checked = 0, compared = 0;
    for (const auto& cell : json["cells"]) {
        const Cell& c = cells.at(cell["cell_id"].get<std::string>());
        for (const auto& check : cell["checks"]) {
            if (check["max_field_dbuv_per_m"].is_null()) continue;
            const auto& at = check["max_at"];
            propagation::hcm::PointInput in;
            in.path.tx = {c.lon_deg, c.lat_deg};
            in.path.rx = {at["lon_deg"].get<double>(), at["lat_deg"].get<double>()};
            in.path.tx_antenna_height_m = int(std::lround(c.antenna_height_agl_m));
            in.path.rx_antenna_height_m = 3;  // the rules' receiver height
            in.path.frequency_mhz = c.frequency_mhz;
            in.path.mode = propagation::HcmPathMode::line_style;
            in.time = propagation::hcm::TimePercent::p10;
            in.erp_towards_rx_dbw = c.eirp_dbm - 30.0 - propagation::hcm::kHcmEirpToErpDb +
                                    at["antenna_gain_db"].get<double>();
            const auto point = propagation::hcm::point_field_strength(terrain, in);
            REQUIRE(point.ok());
            const double expected =
                point.field_dbuv_per_m + check["bandwidth_correction_db"].get<double>();
            INFO(c.cell_id << " " << check["rule"].get<std::string>());
            // JSON values are printed to 2 decimals (gain, field) and 6 (lon/lat, ~0.1 m).
            CHECK(std::abs(check["max_field_dbuv_per_m"].get<double>() - expected) <= 0.015);
            ++checked;
            const double margin = check["margin_db"].get<double>();
            const bool narrow = check["result"] == "FAIL" || margin <= 3.0;
            CHECK(check.contains("comparison") == narrow);
            if (check.contains("comparison")) {
                CHECK(check["comparison"]["model"] == "p1546");
                ++compared;
            }
        }
    }
    CHECK(checked >= 9);  // border_small: the checks with a sample within max_path_km
    INFO(compared << " checks compared with P.1546");
}
