// Channel numbers -> downlink frequency (core/channels.hpp), the sites-file channel columns, the
// interference weights of the SINR and the OpenCelliD per-network carriers. Expected values are
// worked out by hand from the 3GPP formulas:
//   EARFCN (TS 36.101 Table 5.7.3-1) F_DL = F_DL_low + 0.1 (N_DL - N_Offs-DL);
//   NR-ARFCN (TS 38.104 Table 5.4.2.1-1) F = F_REF-Offs + dF_Global (N - N_REF-Offs);
//   UARFCN (TS 25.101 5.4.4, Table 5.2) F = N / 5 + offset;
//   ARFCN (TS 45.005 2) P-GSM 935 + 0.2 n, E-GSM 935 + 0.2 (n - 1024), DCS 1805.2 + 0.2 (n - 512).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <tuple>

#include "core/channels.hpp"
#include "core/error.hpp"
#include "io/opencellid.hpp"
#include "io/sites_csv.hpp"

using namespace grenzfunk;
using Catch::Matchers::Contains;

namespace {

double lte(int n) {
    const auto c = channels::lte_downlink(n);
    REQUIRE(c);
    return c->downlink_mhz;
}

}  // namespace

TEST_CASE("channels: LTE EARFCN to downlink frequency", "[channels]") {
    CHECK(lte(6300) == Approx(806.0).margin(1e-9));  // band 20: 791 + 0.1 * 150
    CHECK(channels::lte_downlink(6300)->band == "20");
    CHECK(lte(1300) == Approx(1815.0).margin(1e-9));  // band 3: 1805 + 0.1 * 100
    CHECK(channels::lte_downlink(1300)->band == "3");
    CHECK(lte(300) == Approx(2140.0).margin(1e-9));    // band 1: 2110 + 30
    CHECK(lte(3100) == Approx(2655.0).margin(1e-9));   // band 7: 2620 + 0.1 * 350
    CHECK(lte(3450) == Approx(925.0).margin(1e-9));    // band 8, lowest channel
    CHECK(lte(3799) == Approx(959.9).margin(1e-9));    // band 8, highest: 925 + 34.9
    CHECK(lte(9360) == Approx(773.0).margin(1e-9));    // band 28: 758 + 0.1 * 150
    CHECK(lte(10000) == Approx(1460.0).margin(1e-9));  // band 32: 1452 + 0.1 * 80
    CHECK(lte(38000) == Approx(2595.0).margin(1e-9));  // band 38: 2570 + 0.1 * 250
    CHECK(lte(6200) == Approx(796.0).margin(1e-9));
    CHECK(lte(6400) == Approx(816.0).margin(1e-9));
    CHECK_FALSE(channels::lte_downlink(6450));  // between band 20 (..6449) and band 28 (9210..)
    CHECK_FALSE(channels::lte_downlink(-1));
    CHECK(channels::lte_earfcn(20, 806.0) == 6300);
    CHECK(channels::lte_earfcn(3, 1815.0) == 1300);
    CHECK_FALSE(channels::lte_earfcn(20, 806.05));  // off the 100 kHz raster
    CHECK_FALSE(channels::lte_earfcn(20, 830.0));   // outside band 20
}

TEST_CASE("channels: NR-ARFCN, UARFCN and GSM ARFCN to downlink frequency", "[channels]") {
    // 15 kHz range: 3000 + 0.015 * (636666 - 600000) = 3549.99 MHz, band n78.
    const auto n78 = channels::nr_downlink(636666);
    REQUIRE(n78);
    CHECK(n78->downlink_mhz == Approx(3549.99).margin(1e-6));
    CHECK(n78->band == "n78");
    // 5 kHz range: 0.005 * 428000 = 2140 MHz (n1); 0.005 * 158200 = 791 MHz (n20's lowest).
    CHECK(channels::nr_downlink(428000)->downlink_mhz == Approx(2140.0).margin(1e-9));
    CHECK(channels::nr_downlink(428000)->band == "n1");
    CHECK(channels::nr_downlink(158200)->downlink_mhz == Approx(791.0).margin(1e-9));
    // 60 kHz range: 24250.08 + 0.06 * (2016667 - 2016667) = 24250.08 MHz (no listed band).
    CHECK(channels::nr_downlink(2016667)->downlink_mhz == Approx(24250.08).margin(1e-9));
    CHECK(channels::nr_downlink(2016667)->band.empty());
    CHECK_FALSE(channels::nr_downlink(3279166));

    CHECK(channels::umts_downlink(10700)->downlink_mhz == Approx(2140.0).margin(1e-9));
    CHECK(channels::umts_downlink(10700)->band == "I");
    CHECK(channels::umts_downlink(2937)->downlink_mhz == Approx(927.4).margin(1e-9));  // VIII
    CHECK_FALSE(channels::umts_downlink(10561));
    CHECK(channels::umts_uarfcn(1, 2132.6) == 10663);

    CHECK(channels::gsm_downlink(1)->downlink_mhz == Approx(935.2).margin(1e-9));
    CHECK(channels::gsm_downlink(124)->downlink_mhz == Approx(959.8).margin(1e-9));
    CHECK(channels::gsm_downlink(0)->downlink_mhz == Approx(935.0).margin(1e-9));
    CHECK(channels::gsm_downlink(975)->downlink_mhz == Approx(925.2).margin(1e-9));
    CHECK(channels::gsm_downlink(1023)->downlink_mhz == Approx(934.8).margin(1e-9));
    CHECK(channels::gsm_downlink(512)->downlink_mhz == Approx(1805.2).margin(1e-9));
    CHECK(channels::gsm_downlink(512)->band == "DCS 1800");
    CHECK(channels::gsm_downlink(885)->downlink_mhz == Approx(1879.8).margin(1e-9));
    CHECK_FALSE(channels::gsm_downlink(200));
    CHECK(channels::gsm_arfcn(925.2) == 975);
    CHECK(channels::gsm_arfcn(935.2) == 1);
    CHECK(channels::gsm_arfcn(1805.2) == 512);
    CHECK_FALSE(channels::gsm_arfcn(935.3));
}

TEST_CASE("channels: interference weights and the default ACIR", "[channels][sinr]") {
    // 1 / (10^-4.5 + 10^-3.3) = 1 / (3.1623e-5 + 5.0119e-4) -> 32.734 dB.
    CHECK(channels::default_acir_db() == Approx(32.734).margin(1e-3));
    const double acir = 32.73;
    const double adjacent = std::pow(10.0, -3.273);
    // Victim 801-811 MHz.
    CHECK(channels::interference_weight(806, 10, 806, 10, acir) == Approx(1.0));
    CHECK(channels::interference_weight(806, 10, 811, 10, acir) == Approx(0.5));  // 806-816
    CHECK(channels::interference_weight(806, 10, 801, 10, acir) == Approx(0.5));
    CHECK(channels::interference_weight(806, 10, 816, 10, acir) == Approx(adjacent));  // 811-821
    CHECK(channels::interference_weight(806, 10, 796, 10, acir) == Approx(adjacent));  // 791-801
    CHECK(channels::interference_weight(806, 10, 825, 10, acir) == Approx(adjacent));  // gap 9
    CHECK(channels::interference_weight(806, 10, 826, 10, acir) == 0.0);  // gap 10: 2nd adjacent
    CHECK(channels::interference_weight(806, 10, 830, 10, acir) == 0.0);
    // Unequal bandwidths: the share of the interferer's power inside the victim's channel.
    CHECK(channels::interference_weight(806, 10, 806, 20, acir) == Approx(0.5));
    CHECK(channels::interference_weight(806, 10, 806.1, 0.2, acir) == Approx(1.0));
    CHECK(channels::interference_weight(806.1, 0.2, 806, 10, acir) == Approx(0.02));
    // GSM neighbours: ARFCN n and n+1 (200 kHz apart) are adjacent, n+2 is not.
    CHECK(channels::interference_weight(935.2, 0.2, 935.4, 0.2, acir) == Approx(adjacent));
    CHECK(channels::interference_weight(935.2, 0.2, 935.6, 0.2, acir) == 0.0);
}

TEST_CASE("channels: the sites CSV reads channel numbers and checks them against the frequency",
          "[channels]") {
    const std::string header =
        "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
        "mech_tilt_deg,elec_tilt_deg,bandwidth_mhz,eirp_dbm,antenna_pattern,technology,operator,"
        "country,frequency_mhz,downlink_center_mhz,earfcn,nrarfcn,uarfcn,arfcn\n";
    auto row = [](const std::string& id, const std::string& tech, const std::string& bw,
                  const std::string& carrier) {
        return id + ",S,,50.3,12.0,30,0,0,3," + bw + ",59,omni," + tech + ",op,DE," + carrier +
               "\n";
    };
    const std::string good =
        header + row("L1", "LTE", "10", ",,6300,,,") + row("L2", "LTE", "20", "1815,,1300,,,") +
        row("L3", "LTE", "10", ",806,,,,") + row("N1", "NR", "100", ",,,636666,,") +
        row("U1", "UMTS", "5", ",,,,10700,") + row("G1", "GSM", "0.2", ",,,,,1") +
        row("L4", "LTE", "10", "3700,,60000,,,");  // not in the tables
    const auto cells = io::parse_sites_csv(good, "c.csv");
    REQUIRE(cells.size() == 7);
    CHECK(cells[0].frequency_mhz == Approx(806.0).margin(1e-9));
    CHECK(cells[0].earfcn == 6300);
    CHECK(cells[1].frequency_mhz == Approx(1815.0).margin(1e-9));
    CHECK(cells[2].frequency_mhz == 806.0);
    CHECK_FALSE(cells[2].earfcn);
    CHECK(cells[3].frequency_mhz == Approx(3549.99).margin(1e-6));
    CHECK(cells[4].frequency_mhz == Approx(2140.0).margin(1e-9));
    CHECK(cells[5].frequency_mhz == Approx(935.2).margin(1e-9));
    CHECK(cells[5].arfcn == 1);
    CHECK(cells[6].frequency_mhz == 3700.0);
    CHECK(channels::channel_text(cells[0]) == "EARFCN 6300");
    CHECK(channels::channel_text(cells[2]).empty());

    const std::string bad = header + row("B1", "LTE", "10", "816,,6300,,,") +
                            row("B2", "LTE", "10", "806,816,,,,") +
                            row("B3", "LTE", "10", ",,60000,,,") + row("B4", "LTE", "10", ",,,,,") +
                            row("B5", "GSM", "0.2", "942.5,,,,,1");
    try {
        io::parse_sites_csv(bad, "b.csv");
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        const std::string m = e.what();
        CHECK_THAT(m, Contains("b.csv:2: frequency_mhz: 816.000 MHz disagrees with earfcn 6300 "
                               "(downlink 806.000 MHz, band 20)"));
        CHECK_THAT(m, Contains("b.csv:3: downlink_center_mhz: 816.000 MHz disagrees with "
                               "frequency_mhz 806.000 MHz"));
        CHECK_THAT(m, Contains("b.csv:4: earfcn: 60000 lies in none of the bands"));
        CHECK_THAT(m, Contains("b.csv:5: frequency_mhz: empty"));
        CHECK_THAT(m, Contains("b.csv:6: frequency_mhz: 942.500 MHz disagrees with arfcn 1"));
    }
}

TEST_CASE("channels: OpenCelliD cells get their network's carrier", "[channels]") {
    const std::string head =
        "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,"
        "averageSignal\n";
    std::string text = head;
    for (int net = 1; net <= 3; ++net) {
        const std::string n = std::to_string(net);
        text += "LTE,230," + n + ",1," + std::to_string(256 * net) + ",1,12.1,50.2,1,1,1,0,0,0\n";
        text += "UMTS,230," + n + ",1," + std::to_string(10 + net) + ",1,12.1,50.2,1,1,1,0,0,0\n";
        text += "GSM,230," + n + ",1," + std::to_string(20 + net) + ",,12.1,50.2,1,1,1,0,0,0\n";
        text += "LTE,262," + n + ",1," + std::to_string(256 * net) + ",1,12.1,50.2,1,1,1,0,0,0\n";
    }
    std::vector<std::string> warnings;
    const auto cells = io::parse_opencellid(text, "o.csv", {}, &warnings);
    REQUIRE(cells.size() == 12);
    CHECK(warnings.empty());
    auto find = [&](const std::string& id) -> const Cell& {
        for (const Cell& c : cells)
            if (c.cell_id == id) return c;
        FAIL("no cell " + id);
        return cells.front();
    };
    // docs/opencellid-defaults.md: band 20 blocks 791-801 (O2 CZ, EARFCN 6200 = 796 MHz),
    // 801-811 (Vodafone CZ, 6300 = 806 MHz), 811-821 (T-Mobile CZ, 6400 = 816 MHz).
    CHECK(find("230-01-1-256").earfcn == 6400);
    CHECK(find("230-01-1-256").frequency_mhz == Approx(816.0).margin(1e-9));
    CHECK(find("230-02-1-512").frequency_mhz == Approx(796.0).margin(1e-9));
    CHECK(find("230-03-1-768").frequency_mhz == Approx(806.0).margin(1e-9));
    CHECK(find("230-03-1-768").bandwidth_mhz == 10.0);
    // Germany: Telekom 6300 (806 MHz), Vodafone 6400 (816), Telefonica 6200 (796).
    CHECK(find("262-01-1-256").frequency_mhz == Approx(806.0).margin(1e-9));
    CHECK(find("262-02-1-512").frequency_mhz == Approx(816.0).margin(1e-9));
    CHECK(find("262-03-1-768").frequency_mhz == Approx(796.0).margin(1e-9));
    // UMTS band I: UARFCN / 5: 10663 -> 2132.6 (T-Mobile), 10563 -> 2112.6 (O2), 10763 -> 2152.6.
    CHECK(find("230-01-1-11").uarfcn == 10663);
    CHECK(find("230-01-1-11").frequency_mhz == Approx(2132.6).margin(1e-9));
    CHECK(find("230-02-1-12").frequency_mhz == Approx(2112.6).margin(1e-9));
    CHECK(find("230-03-1-13").frequency_mhz == Approx(2152.6).margin(1e-9));
    // GSM 900 blocks: Vodafone 925.1-935.1, T-Mobile 935.1-947.5, O2 947.5-959.9 MHz; the
    // stand-in channel lies on the 200 kHz raster inside the block.
    for (const auto& [id, lo, hi] :
         {std::tuple{"230-01-1-21", 935.1, 947.5}, std::tuple{"230-02-1-22", 947.5, 959.9},
          std::tuple{"230-03-1-23", 925.1, 935.1}}) {
        const Cell& g = find(id);
        CHECK(g.frequency_mhz - 0.1 >= lo - 1e-9);
        CHECK(g.frequency_mhz + 0.1 <= hi + 1e-9);
        CHECK(channels::gsm_arfcn(g.frequency_mhz));
        CHECK(g.bandwidth_mhz == 0.2);
    }
}

TEST_CASE("channels: many cells on one shared default carrier give a warning", "[channels]") {
    const std::string head =
        "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,"
        "averageSignal\n";
    std::string text = head;
    // 21 cells of a network without a block (230-99) share the LTE default carrier.
    for (int i = 0; i < 21; ++i)
        text += "LTE,230,99,1," + std::to_string(256 * (i + 1)) + ",1,12.1,50.2,1,1,1,0,0,0\n";
    std::vector<std::string> warnings;
    io::parse_opencellid(text, "o.csv", {}, &warnings);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Contains("o.csv: 21 CZ LTE cells share one default carrier (806.000 "
                                     "MHz, 10.0 MHz)"));
    // 20 do not.
    std::string twenty = head;
    for (int i = 0; i < 20; ++i)
        twenty += "LTE,230,99,1," + std::to_string(256 * (i + 1)) + ",1,12.1,50.2,1,1,1,0,0,0\n";
    warnings.clear();
    io::parse_opencellid(twenty, "o.csv", {}, &warnings);
    CHECK(warnings.empty());
    // An overridden carrier puts every network's cells on it: the same warning.
    std::string known = head;
    for (int i = 0; i < 21; ++i)
        known += "LTE,230,1,1," + std::to_string(256 * (i + 1)) + ",1,12.1,50.2,1,1,1,0,0,0\n";
    ParameterSet params;
    params.set("lte_frequency_mhz", 1815.0);
    warnings.clear();
    io::parse_opencellid(known, "o.csv", params, &warnings);
    CHECK(warnings.size() == 1);
    warnings.clear();
    io::parse_opencellid(known, "o.csv", {}, &warnings);
    CHECK(warnings.empty());
}
