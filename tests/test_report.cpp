// The regulator report's building blocks (docs/border.md, "The report"): the attributions the
// data licences require, the report id, the PDF's text encoding. The rendering itself is checked
// in Chromium and with pdftotext by tools/check_report.py (ctest report_renders_and_prints).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "report/attributions.hpp"
#include "report/report_content.hpp"
#include "report/report_pdf.hpp"

using namespace grenzfunk;

TEST_CASE(
    "report: the attributions follow from the inputs' file names, as data/README.md states them",
    "[report]") {
    const std::vector<report::PackageInput> inputs = {
        {"scenario", "border_sample.toml", std::string(64, '0')},
        {"terrain", "../dem/vogtland_srtm3.tif", std::string(64, '1')},
        {"sites", "../sites/de_sample_sites.csv", std::string(64, '2')},
        {"sites", "../sites/opencellid_230_CZ_border_region.csv", std::string(64, '3')},
        {"border outline", "../admin/bkg_vg2500_germany_region.geojson", std::string(64, '4')},
        {"rules", "../rules/cept_mfcn_border.toml", std::string(64, '5')}};
    const auto a = report::attributions_for(inputs, {"Antenna patterns: Example GmbH"});
    REQUIRE(a.size() == 4);
    // The credit lines data/README.md gives for each file.
    CHECK(a[0].credit == "\xC2\xA9 GeoBasis-DE / BKG (2024), modified");
    CHECK(a[0].licence == "DL-DE-BY-2.0");
    CHECK(a[0].inputs == std::vector<std::string>{"../admin/bkg_vg2500_germany_region.geojson"});
    CHECK(a[1].credit == "SRTM v2.1 3-arc-second DEM, NASA/NGA/USGS");
    CHECK(a[2].credit == "OpenCelliD Project, CC BY-SA 4.0");
    CHECK(a[2].licence == "CC BY-SA 4.0");
    CHECK(a[3].credit == "Antenna patterns: Example GmbH");
    CHECK(report::attribution_line(a[0]) ==
          "\xC2\xA9 GeoBasis-DE / BKG (2024), modified (DL-DE-BY-2.0)");
    CHECK(report::attribution_line(a[2]) == "OpenCelliD Project, CC BY-SA 4.0");

    // The made-up German sites and the rules need no credit; no input, no line.
    CHECK(report::attributions_for({inputs[0], inputs[2], inputs[5]}, {}).empty());
    // SRTM tiles by their own names.
    const auto hgt = report::attributions_for({{"terrain", "tiles/N50E012.hgt", ""}}, {});
    REQUIRE(hgt.size() == 1);
    CHECK(hgt[0].credit == "SRTM v2.1 3-arc-second DEM, NASA/NGA/USGS");
}

TEST_CASE("report: the report id is the SHA-256 of the inputs' SHA-256 lines", "[report]") {
    report::BorderPackage p;
    p.inputs = {{"scenario", "s.toml", std::string(64, 'a')},
                {"rules", "r.toml", std::string(64, 'b')}};
    // sha256("aaaa...a\nbbbb...b\n") = 913f9338fb6c1725..., by Python's hashlib.
    CHECK(report::detail::report_id(p) == "GF-913F-9338-FB6C-1725");
    p.inputs[1].sha256[0] = 'c';
    CHECK(report::detail::report_id(p) != "GF-913F-9338-FB6C-1725");
}

TEST_CASE("report: PDF text is Windows-1252 for the base-14 fonts", "[report]") {
    using report::detail::utf8_to_winansi;
    // Windows-1252 code chart: µ B5, © A9, ° B0, ä E4, š 9A, – 96, € 80.
    CHECK(utf8_to_winansi("dB\xC2\xB5V/m \xC2\xA9 12\xC2\xB0 M\xC3\xA4rz") ==
          "dB\xB5V/m \xA9 12\xB0 M\xE4rz");
    CHECK(utf8_to_winansi("A\xC5\xA1 \xE2\x80\x93 \xE2\x82\xAC") == "A\x9A \x96 \x80");
    // Outside Windows-1252: Latin Extended-A letters lose the diacritic (Czech e, r, u with
    // caron / ring: U+011B, U+0159, U+016F; c with caron U+010D), others and broken UTF-8: '?'.
    CHECK(utf8_to_winansi("Kr\xC4\x9Bn") == "Kren");
    CHECK(utf8_to_winansi("\xC5\x99\xC5\xAF\xC4\x8D \xC5\x98\xC5\xAE\xC4\x8C") == "ruc RUC");
    CHECK(utf8_to_winansi("\xCE\xB1") == "?");  // Greek alpha
    CHECK(utf8_to_winansi("x\xC3") == "x?");
}
