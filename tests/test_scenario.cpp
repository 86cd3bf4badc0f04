// The scenario file: the sample parses with its documented values; errors name file:line:key.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "io/scenario.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

TEST_CASE("scenario: the sample border scenario parses", "[io][scenario]") {
    const io::Scenario s = io::read_scenario(source_path("data/scenarios/border_sample.toml"));
    CHECK(s.name == "border_sample");
    CHECK(s.crs == "EPSG:25832");
    CHECK(s.resolution_m == 200.0);
    REQUIRE(s.extent_lonlat.has_value());
    CHECK((*s.extent_lonlat)[0] == 11.6);
    CHECK(s.sites.size() == 2);
    CHECK(s.sites[1].format == "opencellid");
    CHECK(s.terrain_files.size() == 1);
    CHECK(s.terrain_files[0].find("data/dem/vogtland_srtm3.tif") != std::string::npos);
    CHECK(s.rx_height_agl_m == 1.5);
    CHECK(s.max_radius_km == 30.0);
    CHECK(s.model == "p526-bullington");
    CHECK(s.model_parameters.get_double("k_factor", 0.0) == Approx(4.0 / 3.0).epsilon(1e-6));
    CHECK(s.sha256.size() == 64);
    CHECK(s.exports.applicant == "Example Mobilfunk GmbH (hypothetical sample operator)");
    CHECK(s.exports.document_version == "1.0");
    CHECK(s.exports.attributions.empty());
}

TEST_CASE("scenario: the report's document control keys and their defaults", "[io][scenario]") {
    TempDir tmp;
    const fs::path p = tmp / "s.toml";
    const std::string base =
        "[terrain]\nfiles = [\"dem.tif\"]\n[[sites]]\nfile = \"s.csv\"\n[border]\n"
        "home_file = \"de.geojson\"\nrules_file = \"r.toml\"\n[export]\n";
    write_file(p, base);
    const io::Scenario d = io::read_scenario(p.string());
    CHECK(d.exports.applicant == "not stated");
    CHECK(d.exports.document_version == "1");
    write_file(p, base +
                      "applicant = \"Netz AG\"\ndocument_version = \"2b\"\n"
                      "attributions = [\"Patterns \u00a9 Example\"]\n");
    const io::Scenario s = io::read_scenario(p.string());
    CHECK(s.exports.applicant == "Netz AG");
    CHECK(s.exports.document_version == "2b");
    CHECK(s.exports.attributions == std::vector<std::string>{"Patterns \u00a9 Example"});
    write_file(p, base + "attributions = \"x\"\n");
    CHECK_THROWS_WITH(io::read_scenario(p.string()),
                      Catch::Contains("s.toml:9: export.attributions: expected a list of strings"));
}

TEST_CASE("scenario: defaults, and errors with file, line and key", "[io][scenario]") {
    TempDir tmp;
    const fs::path p = tmp / "s.toml";
    write_file(p, "[terrain]\nfiles = [\"dem.tif\"]\n[[sites]]\nfile = \"sites.csv\"\n");
    const io::Scenario s = io::read_scenario(p.string());
    CHECK(s.crs == "EPSG:25832");
    CHECK(s.resolution_m == 100.0);
    CHECK(!s.extent_lonlat);
    CHECK(s.rx_height_agl_m == 1.5);
    CHECK(s.void_fill_max_distance_m == 1000.0);
    CHECK(s.terrain_files[0] == (tmp / "dem.tif").string());

    auto error_of = [&](const std::string& text) {
        write_file(p, text);
        try {
            io::read_scenario(p.string());
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string base = "[terrain]\nfiles = [\"dem.tif\"]\n[[sites]]\nfile = \"s.csv\"\n";
    CHECK_THAT(error_of(base + "[grid]\nresolution_m = -5\n"),
               Catch::Contains("s.toml:6: grid.resolution_m: -5 is out of range"));
    CHECK_THAT(error_of(base + "[grid]\nextent_lonlat_deg = [13, 50, 12, 51]\n"),
               Catch::Contains("s.toml:6: grid.extent_lonlat_deg: need west < east"));
    CHECK_THAT(error_of("colour = 3\n" + base), Catch::Contains("s.toml:1: colour: unknown key"));
    CHECK_THAT(error_of(base + "[[sites]]\nfile = \"x\"\nformat = \"kml\"\n"),
               Catch::Contains("s.toml:7: sites.format: 'kml' is not a sites format"));
    CHECK_THAT(error_of("[terrain\n"), Catch::Contains("s.toml:1: syntax error"));
    CHECK_THAT(error_of("[[sites]]\nfile = \"s.csv\"\n"),
               Catch::Contains("[terrain]: required table is missing"));
    CHECK_THAT(error_of(base + "[output]\nterrain = 1\n"),
               Catch::Contains("s.toml:6: output.terrain: expected true or false"));
}
