// PCI / scrambling code per cell (sites CSV, OpenCelliD unit), the preferential codes file, the
// code classification and the station records (docs/border.md). Expected values are worked out
// by hand from the inputs: code ranges from 3GPP (504 LTE PCIs, 1008 NR PCIs, 512 PSCs), the
// OpenCelliD unit definition, ITU RR Appendix 1 designators, and the fixed-width record columns
// counted from the documented layout.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "analysis/border_rules.hpp"
#include "core/error.hpp"
#include "io/border_rules_io.hpp"
#include "io/opencellid.hpp"
#include "io/sites_csv.hpp"
#include "report/station_records.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using Catch::Matchers::Contains;

namespace {

const std::string header =
    "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,mech_tilt_deg,"
    "elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,technology,operator,"
    "country";

// One row of the 16 required columns; `tech` and the trailing code fields vary.
std::string row(const std::string& id, const std::string& tech, const std::string& codes) {
    return id + ",S1,Site,50.3,12.0,30,0,0,3,806,10,59,3gpp-65," + tech + ",op,DE" + codes;
}

}  // namespace

TEST_CASE("codes: the sites CSV reads optional pci, psc and arfcn columns", "[codes]") {
    // ARFCN 62 = 935 + 0.2 * 62 = 947.4 MHz (TS 45.005 2): the frequency must agree.
    std::string gsm_row = row("G1", "GSM", ",,,62");
    gsm_row.replace(gsm_row.find(",806,10,"), 8, ",947.4,0.2,");
    const std::string text = header + ",pci,psc,arfcn\n" + row("L1", "LTE", ",503,,") + "\n" +
                             row("N1", "NR", ",1007,,") + "\n" + row("U1", "UMTS", ",,511,") +
                             "\n" + gsm_row + "\n" + row("L2", "LTE", ",,,") + "\n";
    const auto cells = io::parse_sites_csv(text, "s.csv");
    REQUIRE(cells.size() == 5);
    CHECK(cells[0].pci == 503);
    CHECK_FALSE(cells[0].psc);
    CHECK(cells[1].pci == 1007);
    CHECK(cells[2].psc == 511);
    CHECK_FALSE(cells[2].pci);
    CHECK(cells[3].arfcn == 62);
    CHECK_FALSE(cells[4].pci);  // empty = not known
    // Without the optional columns the file reads as before.
    const auto plain = io::parse_sites_csv(header + "\n" + row("L1", "LTE", "") + "\n", "p.csv");
    REQUIRE(plain.size() == 1);
    CHECK_FALSE(plain[0].pci);
}

TEST_CASE("codes: bad codes in the sites CSV name the file, line and column", "[codes]") {
    const std::string text = header + ",pci,psc,arfcn\n" + row("L1", "LTE", ",504,,") + "\n" +
                             row("N1", "NR", ",1008,,") + "\n" + row("U1", "UMTS", ",,512,") +
                             "\n" + row("G1", "LTE", ",,,62") + "\n" + row("L2", "LTE", ",1x,,") +
                             "\n" + row("U2", "UMTS", ",7,,") + "\n";
    try {
        io::parse_sites_csv(text, "s.csv");
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        const std::string m = e.what();
        CHECK_THAT(m, Contains("s.csv:2: pci") && Contains("504 is out of range [0, 503]"));
        CHECK_THAT(m, Contains("s.csv:3: pci") && Contains("[0, 1007]"));
        CHECK_THAT(m, Contains("s.csv:4: psc") && Contains("[0, 511]"));
        CHECK_THAT(m, Contains("s.csv:5: arfcn") && Contains("only GSM"));
        CHECK_THAT(m, Contains("s.csv:6: pci"));
        CHECK_THAT(m, Contains("s.csv:7: pci") && Contains("only LTE and NR"));
    }
}

TEST_CASE("codes: OpenCelliD's unit becomes the PCI (LTE, NR) or the PSC (UMTS)", "[codes]") {
    // unit: "For UMTS networks, this is the Primary Scrambling Code (PSC). For LTE networks, this
    // is the Physical Cell ID (PCI). For GSM ... this is empty." (OpenCelliD / MLS export format)
    const std::string text =
        "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,"
        "averageSignal\n"
        "LTE,230,1,100,25600,137,12.1,50.2,1000,5,1,0,0,0\n"  // line 2: PCI 137
        "UMTS,230,2,100,7,300,12.1,50.2,1000,5,1,0,0,0\n"     // line 3: PSC 300
        "GSM,230,3,100,8,,12.1,50.2,1000,5,1,0,0,0\n"         // line 4: none
        "LTE,230,1,100,25601,,12.1,50.2,1000,5,1,0,0,0\n"     // line 5: empty
        "LTE,230,1,100,25602,-1,12.1,50.2,1000,5,1,0,0,0\n"   // line 6: -1 = unknown
        "LTE,230,1,100,25603,504,12.1,50.2,1000,5,1,0,0,0\n"  // line 7: beyond 503
        "NR,230,1,100,25604,1007,12.1,50.2,1000,5,1,0,0,0\n"  // line 8: NR PCI 1007
        "UMTS,230,2,100,9,512,12.1,50.2,1000,5,1,0,0,0\n"     // line 9: beyond 511
        "GSM,230,3,100,10,5,12.1,50.2,1000,5,1,0,0,0\n";      // line 10: GSM unit ignored
    const auto cells = io::parse_opencellid(text, "o.csv");
    REQUIRE(cells.size() == 9);
    CHECK(cells[0].pci == 137);
    CHECK_FALSE(cells[0].psc);
    CHECK(cells[1].psc == 300);
    CHECK_FALSE(cells[1].pci);
    CHECK_FALSE(cells[2].pci);
    CHECK_FALSE(cells[2].psc);
    CHECK_FALSE(cells[3].pci);
    CHECK_FALSE(cells[4].pci);
    CHECK_FALSE(cells[5].pci);
    CHECK(cells[6].pci == 1007);
    CHECK_FALSE(cells[7].psc);
    CHECK_FALSE(cells[8].pci);
    CHECK_FALSE(cells[8].arfcn);

    CHECK_THROWS_WITH(
        io::parse_opencellid("LTE,230,1,100,25600,abc,12.1,50.2,1000,5,1,0,0,0\n", "o.csv"),
        Contains("o.csv:1: unit"));
}

TEST_CASE("codes: the shipped codes file and its classification of cells", "[codes]") {
    const auto all =
        io::read_preferential_codes(test::source_path("data/rules/preferential_codes.toml"));
    const PreferentialCodes* de_cz = io::find_code_pair(all, "DE", "cz");
    REQUIRE(de_cz != nullptr);
    CHECK(io::find_code_pair(all, "CZ", "DE") == nullptr);
    for (const auto& set : de_cz->sets) {
        CHECK_FALSE(set.verified);
        CHECK_FALSE(set.source.empty());
    }
    Cell c;
    c.technology = Technology::lte;
    CHECK(analysis::classify_cell_code(c, de_cz) == analysis::CodeStatus::no_code);
    c.pci = 0;
    CHECK(analysis::classify_cell_code(c, de_cz) == analysis::CodeStatus::preferential);
    c.pci = 251;  // last PCI of group 3 (3 x 84 - 1)
    CHECK(analysis::classify_cell_code(c, de_cz) == analysis::CodeStatus::preferential);
    c.pci = 252;
    CHECK(analysis::classify_cell_code(c, de_cz) == analysis::CodeStatus::non_preferential);
    CHECK(analysis::classify_cell_code(c, nullptr) == analysis::CodeStatus::no_code_set);
    Cell g;
    g.technology = Technology::gsm;
    g.arfcn = 62;
    CHECK(analysis::classify_cell_code(g, de_cz) == analysis::CodeStatus::no_code_set);
    Cell u;
    u.technology = Technology::umts;
    u.psc = 256;
    CHECK(analysis::classify_cell_code(u, de_cz) == analysis::CodeStatus::non_preferential);
    CHECK(analysis::cell_code_text(u) == "PSC 256");
}

TEST_CASE("codes: codes file errors name the file, line and key", "[codes]") {
    test::TempDir tmp;
    const std::string head = "[[pair]]\nhome_country = \"DE\"\nneighbour_country = \"CZ\"\n";
    test::write_file(tmp / "a.toml", head +
                                         "[[pair.set]]\ntechnology = \"LTE\"\ncode = \"psc\"\n"
                                         "preferential = [[0, 10]]\nsource = \"x\"\n"
                                         "verified = false\n");
    CHECK_THROWS_WITH(io::read_preferential_codes((tmp / "a.toml").string()),
                      Contains("a.toml:6") && Contains("pair[0].set[0].code") && Contains("'pci'"));
    test::write_file(tmp / "b.toml", head +
                                         "[[pair.set]]\ntechnology = \"LTE\"\ncode = \"pci\"\n"
                                         "preferential = [[0, 504]]\nsource = \"x\"\n"
                                         "verified = false\n");
    CHECK_THROWS_WITH(io::read_preferential_codes((tmp / "b.toml").string()),
                      Contains("b.toml:7") && Contains("last <= 503"));
    test::write_file(tmp / "c.toml", head +
                                         "[[pair.set]]\ntechnology = \"UMTS\"\ncode = \"psc\"\n"
                                         "preferential = [[0, 10]]\nsource = \"x\"\n"
                                         "verified = false\nverifed = true\n");
    CHECK_THROWS_WITH(io::read_preferential_codes((tmp / "c.toml").string()),
                      Contains("c.toml:10") && Contains("verifed") && Contains("unknown key"));
}

TEST_CASE("codes: rules state their code class, and each shipped rule has one", "[codes]") {
    const auto rules = io::read_border_rules(test::source_path("data/rules/cept_mfcn_border.toml"));
    std::size_t pref = 0, non_pref = 0;
    for (const auto& r : rules) {
        pref += r.code_class == CodeClass::preferential;
        non_pref += r.code_class == CodeClass::non_preferential;
        // The class, not the id, decides; the classes still go with the distances: LTE/NR
        // and UMTS preferential codes at the border line, others at 6 km; GSM (ECC/REC/(05)08)
        // preferential channels at 15 km, others at the border line.
        const bool gsm = r.technologies == std::vector<Technology>{Technology::gsm};
        const double expected_km =
            r.code_class == CodeClass::preferential ? (gsm ? 15.0 : 0.0) : (gsm ? 0.0 : 6.0);
        CHECK(r.distance_km == expected_km);
    }
    CHECK(pref == 12);
    CHECK(non_pref == 12);

    test::TempDir tmp;
    test::write_file(tmp / "r.toml",
                     "[[rule]]\nid = \"a\"\ntechnologies = [\"LTE\"]\ncode_class = \"prefered\"\n"
                     "band_mhz = [790, 862]\nlimit_dbuv_per_m = 59\nreference_bandwidth_mhz = 5\n"
                     "distance_km = 0\nsource = \"x\"\nverified = false\n");
    CHECK_THROWS_WITH(io::read_border_rules((tmp / "r.toml").string()),
                      Contains("r.toml:4") && Contains("code_class") && Contains("prefered"));
}

TEST_CASE("codes: rule selection by code class", "[codes][border]") {
    BorderRule pref, non_pref, any;
    for (BorderRule* r : {&pref, &non_pref, &any}) {
        r->technologies = {Technology::lte};
        r->band_min_mhz = 790.0;
        r->band_max_mhz = 862.0;
    }
    pref.code_class = CodeClass::preferential;
    non_pref.code_class = CodeClass::non_preferential;
    Cell c;
    c.technology = Technology::lte;
    c.frequency_mhz = 806.0;
    using analysis::CodeStatus;
    using analysis::rule_applies;
    CHECK(rule_applies(pref, c, CodeStatus::preferential));
    CHECK_FALSE(rule_applies(non_pref, c, CodeStatus::preferential));
    CHECK_FALSE(rule_applies(pref, c, CodeStatus::non_preferential));
    CHECK(rule_applies(non_pref, c, CodeStatus::non_preferential));
    for (CodeStatus unknown : {CodeStatus::no_code, CodeStatus::no_code_set}) {
        CHECK(rule_applies(pref, c, unknown));
        CHECK(rule_applies(non_pref, c, unknown));
    }
    CHECK(rule_applies(any, c, CodeStatus::preferential));
    CHECK(rule_applies(any, c, CodeStatus::non_preferential));
    c.frequency_mhz = 1815.0;  // out of band: no class helps
    CHECK_FALSE(rule_applies(pref, c, CodeStatus::preferential));
}

TEST_CASE("codes: emission designators per ITU RR Appendix 1", "[codes]") {
    // Three significant figures, the unit letter in place of the decimal point.
    CHECK(report::bandwidth_code(200e3) == "200K");
    CHECK(report::bandwidth_code(5e6) == "5M00");
    CHECK(report::bandwidth_code(10e6) == "10M0");
    CHECK(report::bandwidth_code(1.4e6) == "1M40");
    CHECK(report::bandwidth_code(15e6) == "15M0");
    CHECK(report::bandwidth_code(100e6) == "100M");
    CHECK(report::bandwidth_code(12.5e3) == "12K5");
    CHECK(report::bandwidth_code(999.7e3) == "1M00");  // rounds up into the next unit
    CHECK(report::bandwidth_code(0.0).empty());
    CHECK(report::emission_designator(Technology::lte, 10.0) == "10M0G7W");
    CHECK(report::emission_designator(Technology::umts, 5.0) == "5M00G7W");
    CHECK(report::emission_designator(Technology::gsm, 0.2) == "200KGXW");
    CHECK(report::emission_designator(Technology::nr, 100.0) == "100MG7W");
}

TEST_CASE("codes: HCM coordinates, country symbols and reference numbers", "[codes]") {
    // 11.929 deg = 11 deg 55' 44.4" -> 44"; 50.319 deg = 50 deg 19' 08.4" -> 08".
    CHECK(report::hcm_coordinates(11.929, 50.319) == "011E554450N1908");
    // 0.5 W = 0 deg 30' 00"; 33.8688 S = 121927.68" -> 121928" = 33 deg 52' 08".
    CHECK(report::hcm_coordinates(-0.5, -33.8688) == "000W300033S5208");
    // 12.99999 deg = 46799.964" -> 46800" = 13 deg 00' 00" (the carry goes into the degrees).
    CHECK(report::hcm_coordinates(12.99999, 50.0) == "013E000050N0000");
    CHECK(report::itu_country_symbol("DE") == "D");
    CHECK(report::itu_country_symbol("CZ") == "CZE");
    // FNV-1a 64 of the bytes "HOF1-L08-2" (offset basis 0xCBF29CE484222325, prime 2^40 + 0x1B3),
    // worked out separately.
    CHECK(report::station_reference("HOF1-L08-2") == "GFBDC6D9F04671BE1F");
    CHECK(report::station_reference("HOF1-L08-2") != report::station_reference("HOF1-L08-3"));
}

TEST_CASE("codes: a station record's fixed-width fields sit at their documented columns",
          "[codes][border]") {
    analysis::BorderCell bc;
    Cell& c = bc.cell;
    c.cell_id = "HOF1-L08-2";
    c.site_id = "HOF1";
    c.site_name = "Hof";
    c.lat_deg = 50.319;
    c.lon_deg = 11.929;
    c.antenna_height_agl_m = 35.0;
    c.azimuth_deg = 120.0;
    c.mech_tilt_deg = 0.0;
    c.elec_tilt_deg = 3.0;
    c.frequency_mhz = 806.0;
    c.bandwidth_mhz = 10.0;
    c.eirp_dbm = 59.0;
    c.antenna_pattern = "3gpp-65";
    c.technology = Technology::lte;
    c.operator_name = "DE-sample";
    c.country = "DE";
    c.pci = 1;
    bc.code_status = analysis::CodeStatus::preferential;
    const report::StationRecord r = report::make_station_record(bc, 512.4);
    const std::string text = report::station_records_fixed({r});
    REQUIRE(text.size() == std::size_t(report::kStationRecordLength) + 2);
    CHECK(text.substr(text.size() - 2) == "\r\n");
    // Columns are 1-based as in the layout table.
    auto at = [&](int start, int length) { return text.substr(std::size_t(start - 1), length); };
    CHECK(at(1, 12) == "  806.00000M");           // 1A: 806 MHz
    CHECK(at(13, 9) == "10M0G7W  ");              // 7A: LTE, 10 MHz
    CHECK(at(22, 20) == "Hof                 ");  // 4A
    CHECK(at(42, 3) == "D  ");                    // 4B: ITU symbol of Germany
    CHECK(at(45, 15) == "011E554450N1908");       // 4C
    CHECK(at(60, 4) == " 512");                   // 4Z: 512.4 m
    CHECK(at(64, 6) == " +26.9");                 // 8B: 59 dBm - 30 - 2.15 = 26.85 dBW e.r.p.
    CHECK(at(70, 5) == "120.0");                  // 9A
    CHECK(at(75, 5) == " -3.0");                  // 9B: 3 deg electrical downtilt
    CHECK(at(80, 7) == "       ");                // 9XH: not an HCM code pattern
    CHECK(at(87, 7) == "       ");                // 9XV
    CHECK(at(94, 4) == "  35");                   // 9Y: 35 m above ground
    CHECK(at(98, 20) == "GFBDC6D9F04671BE1F  ");  // 13X
    CHECK(at(118, 6) == " +29.0");                // e.i.r.p. 29 dBW
    CHECK(at(124, 4) == "LTE ");
    CHECK(at(128, 13) == "PCI 1        ");
    CHECK(at(141, 20) == "DE-sample           ");
    CHECK(at(161, 24) == "3gpp-65                 ");
    // The layout table and the record agree field by field, without gaps.
    int next = 1;
    for (const auto& f : report::station_record_layout()) {
        INFO(f.code);
        CHECK(f.start == next);
        next = f.start + f.length;
    }
    CHECK(next == report::kStationRecordLength + 1);

    // An omni cell gets HCM's non-directional code in both planes; an unknown height is blank.
    c.antenna_pattern = "omni";
    const std::string omni = report::station_records_fixed({report::make_station_record(bc, NAN)});
    CHECK(omni.substr(79, 14) == "000ND00000ND00");
    CHECK(omni.substr(59, 4) == "    ");
    const std::string csv = report::station_records_csv({r});
    CHECK_THAT(csv, Contains("GFBDC6D9F04671BE1F,HOF1-L08-2,HOF1,Hof,DE-sample,DE,LTE,PCI 1,"
                             "preferential,806.00000,10.000,10M0G7W,50.319000,11.929000,"
                             "011E554450N1908,512.4,35.0,26.85,29.00,120.0,-3.0,,,3gpp-65\n"));
}
