// Sites input: grenzfunk's cell CSV (src/io/sites_csv.hpp) and the OpenCelliD importer
// (src/io/opencellid.hpp). Expected values are read off the sample files in data/sites/ (their
// first rows, and the per-technology counts stated in data/README.md); the error cases use small
// files written to a temporary directory.
#include <catch2/catch.hpp>

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <locale>
#include <map>
#include <random>
#include <set>
#include <string>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "io/opencellid.hpp"
#include "io/sites_csv.hpp"
#include "test_environment.hpp"

using namespace grenzfunk;
using Catch::Matchers::Contains;

namespace {

const std::filesystem::path sample_dir = std::filesystem::path(GRENZFUNK_SOURCE_DIR) / "data/sites";
const std::filesystem::path de_sample = sample_dir / "de_sample_sites.csv";
const std::filesystem::path cz_sample = sample_dir / "opencellid_230_CZ_border_region.csv";

const std::string header =
    "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,mech_tilt_deg,"
    "elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,technology,operator,"
    "country\n";
const std::string good_row =
    "HOF1-L08-1,HOF1,Hof,50.319,11.929,35,0,0,3,806,10,59.0,3gpp-65,LTE,DE-sample,DE\n";
const std::string ocid_header =
    "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,"
    "averageSignal\n";
const std::string ocid_row =
    "GSM,230,1,8260,20192,0,12.2101,50.1788,16265,27,1,1312446833,1752996430,0\n";

// A temporary directory for the test files, removed at the end of the test case.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("grenzfunk_test_sites_" + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path write(const std::string& name, const std::string& content) const {
        auto p = path_ / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

  private:
    std::filesystem::path path_;
};

// The message of the InputError that `f` throws; fails the test if it throws none.
std::string input_error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    FAIL("expected an InputError");
    return {};
}

std::string sites_error(const TempDir& dir, const std::string& content) {
    auto p = dir.write("sites.csv", content);
    return input_error_of([&] { io::read_sites_csv(p); });
}

std::string ocid_error(const TempDir& dir, const std::string& content,
                       const ParameterSet& params = {}) {
    auto p = dir.write("ocid.csv", content);
    return input_error_of([&] { io::read_opencellid(p, params); });
}

bool same_cells(const std::vector<Cell>& a, const std::vector<Cell>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const Cell& x = a[i];
        const Cell& y = b[i];
        if (x.cell_id != y.cell_id || x.site_id != y.site_id || x.site_name != y.site_name ||
            x.lat_deg != y.lat_deg || x.lon_deg != y.lon_deg ||
            x.antenna_height_agl_m != y.antenna_height_agl_m || x.azimuth_deg != y.azimuth_deg ||
            x.mech_tilt_deg != y.mech_tilt_deg || x.elec_tilt_deg != y.elec_tilt_deg ||
            x.frequency_mhz != y.frequency_mhz || x.bandwidth_mhz != y.bandwidth_mhz ||
            x.eirp_dbm != y.eirp_dbm || x.antenna_pattern != y.antenna_pattern ||
            x.technology != y.technology || x.operator_name != y.operator_name ||
            x.country != y.country || x.source != y.source)
            return false;
    }
    return true;
}

}  // namespace

// ---- The sample files ----------------------------------------------------------------------

TEST_CASE("sites csv: the German sample file", "[sites]") {
    const auto cells = io::read_sites_csv(de_sample);
    REQUIRE(cells.size() == 90);

    // First data row: HOF1-L08-1,HOF1,Hof,50.319,11.929,35,0,0,3,806,10,59.0,3gpp-65,LTE,...
    const Cell& c = cells.front();
    CHECK(c.cell_id == "HOF1-L08-1");
    CHECK(c.site_id == "HOF1");
    CHECK(c.site_name == "Hof");
    CHECK(c.lat_deg == 50.319);
    CHECK(c.lon_deg == 11.929);
    CHECK(c.antenna_height_agl_m == 35.0);
    CHECK(c.azimuth_deg == 0.0);
    CHECK(c.mech_tilt_deg == 0.0);
    CHECK(c.elec_tilt_deg == 3.0);
    CHECK(c.frequency_mhz == 806.0);
    CHECK(c.bandwidth_mhz == 10.0);
    CHECK(c.eirp_dbm == 59.0);
    CHECK(c.antenna_pattern == "3gpp-65");
    CHECK(c.technology == Technology::lte);
    CHECK(c.operator_name == "DE-sample");
    CHECK(c.country == "DE");
    CHECK(c.source == de_sample.string() + ":2");

    // Last row (line 91): GEF1-L08-3,GEF1,Gefell,50.434,11.855,30,240,0,3,806,10,59.0,...
    const Cell& last = cells.back();
    CHECK(last.cell_id == "GEF1-L08-3");
    CHECK(last.site_name == "Gefell");
    CHECK(last.lat_deg == 50.434);
    CHECK(last.azimuth_deg == 240.0);
    CHECK(last.source == de_sample.string() + ":91");

    // data/README.md: 25 sites; 75 LTE 800 cells (806 MHz, 10 MHz) and 15 LTE 1800 (1815, 20).
    std::set<std::string> sites;
    std::map<double, int> per_frequency;
    for (const auto& cell : cells) {
        sites.insert(cell.site_id);
        ++per_frequency[cell.frequency_mhz];
        CHECK(cell.technology == Technology::lte);
        CHECK(cell.bandwidth_mhz == (cell.frequency_mhz == 806.0 ? 10.0 : 20.0));
    }
    CHECK(sites.size() == 25);
    CHECK(per_frequency[806.0] == 75);
    CHECK(per_frequency[1815.0] == 15);
}

TEST_CASE("opencellid: the Czech sample export with the documented defaults", "[sites]") {
    std::vector<std::string> warnings;
    const auto cells = io::read_opencellid(cz_sample, {}, &warnings);
    // Every Czech network has its own carriers (docs/opencellid-defaults.md): no shared default.
    CHECK(warnings.empty());
    REQUIRE(cells.size() == 387);

    std::map<Technology, int> per_technology;
    std::map<std::string, int> per_operator;
    std::set<std::string> lte_sites;
    for (const auto& cell : cells) {
        ++per_technology[cell.technology];
        ++per_operator[cell.operator_name];
        if (cell.technology == Technology::lte) lte_sites.insert(cell.site_id);
        CHECK(cell.country == "CZ");
        CHECK(cell.antenna_pattern == "omni");
        CHECK(cell.azimuth_deg == 0.0);
        const auto d = io::opencellid_builtin_defaults(cell.technology);
        CHECK(cell.eirp_dbm == d.eirp_dbm);
        CHECK(cell.antenna_height_agl_m == d.antenna_height_agl_m);
    }
    // data/README.md: GSM 83, UMTS 19, LTE 285.
    CHECK(per_technology[Technology::gsm] == 83);
    CHECK(per_technology[Technology::umts] == 19);
    CHECK(per_technology[Technology::lte] == 285);
    CHECK(per_technology.count(Technology::nr) == 0);
    // Counted in the file by net: 1 -> 32+8+171, 2 -> 20+7+23, 3 -> 31+4+91.
    CHECK(per_operator["T-Mobile CZ"] == 211);
    CHECK(per_operator["O2 CZ"] == 50);
    CHECK(per_operator["Vodafone CZ"] == 126);
    // The 285 LTE cells belong to 124 distinct (net, eNodeB id = cell / 256).
    CHECK(lte_sites.size() == 124);

    // First data row: GSM,230,1,8260,20192,0,12.2101,50.1788,16265,27,1,...
    const Cell& c = cells.front();
    CHECK(c.cell_id == "230-01-8260-20192");
    CHECK(c.site_id == "230-01-8260-20192");
    CHECK(c.lat_deg == 50.1788);
    CHECK(c.lon_deg == 12.2101);
    CHECK(c.technology == Technology::gsm);
    CHECK(c.operator_name == "T-Mobile CZ");
    CHECK(c.source == cz_sample.string() + ":2");
    // The documented GSM defaults (docs/opencellid-defaults.md): T-Mobile CZ's 900 MHz block
    // 935.1-947.5 MHz holds 62 channels; the stand-in uses 12 of them, 5 apart:
    // 935.2 + 1.0 k MHz, k = 0..11.
    CHECK(c.frequency_mhz >= 935.2 - 1e-9);
    CHECK(c.frequency_mhz <= 946.2 + 1e-9);
    CHECK(std::fmod(c.frequency_mhz - 935.2 + 1e-6, 1.0) < 2e-6);
    CHECK_FALSE(c.arfcn);  // a stand-in, not a code for the border rules
    CHECK(c.bandwidth_mhz == 0.2);
    CHECK(c.antenna_height_agl_m == 30.0);
    CHECK(c.eirp_dbm == 55.0);

    // An LTE row: LTE,230,1,8260,215593239,-1,12.346,50.0777,... eNB 215593239 / 256 = 842161
    auto it = std::find_if(cells.begin(), cells.end(),
                           [](const Cell& x) { return x.cell_id == "230-01-8260-215593239"; });
    REQUIRE(it != cells.end());
    CHECK(it->site_id == "230-01-eNB842161");
    // T-Mobile CZ's band 20 block 811-821 MHz: EARFCN 6400 = 791 + 0.1 (6400 - 6150) = 816 MHz.
    CHECK(it->earfcn == 6400);
    CHECK(it->frequency_mhz == Approx(816.0).margin(1e-9));
    CHECK(it->bandwidth_mhz == 10.0);
    CHECK(it->lon_deg == 12.346);
}

TEST_CASE("opencellid: documented default table", "[sites]") {
    // docs/opencellid-defaults.md, table "Defaults".
    const auto gsm = io::opencellid_builtin_defaults(Technology::gsm);
    const auto umts = io::opencellid_builtin_defaults(Technology::umts);
    const auto lte = io::opencellid_builtin_defaults(Technology::lte);
    const auto nr = io::opencellid_builtin_defaults(Technology::nr);
    CHECK(gsm.frequency_mhz == 942.5);
    CHECK(gsm.bandwidth_mhz == 0.2);
    CHECK(umts.frequency_mhz == 2140.0);
    CHECK(umts.bandwidth_mhz == 5.0);
    CHECK(lte.frequency_mhz == 806.0);
    CHECK(lte.bandwidth_mhz == 10.0);
    CHECK(nr.frequency_mhz == 3600.0);
    CHECK(nr.bandwidth_mhz == 100.0);
    CHECK(gsm.eirp_dbm == 55.0);
    CHECK(umts.eirp_dbm == 57.0);
    CHECK(lte.eirp_dbm == 59.0);
    CHECK(nr.eirp_dbm == 70.0);
    CHECK(lte.antenna_height_agl_m == 30.0);
    CHECK(nr.antenna_height_agl_m == 25.0);
}

TEST_CASE("opencellid: defaults overridden through parameters", "[sites]") {
    ParameterSet params;
    params.set("lte_frequency_mhz", 1815.0);
    params.set("lte_bandwidth_mhz", 20.0);
    params.set("gsm_antenna_height_agl_m", 40.0);
    params.set("lte_eirp_dbmm", 61.0);  // a typo: left unconsumed for the scenario layer to report
    const auto cells = io::read_opencellid(cz_sample, params);
    REQUIRE(cells.size() == 387);
    for (const auto& cell : cells) {
        if (cell.technology == Technology::lte) {
            CHECK(cell.frequency_mhz == 1815.0);
            CHECK(cell.bandwidth_mhz == 20.0);
            CHECK(cell.eirp_dbm == 59.0);
        }
        if (cell.technology == Technology::gsm) CHECK(cell.antenna_height_agl_m == 40.0);
        if (cell.technology == Technology::umts) CHECK(cell.antenna_height_agl_m == 30.0);
    }
    CHECK(params.unconsumed_keys() == std::set<std::string>{"lte_eirp_dbmm"});

    TempDir dir;
    ParameterSet bad;
    bad.set("nr_eirp_dbm", 150.0);  // checked even though the file has no NR cell
    bad.set("gsm_frequency_mhz", std::string("900"));
    const auto msg = ocid_error(dir, ocid_header + ocid_row, bad);
    CHECK_THAT(msg, Contains("nr_eirp_dbm: 150 is out of range [-50, 100] dBm"));
    CHECK_THAT(msg, Contains("gsm_frequency_mhz: expected a number"));
    CHECK_THROWS_WITH(io::opencellid_defaults(Technology::nr, bad), Contains("nr_eirp_dbm"));
}

// ---- Format features -----------------------------------------------------------------------

TEST_CASE("sites csv: RFC 4180 quoting, any column order, CRLF and BOM", "[sites]") {
    TempDir dir;
    // Columns reversed; a quoted name with a comma, doubled quotes and a line break; CRLF ends.
    std::string content =
        "\xEF\xBB\xBF"
        "country,operator,technology,antenna_pattern,eirp_dbm,bandwidth_mhz,frequency_mhz,"
        "elec_tilt_deg,mech_tilt_deg,azimuth_deg,antenna_height_agl_m,lon_deg,lat_deg,"
        "site_name,site_id,cell_id\r\n"
        "DE,\"Op, \"\"quoted\"\"\",lte,3gpp-65,59.0,10,806,3,0,120,35,11.929,50.319,"
        "\"Hof,\nSaale\",HOF1,HOF1-1\r\n"
        "\r\n"
        "CZ,,NR, omni ,+70,100,3600,-2,1.5,360,25,12.37,50.23,As,AS1,\"AS1-1\"\r\n";
    auto p = dir.write("quoted.csv", content);
    const auto cells = io::read_sites_csv(p);
    REQUIRE(cells.size() == 2);
    CHECK(cells[0].cell_id == "HOF1-1");
    CHECK(cells[0].site_name == "Hof,\nSaale");
    CHECK(cells[0].operator_name == "Op, \"quoted\"");
    CHECK(cells[0].technology == Technology::lte);
    CHECK(cells[0].azimuth_deg == 120.0);
    CHECK(cells[0].source == p.string() + ":2");
    // The quoted line break moves the next record to line 5 (line 4 is empty).
    CHECK(cells[1].source == p.string() + ":5");
    CHECK(cells[1].cell_id == "AS1-1");
    CHECK(cells[1].antenna_pattern == "omni");
    CHECK(cells[1].technology == Technology::nr);
    CHECK(cells[1].operator_name.empty());
    CHECK(cells[1].eirp_dbm == 70.0);
    CHECK(cells[1].elec_tilt_deg == -2.0);
    CHECK(cells[1].mech_tilt_deg == 1.5);
    CHECK(cells[1].azimuth_deg == 360.0);
}

TEST_CASE("opencellid: file without a header line", "[sites]") {
    TempDir dir;
    auto p =
        dir.write("nohdr.csv", ocid_row + "LTE,262,2,1234,5678901,-1,12.0,50.3,1000,3,1,0,0,0\n" +
                                   "NR,262,7,1,68719476735,-1,12.1,50.2,100,1,1,0,0,0\n");
    const auto cells = io::read_opencellid(p);
    REQUIRE(cells.size() == 3);
    CHECK(cells[0].source == p.string() + ":1");
    CHECK(cells[1].cell_id == "262-02-1234-5678901");
    CHECK(cells[1].site_id == "262-02-eNB22183");  // 5678901 / 256
    CHECK(cells[1].country == "DE");
    CHECK(cells[1].operator_name == "Vodafone DE");
    CHECK(cells[2].technology == Technology::nr);
    CHECK(cells[2].cell_id == "262-07-1-68719476735");  // 36-bit NR cell identity
    CHECK(cells[2].site_id == cells[2].cell_id);
    CHECK(cells[2].operator_name == "O2 DE");
    CHECK(cells[2].frequency_mhz == 3600.0);
}

// ---- Bad input: every error names file:line and column ---------------------------------------

TEST_CASE("sites csv: bad input is reported with file, line and column", "[sites]") {
    TempDir dir;
    const std::string f = (dir.write("sites.csv", "").string());

    SECTION("empty file") {
        CHECK_THAT(sites_error(dir, ""), Contains(f + ": empty sites file"));
    }
    SECTION("header only") {
        CHECK_THAT(sites_error(dir, header), Contains(f + ": no cells"));
    }
    SECTION("missing file") {
        auto missing = (std::filesystem::path(f).parent_path() / "nope.csv");
        CHECK_THROWS_WITH(io::read_sites_csv(missing),
                          Contains(missing.string() + ": cannot open"));
    }
    SECTION("missing column") {
        std::string h = header;
        h.replace(h.find(",eirp_dbm"), 9, "");
        CHECK_THAT(sites_error(dir, h + "a,b,c,50,12,30,0,0,0,800,10,3gpp-65,LTE,x,DE\n"),
                   Contains(f + ":1: header: required column 'eirp_dbm' is missing"));
    }
    SECTION("unknown column") {
        std::string h = header;
        h.replace(h.find("\n"), 1, ",notes\n");
        CHECK_THAT(sites_error(dir, h), Contains(f + ":1: header: unknown column 'notes'"));
    }
    SECTION("misspelt and repeated columns") {
        std::string h = header;
        h.replace(h.find("eirp_dbm"), 8, "eirp_dbw");
        h.replace(h.find("\n"), 1, ",lat_deg\n");
        const auto msg = sites_error(dir, h);
        CHECK_THAT(msg, Contains(f + ":1: header: unknown column 'eirp_dbw'"));
        CHECK_THAT(msg, Contains(f + ":1: header: column 'lat_deg' appears twice"));
        CHECK_THAT(msg, Contains(f + ":1: header: required column 'eirp_dbm' is missing"));
    }
    SECTION("semicolon-separated file") {
        std::string h = header;
        std::replace(h.begin(), h.end(), ',', ';');
        CHECK_THAT(sites_error(dir, h), Contains("separated by ';'"));
    }
    SECTION("malformed row: wrong number of fields") {
        CHECK_THAT(sites_error(dir, header + good_row + "X1,S1,Hof,50.3,11.9,35,0,0,3\n"),
                   Contains(f + ":3: wrong number of fields: 9, the header has 16"));
    }
    SECTION("bad number") {
        std::string row = good_row;
        row.replace(row.find("35,"), 2, "3x");
        CHECK_THAT(sites_error(dir, header + row),
                   Contains(f + ":2: antenna_height_agl_m: '3x' is not a number"));
        CHECK_THAT(sites_error(dir, header + "A,B,C,,11.9,35,0,0,3,806,10,59,p,LTE,o,DE\n"),
                   Contains(f + ":2: lat_deg: empty, expected a number"));
        CHECK_THAT(sites_error(dir, header + "A,B,C,nan,11.9,35,0,0,3,806,10,59,p,LTE,o,DE\n"),
                   Contains(f + ":2: lat_deg: 'nan' is not a finite number"));
    }
    SECTION("decimal comma, quoted") {
        std::string row =
            "HOF1-L08-1,HOF1,Hof,\"50,319\",11.929,35,0,0,3,806,10,59.0,3gpp-65,"
            "LTE,DE-sample,DE\n";
        CHECK_THAT(sites_error(dir, header + row),
                   Contains(f + ":2: lat_deg: '50,319' has a decimal comma"));
    }
    SECTION("decimal comma, unquoted") {
        std::string row =
            "HOF1-L08-1,HOF1,Hof,50,319,11,929,35,0,0,3,806,10,59.0,3gpp-65,LTE,DE-sample,DE\n";
        const auto msg = sites_error(dir, header + row);
        CHECK_THAT(msg, Contains(f + ":2: wrong number of fields: 18, the header has 16"));
        CHECK_THAT(msg, Contains("decimal comma"));
    }
    SECTION("out-of-range values") {
        const auto msg =
            sites_error(dir, header + "A,S,N,90.5,-181,0,361,-91,91,0,0,101,p,LTE,o,DE\n" +
                                 "B,S,N,50,12,1000,-0.5,0,0,-5,10,-51,p,LTE,o,DE\n");
        CHECK_THAT(msg, Contains(f + ": 13 errors, nothing was read:"));
        CHECK_THAT(msg, Contains(f + ":2: lat_deg: 90.5 is out of range [-90, 90] deg"));
        CHECK_THAT(msg, Contains(f + ":2: lon_deg: -181 is out of range [-180, 180] deg"));
        CHECK_THAT(msg, Contains(f + ":2: antenna_height_agl_m: 0 is out of range (0, 1000) m"));
        CHECK_THAT(msg, Contains(f + ":2: azimuth_deg: 361 is out of range [0, 360] deg"));
        CHECK_THAT(msg, Contains(f + ":2: mech_tilt_deg: -91 is out of range [-90, 90] deg"));
        CHECK_THAT(msg, Contains(f + ":2: elec_tilt_deg: 91 is out of range [-90, 90] deg"));
        CHECK_THAT(msg, Contains(f + ":2: frequency_mhz: 0 is out of range (0, 100000] MHz"));
        CHECK_THAT(msg, Contains(f + ":2: bandwidth_mhz: 0 is out of range (0, 1000] MHz"));
        CHECK_THAT(msg, Contains(f + ":2: eirp_dbm: 101 is out of range [-50, 100] dBm"));
        CHECK_THAT(msg, Contains(f + ":3: antenna_height_agl_m: 1000 is out of range"));
        CHECK_THAT(msg, Contains(f + ":3: azimuth_deg: -0.5 is out of range"));
        CHECK_THAT(msg, Contains(f + ":3: frequency_mhz: -5 is out of range"));
        CHECK_THAT(msg, Contains(f + ":3: eirp_dbm: -51 is out of range"));
    }
    SECTION("bad text fields") {
        const auto msg =
            sites_error(dir, header + "A,,N,50,12,30,0,0,3,806,10,59,,LTE-A,o,Germany\n" +
                                 ",S,N,50,12,30,0,0,3,806,10,59,p,LTE,o,de\n");
        CHECK_THAT(msg, Contains(f + ":2: site_id: empty"));
        CHECK_THAT(msg, Contains(f + ":2: antenna_pattern: empty"));
        CHECK_THAT(msg, Contains(f + ":2: technology: 'LTE-A' is not a known technology"));
        CHECK_THAT(msg, Contains(f + ":2: country: 'Germany' is not an ISO 3166-1 alpha-2 code"));
        CHECK_THAT(msg, Contains(f + ":3: cell_id: empty"));
        CHECK_THAT(msg, Contains(f + ":3: country: 'de' is not"));
    }
    SECTION("duplicate cell id") {
        CHECK_THAT(sites_error(dir, header + good_row + good_row + good_row),
                   Contains(f + ":3: cell_id: duplicate id 'HOF1-L08-1' (first on line 2)"));
    }
    SECTION("quoting errors") {
        CHECK_THAT(sites_error(dir, header + good_row +
                                        "A,S,N\"x,50,12,30,0,0,3,806,10,59,p,"
                                        "LTE,o,DE\n"),
                   Contains(f + ":3: stray '\"' inside an unquoted field (field 3)"));
        CHECK_THAT(sites_error(dir, header + "A,S,\"N\"x,50,12,30,0,0,3,806,10,59,p,LTE,o,DE\n"),
                   Contains(f + ":2: unexpected 'x' after a closing quote (field 3)"));
        CHECK_THAT(sites_error(dir, header + good_row + "A,S,\"N,50,12\n" + good_row),
                   Contains(f + ":3: unterminated quoted field"));
    }
    SECTION("all errors are collected, the list is capped at 20") {
        std::string content = header;
        for (int i = 0; i < 25; ++i)
            content.append("C")
                .append(std::to_string(i))
                .append(",S,N,95,12,30,0,0,3,806,10,59,p,LTE,o,DE\n");
        const auto msg = sites_error(dir, content);
        CHECK_THAT(msg, Contains(f + ": 25 errors, nothing was read:"));
        CHECK_THAT(msg, Contains(f + ":2: lat_deg: 95 is out of range"));
        CHECK_THAT(msg, Contains(f + ":21: lat_deg: 95 is out of range"));
        CHECK_THAT(msg, !Contains(f + ":22: lat_deg"));
        CHECK_THAT(msg, Contains("... and 5 more errors"));
    }
}

TEST_CASE("opencellid: bad input is reported with file, line and column", "[sites]") {
    TempDir dir;
    const std::string f = dir.write("ocid.csv", "").string();

    SECTION("empty file") {
        CHECK_THAT(ocid_error(dir, ""), Contains(f + ": empty OpenCelliD file"));
        CHECK_THAT(ocid_error(dir, ocid_header), Contains(f + ": no cells"));
    }
    SECTION("header in another order") {
        std::string h = ocid_header;
        h.replace(h.find("lon,lat"), 7, "lat,lon");
        CHECK_THAT(ocid_error(dir, h + ocid_row),
                   Contains(f + ":1: header: field 7 is 'lat', expected 'lon'"));
    }
    SECTION("wrong number of fields") {
        CHECK_THAT(ocid_error(dir, ocid_header + ocid_row + "GSM,230,1,8260,1,0,12.2\n"),
                   Contains(f + ":3: wrong number of fields: 7, expected 14"));
    }
    SECTION("decimal comma") {
        CHECK_THAT(ocid_error(dir, ocid_header + "GSM,230,1,8260,1,0,\"12,2\",50.1,1,1,1,0,0,0\n"),
                   Contains(f + ":2: lon: '12,2' has a decimal comma"));
        CHECK_THAT(ocid_error(dir, ocid_header + "GSM,230,1,8260,1,0,12,2,50,1,1,1,1,0,0,0\n"),
                   Contains(f + ":2: wrong number of fields: 16, expected 14"));
    }
    SECTION("bad values") {
        const auto msg =
            ocid_error(dir, ocid_header + ocid_row + "CDMA,230,1,8260,2,0,12.2,50.1,1,1,1,0,0,0\n" +
                                "GSM,231,1,8260,3,0,12.2,50.1,1,1,1,0,0,0\n" +
                                "GSM,230,x,8260,4,0,12.2,50.1,1,1,1,0,0,0\n" +
                                "GSM,230,1,-1,5,0,12.2,50.1,1,1,1,0,0,0\n" +
                                "GSM,230,1,8260,6,0,12.2,95,1,1,1,0,0,0\n" +
                                "GSM,230,1,8260,7,0,east,50.1,1,1,1,0,0,0\n" +
                                "UMTS,230,1,8260,20192,0,12.2,50.1,1,1,1,0,0,0\n" + ocid_row);
        CHECK_THAT(msg, Contains(f + ": 8 errors, nothing was read:"));
        CHECK_THAT(msg, Contains(f + ":3: radio: 'CDMA' is not supported"));
        CHECK_THAT(msg, Contains(f + ":4: mcc: 231 is not a supported country (known: 230 = CZ, "
                                     "262 = DE)"));
        CHECK_THAT(msg, Contains(f + ":5: net: 'x' is not an integer"));
        CHECK_THAT(msg, Contains(f + ":6: area: -1 is out of range"));
        CHECK_THAT(msg, Contains(f + ":7: lat: 95 is out of range [-90, 90] deg"));
        CHECK_THAT(msg, Contains(f + ":8: lon: 'east' is not a number"));
        // Same net/area/cell in another radio gives the same cell_id: a duplicate.
        CHECK_THAT(msg, Contains(f + ":9: cell: duplicate cell '230-01-8260-20192' (first on "
                                     "line 2)"));
        CHECK_THAT(msg, Contains(f + ":10: cell: duplicate cell '230-01-8260-20192'"));
    }
}

// ---- Locale independence -------------------------------------------------------------------

TEST_CASE("sites input gives identical results under a German locale", "[sites][locale]") {
    const auto de_c = io::read_sites_csv(de_sample);
    const auto cz_c = io::read_opencellid(cz_sample);

    std::locale previous;
    bool installed = true;
    try {
        previous = std::locale::global(std::locale("de_DE.UTF-8"));  // also sets the C locale
    } catch (const std::runtime_error&) {
        installed = false;
    }
    GRENZFUNK_REQUIRE_ENVIRONMENT(installed, "GRENZFUNK_TEST_ALLOW_MISSING_LOCALE",
                                  "the locale de_DE.UTF-8 is not installed (see `locale -a`; "
                                  "tools/setup-debian.sh builds it with: localedef -i de_DE -c "
                                  "-f UTF-8 de_DE.UTF-8)");
    struct Restore {
        std::locale saved;
        ~Restore() { std::locale::global(saved); }
    } restore{previous};

    // The locale is really in effect: the C library now reads "1.5" only up to the '.'.
    CHECK(std::strtod("1,5", nullptr) == 1.5);
    CHECK(std::strtod("1.5", nullptr) == 1.0);

    const auto de_de = io::read_sites_csv(de_sample);
    const auto cz_de = io::read_opencellid(cz_sample);
    CHECK(same_cells(de_c, de_de));
    CHECK(same_cells(cz_c, cz_de));
    REQUIRE(de_de.size() == 90);
    CHECK(de_de.front().lat_deg == 50.319);

    // A decimal comma is still an error, not silently accepted because of the locale.
    TempDir dir;
    CHECK_THAT(sites_error(dir, header + "A,S,N,\"50,3\",12,30,0,0,3,806,10,59,p,LTE,o,DE\n"),
               Contains("lat_deg: '50,3' has a decimal comma"));
}
