// HCM terrain lookup and path geometry against HCM_MS V7.21.5's own intermediate values
// (tests/data/hcm/cases.csv, computed by running the program; README_reference.md there).
#include <gdal.h>
#include <ogr_srs_api.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "io/geo_post_grid_reader.hpp"
#include "io/hcm_cases_csv.hpp"
#include "propagation/hcm_path.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::propagation;
using grenzfunk::test::data_path;

namespace {

// cases.csv: header-indexed rows; fields may be double-quoted (with commas inside).
struct CsvTable {
    std::map<std::string, std::size_t> column;
    std::vector<std::vector<std::string>> rows;
    const std::string& get(std::size_t row, const std::string& name) const {
        const auto it = column.find(name);
        REQUIRE(it != column.end());
        return rows[row].at(it->second);
    }
};

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                out.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                out.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else if (c != '\r') {
            out.back() += c;
        }
    }
    return out;
}

const CsvTable& cases() {
    static const CsvTable table = [] {
        CsvTable t;
        std::ifstream in(data_path("hcm/cases.csv"));
        REQUIRE(in);
        std::string line;
        REQUIRE(std::getline(in, line));
        const std::vector<std::string> header = split_csv_line(line);
        for (std::size_t i = 0; i < header.size(); ++i) t.column[header[i]] = i;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            t.rows.push_back(split_csv_line(line));
            REQUIRE(t.rows.back().size() == header.size());
        }
        return t;
    }();
    return table;
}

const GeoPostGrid& reference_grid() {
    static const GeoPostGrid grid =
        io::read_geo_post_grid(data_path("hcm/hcm_topo_49_51N_11_14E.tif"));
    return grid;
}

// The record's coordinates as HCM reads them (deg + min/60 + s/3600, io/hcm_cases_csv.hpp).
HcmLonLat coordinates(const std::string& text) {
    HcmLonLat p;
    if (!io::parse_hcm_coordinates(text, p.lon_deg, p.lat_deg))
        throw InputError("bad coordinates " + text);
    return p;
}

double number(const std::string& text) {
    return std::stod(text);
}

HcmPathGeometry run_case(std::size_t row) {
    const CsvTable& t = cases();
    static const HcmTerrain terrain(reference_grid());
    HcmPathInput in;
    in.tx = coordinates(t.get(row, "tx_coord_hcm"));
    in.rx = coordinates(t.get(row, "rx_coord_hcm"));
    in.tx_antenna_height_m = std::stoi(t.get(row, "tx_antenna_height_agl_m"));
    in.rx_antenna_height_m = std::stoi(t.get(row, "rx_antenna_height_agl_m"));
    in.frequency_mhz = number(t.get(row, "frequency_mhz"));
    const int c_mode = std::stoi(t.get(row, "c_mode"));
    REQUIRE((c_mode == 99 || c_mode == 10));
    in.mode = c_mode == 99 ? HcmPathMode::line_style : HcmPathMode::point_to_point;
    return hcm_path_geometry(terrain, in);
}

// Counts the rows where `agree` holds and lists the others (printed once per column).
struct ColumnTally {
    explicit ColumnTally(std::string column) : name(std::move(column)) {}
    std::string name;
    int agree = 0;
    int total = 0;
    std::string misses;
    void add(bool ok, const std::string& case_id, double ours, const std::string& reference) {
        ++total;
        if (ok) {
            ++agree;
            return;
        }
        char buf[160];
        std::snprintf(buf, sizeof buf, " %s(ours %.5f, HCM %s)", case_id.c_str(), ours,
                      reference.c_str());
        misses.append(buf);
    }
    std::string summary() const {
        return name + ": " + std::to_string(agree) + "/" + std::to_string(total) + misses;
    }
};

}  // namespace

TEST_CASE("hcm: the reference GeoTIFF is read as a post grid", "[hcm]") {
    const GeoPostGrid& g = reference_grid();
    CHECK(g.width == 3601);
    CHECK(g.height == 2401);
    // README_reference: PixelIsPoint, post (0,0) at 11.0 E 51.0 N, step 1/1200 degree.
    CHECK(g.lon_post0_deg == Approx(11.0).margin(1e-9));
    CHECK(g.lat_post0_deg == Approx(51.0).margin(1e-9));
    CHECK(g.step_lon_deg == Approx(1.0 / 1200.0).epsilon(1e-12));
    CHECK(g.step_lat_deg == Approx(1.0 / 1200.0).epsilon(1e-12));
    CHECK_FALSE(g.nodata_m.has_value());
}

TEST_CASE("hcm: the post grid reader names the file on bad input", "[hcm]") {
    CHECK_THROWS_AS(io::read_geo_post_grid("/nonexistent/topo.tif"), InputError);
    grenzfunk::test::TempDir tmp;
    GDALAllRegister();
    // Writes a 4 x 3 Int16 GeoTIFF with the given CRS (EPSG code, 0 = none) and geotransform.
    auto write = [&](const std::string& name, int epsg, const double* gt) {
        const std::string path = (tmp / name).string();
        GDALDriverH drv = GDALGetDriverByName("GTiff");
        GDALDatasetH ds = GDALCreate(drv, path.c_str(), 4, 3, 1, GDT_Int16, nullptr);
        REQUIRE(ds);
        if (gt) GDALSetGeoTransform(ds, const_cast<double*>(gt));
        if (epsg != 0) {
            OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
            OSRImportFromEPSG(srs, epsg);
            GDALSetSpatialRef(ds, srs);
            OSRDestroySpatialReference(srs);
        }
        GDALClose(ds);
        return path;
    };
    const double good[6] = {11.0, 1.0 / 1200, 0.0, 51.0, 0.0, -1.0 / 1200};
    const double rotated[6] = {11.0, 1.0 / 1200, 1e-5, 51.0, 0.0, -1.0 / 1200};
    const double utm[6] = {300000.0, 90.0, 0.0, 5600000.0, 0.0, -90.0};
    const GeoPostGrid g = io::read_geo_post_grid(write("good.tif", 4326, good));
    CHECK(g.width == 4);
    CHECK(g.height == 3);
    CHECK(g.lon_post0_deg == Approx(11.0 + 0.5 / 1200).margin(1e-12));  // PixelIsArea centre
    CHECK_THROWS_WITH(io::read_geo_post_grid(write("utm.tif", 25833, utm)),
                      Catch::Contains("utm.tif") && Catch::Contains("not in geographic"));
    CHECK_THROWS_WITH(io::read_geo_post_grid(write("rot.tif", 4326, rotated)),
                      Catch::Contains("rot.tif") && Catch::Contains("rotated"));
    CHECK_THROWS_WITH(io::read_geo_post_grid(write("nogt.tif", 4326, nullptr)),
                      Catch::Contains("nogt.tif") && Catch::Contains("no geotransform"));
    CHECK_THROWS_WITH(io::read_geo_post_grid(write("nocrs.tif", 0, good)),
                      Catch::Contains("nocrs.tif") && Catch::Contains("coordinate reference"));
}

TEST_CASE("hcm: the terrain lookup needs a 3 arc-second grid on whole posts", "[hcm]") {
    GeoPostGrid g;
    g.width = 3;
    g.height = 3;
    g.heights_m.assign(9, 0);
    g.step_lon_deg = g.step_lat_deg = 1.0 / 1200.0;
    g.lon_post0_deg = 11.0;
    g.lat_post0_deg = 50.0;
    CHECK_NOTHROW(HcmTerrain(g));
    g.lon_post0_deg = 11.0001;
    CHECK_THROWS_AS(HcmTerrain(g), InputError);
    g.lon_post0_deg = 11.0;
    g.step_lon_deg = 1.0 / 3600.0;
    CHECK_THROWS_AS(HcmTerrain(g), InputError);
}

TEST_CASE("hcm: coordinates are read as HCM reads its records", "[hcm]") {
    const HcmLonLat p = coordinates("012E571550N2543");
    CHECK(p.lon_deg == 12.0 + 57.0 / 60.0 + 15.0 / 3600.0);
    CHECK(p.lat_deg == 50.0 + 25.0 / 60.0 + 43.0 / 3600.0);
    CHECK_THROWS_AS(coordinates("012X571550N2543"), InputError);
    CHECK_THROWS_AS(coordinates("012E5715"), InputError);
    const HcmLonLat r = hcm_whole_arcseconds({12.95416666, 50.42861111});
    CHECK(r.lon_deg == p.lon_deg);
    CHECK(r.lat_deg == p.lat_deg);
}

TEST_CASE("hcm: path geometry reproduces HCM_MS V7.21.5 on all 200 cases", "[hcm]") {
    const CsvTable& t = cases();
    REQUIRE(t.rows.size() == 200);
    ColumnTally tx_site{"tx_site_height_hcm_m"}, rx_site{"rx_site_height_hcm_m"},
        dist{"distance_km"}, dir_tr{"dir_tx_rx_deg"}, dir_rt{"dir_rx_tx_deg"},
        points{"profile_points"}, heff_tx{"heff_tx_m"}, heff_rx{"heff_rx_m"}, heff{"heff_m"},
        dh{"dh_m"}, tca_tx{"tx_tca_deg"}, tca_rx{"rx_tca_deg"}, vang{"v_angle_tx_rx_deg"},
        fresnel{"info_12_fresnel"};
    // Printed precision: half a unit of the last printed digit, plus float noise.
    auto within = [](double ours, const std::string& ref, double half_unit) {
        return std::fabs(ours - number(ref)) <= half_unit * 1.0001;
    };
    for (std::size_t row = 0; row < t.rows.size(); ++row) {
        const std::string id = t.get(row, "case_id");
        const HcmPathGeometry g = run_case(row);
        REQUIRE(g.error == HcmPathError::none);
        const std::string& ts = t.get(row, "tx_site_height_hcm_m");
        const std::string& rs = t.get(row, "rx_site_height_hcm_m");
        tx_site.add(g.tx_site_height_m == std::stoi(ts), id, g.tx_site_height_m, ts);
        rx_site.add(g.rx_site_height_m == std::stoi(rs), id, g.rx_site_height_m, rs);
        const std::string& d = t.get(row, "distance_km");
        dist.add(within(g.distance_km, d, 5e-5), id, g.distance_km, d);
        const std::string& a1 = t.get(row, "dir_tx_rx_deg");
        dir_tr.add(within(g.dir_tx_rx_deg, a1, 5e-5), id, g.dir_tx_rx_deg, a1);
        const std::string& a2 = t.get(row, "dir_rx_tx_deg");
        dir_rt.add(within(g.dir_rx_tx_deg, a2, 5e-5), id, g.dir_rx_tx_deg, a2);
        const std::string& pp = t.get(row, "profile_points");
        points.add(g.profile_points == std::stoi(pp), id, g.profile_points, pp);
        const std::string& ht = t.get(row, "heff_tx_m");
        heff_tx.add(within(g.heff_tx_m, ht, 5e-4), id, g.heff_tx_m, ht);
        const std::string& hr = t.get(row, "heff_rx_m");
        heff_rx.add(within(g.heff_rx_m, hr, 5e-4), id, g.heff_rx_m, hr);
        const std::string& h = t.get(row, "heff_m");
        heff.add(within(g.heff_m, h, 5e-4), id, g.heff_m, h);
        const std::string& dhs = t.get(row, "dh_m");
        dh.add(within(g.dh_m, dhs, 0.05) && (g.dh_computed == (g.distance_km > 10.0)), id, g.dh_m,
               dhs);
        const std::string& tt = t.get(row, "tx_tca_deg");
        tca_tx.add(within(g.tx_tca_deg, tt, 5e-5), id, g.tx_tca_deg, tt);
        const std::string& tr = t.get(row, "rx_tca_deg");
        if (tr.empty())
            tca_rx.add(!g.rx_tca_deg.has_value(), id, g.rx_tca_deg.value_or(-999.0), "blank");
        else
            tca_rx.add(g.rx_tca_deg && within(*g.rx_tca_deg, tr, 5e-5), id,
                       g.rx_tca_deg.value_or(-999.0), tr);
        const std::string& va = t.get(row, "v_angle_tx_rx_deg");
        vang.add(within(g.v_angle_tx_rx_deg, va, 5e-5), id, g.v_angle_tx_rx_deg, va);
        // info_flags: 20 T/F; flag 12 is the Fresnel-zone free-space case.
        const bool hcm_fresnel = t.get(row, "info_flags").at(11) == 'T';
        fresnel.add(g.fresnel_zone_clear == hcm_fresnel, id, g.fresnel_zone_clear ? 1 : 0,
                    hcm_fresnel ? "T" : "F");
        if (id == "H084_10") CHECK(g.fresnel_zone_clear);
        CHECK_FALSE(g.free_space_short_path);  // no case below 1 km
    }
    for (const ColumnTally* c : {&tx_site, &rx_site, &dist, &dir_tr, &dir_rt, &points, &heff_tx,
                                 &heff_rx, &heff, &dh, &tca_tx, &tca_rx, &vang, &fresnel})
        WARN(c->summary());
    // Exact for the terrain, the geometry and the flags; see the report for any exceptions.
    CHECK(tx_site.agree == 200);
    CHECK(rx_site.agree == 200);
    CHECK(dist.agree == 200);
    CHECK(dir_tr.agree == 200);
    CHECK(dir_rt.agree == 200);
    CHECK(points.agree == 200);
    CHECK(heff_tx.agree == 200);
    CHECK(heff_rx.agree == 200);
    CHECK(heff.agree == 200);
    CHECK(dh.agree == 200);
    CHECK(tca_tx.agree == 200);
    CHECK(tca_rx.agree == 200);
    CHECK(vang.agree == 200);
    CHECK(fresnel.agree == 200);
}

TEST_CASE("hcm: from 50 N up the lookup uses only the even 3-second columns", "[hcm]") {
    // Two 1-degree tiles (49-51 N, 11-12 E) on the 3" grid: even columns (from the tile's west
    // edge) 0 m, odd columns 1000 m. HCM's 6" tiles hold the even columns only.
    GeoPostGrid g;
    g.width = 1201;
    g.height = 2401;
    g.step_lon_deg = g.step_lat_deg = 1.0 / 1200.0;
    g.lon_post0_deg = 11.0;
    g.lat_post0_deg = 51.0;
    g.heights_m.resize(g.post_count());
    for (int r = 0; r < g.height; ++r)
        for (int c = 0; c < g.width; ++c)
            g.heights_m[std::size_t(r) * std::size_t(g.width) + std::size_t(c)] =
                std::int16_t(c % 2 == 1 ? 1000 : 0);
    const HcmTerrain terrain(g);
    // 11°30'04.5" E: between an even and an odd 3" post.
    const double lon = 11.5 + 4.5 / 3600.0;
    CHECK(terrain.height_m(lon, 50.3).value() == 0);
    CHECK(terrain.height_m(lon, 49.7).value() > 0);
    // The 3599 factor: 11°59'59" E gives LOR = nint(3599 * 3599 / 3600) = 3598" (not 3599"), a
    // third of the way from post 1199 (3597", 1000 m) to post 1200 (0 m): 667 m, not 333 m.
    CHECK(terrain.height_m(11.0 + 3599.0 / 3600.0, 49.5).value() == 667);
    // Outside the grid there is no height.
    CHECK_FALSE(terrain.height_m(10.99, 49.5).has_value());
    CHECK_FALSE(terrain.height_m(11.5, 51.2).has_value());
}

TEST_CASE("hcm: paths HCM refuses are flagged, not thrown", "[hcm]") {
    const HcmTerrain terrain(reference_grid());
    HcmPathInput in;
    in.tx = {12.5, 50.2};
    in.rx = {12.5, 50.2};
    in.tx_antenna_height_m = 30;
    in.rx_antenna_height_m = 10;
    in.frequency_mhz = 450.0;
    CHECK(hcm_path_geometry(terrain, in).error == HcmPathError::same_point);
    in.rx = {15.5, 50.2};  // east of the terrain grid
    CHECK(hcm_path_geometry(terrain, in).error == HcmPathError::terrain_missing);
    in.rx = {12.5, 50.2 + 0.8 / 111.2};  // about 0.8 km: free space (HCM Info 11)
    const HcmPathGeometry g = hcm_path_geometry(terrain, in);
    CHECK(g.error == HcmPathError::none);
    CHECK(g.free_space_short_path);
    CHECK(g.uses_free_space());
    CHECK(g.profile_points == int(g.distance_km / 0.1) + 1);
    CHECK_FALSE(g.dh_computed);
    CHECK(g.dh_m == 50.0f);
}
