// The reader of the HCM_MS V7 reference-case layout (src/io/hcm_cases_csv.hpp) on the reference
// file itself (tests/data/hcm/cases.csv) and on malformed rows.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "io/hcm_cases_csv.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

TEST_CASE("HCM cases: the reference file's 200 rows, coordinates as its decimal columns",
          "[hcm][io]") {
    const auto cases = io::read_hcm_cases_csv(data_path("hcm/cases.csv"));
    REQUIRE(cases.size() == 200);
    int mode99 = 0, eirp = 0;
    for (const auto& c : cases) {
        INFO(c.case_id);
        // The reference's decimal columns are deg + min/60 + s/3600 printed to 6 decimals.
        CHECK(std::abs(c.tx_lat_deg - std::stod(c.other_columns.at("tx_lat_deg"))) < 6e-7);
        CHECK(std::abs(c.tx_lon_deg - std::stod(c.other_columns.at("tx_lon_deg"))) < 6e-7);
        CHECK(std::abs(c.rx_lat_deg - std::stod(c.other_columns.at("rx_lat_deg"))) < 6e-7);
        CHECK(std::abs(c.rx_lon_deg - std::stod(c.other_columns.at("rx_lon_deg"))) < 6e-7);
        CHECK_FALSE(c.tx_site_height_m.has_value());  // blank in the reference: from terrain
        mode99 += c.c_mode == 99;
        eirp += c.power_type == io::HcmPowerType::eirp;
    }
    // README_reference.md: each pair in both modes; 110 cases give an e.i.r.p.
    CHECK(mode99 == 100);
    CHECK(eirp == 110);
    CHECK(cases.front().case_id == "H001_99");
    CHECK(cases.front().frequency_mhz == 3600.0);
    CHECK(cases.front().tx_antenna_height_agl_m == 50);
    CHECK(cases.front().rx_antenna_height_agl_m == 10);
    CHECK(io::is_hcm_cases_csv(data_path("hcm/cases.csv")));
    CHECK_FALSE(io::is_hcm_cases_csv(data_path("itm_region/cases.csv")));
}

TEST_CASE("HCM cases: coordinates and bad rows are named by line and column", "[hcm][io]") {
    double lon = 0, lat = 0;
    REQUIRE(io::parse_hcm_coordinates("012E571550N2543", lon, lat));
    CHECK(lon == Approx(12.0 + 57.0 / 60 + 15.0 / 3600).epsilon(1e-15));
    CHECK(lat == Approx(50.0 + 25.0 / 60 + 43.0 / 3600).epsilon(1e-15));
    REQUIRE(io::parse_hcm_coordinates("003W300000S1000", lon, lat));
    CHECK(lon == -3.5);
    CHECK(lat == Approx(-(10.0 / 60)));
    CHECK_FALSE(io::parse_hcm_coordinates("012E601550N2543", lon, lat));  // 60 minutes
    CHECK_FALSE(io::parse_hcm_coordinates("012X571550N2543", lon, lat));
    CHECK_FALSE(io::parse_hcm_coordinates("012E571550N254", lon, lat));

    TempDir dir;
    const std::string header =
        "case_id,c_mode,tx_coord_hcm,rx_coord_hcm,tx_antenna_height_agl_m,"
        "rx_antenna_height_agl_m,frequency_mhz,power_dbw,power_type,tx_antenna_code_h,"
        "tx_antenna_code_v,tx_azimuth_deg,tx_elevation_deg,channel_occupation\n";
    const std::string good =
        "A1,99,012E571550N2543,012E521949N3715,50,10,806,16,I,000ND00,000ND00,0,0,0\n";
    write_file(dir.path() / "ok.csv", header + good);
    CHECK(io::read_hcm_cases_csv(dir.path() / "ok.csv").size() == 1);
    write_file(
        dir.path() / "bad.csv",
        header + good +
            "A2,12,012E571550N2543,012E521949N3715,12.5,10,806,16,X,000ND00,000ND00,0,0,0\n");
    try {
        io::read_hcm_cases_csv(dir.path() / "bad.csv");
        FAIL("no error");
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(what.find("bad.csv:3: c_mode: 12: grenzfunk evaluates modes 99 and 10") !=
              std::string::npos);
        CHECK(what.find("bad.csv:3: tx_antenna_height_agl_m:") != std::string::npos);
        CHECK(what.find("bad.csv:3: power_type: 'X' is not E or I") != std::string::npos);
    }
    write_file(dir.path() / "missing.csv", "case_id,c_mode\nA,99\n");
    CHECK_THROWS_WITH(io::read_hcm_cases_csv(dir.path() / "missing.csv"),
                      Catch::Contains("missing.csv:1: tx_coord_hcm: column missing"));
}
