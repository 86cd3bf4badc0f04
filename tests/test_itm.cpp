// ITS Irregular Terrain Model 1.2.2 against the NTIA reference release (github.com/NTIA/itm @
// 183ad95, v1.4): its published test cases (tests/data/ntia_itm, printed to 0.01-0.1 dB) and 120
// real-terrain profiles of the border region computed with it (tests/data/itm_region, printed
// to 1e-4 dB). Provenance in the README.md beside each data set.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "validation/path_cases.hpp"
#include "propagation/itm.hpp"
#include "propagation/registry.hpp"

using namespace grenzfunk;
namespace itm = grenzfunk::propagation::itm;
namespace fs = std::filesystem;

namespace {

const fs::path data_dir = fs::path(GRENZFUNK_TEST_DATA_DIR);

std::vector<std::string> split(const std::string& line, char sep = ',') {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, sep);) {
        while (!field.empty() && (field.back() == '\r' || field.back() == ' ')) field.pop_back();
        out.push_back(field);
    }
    return out;
}

// A CSV with a header; comment lines (#) skipped. Rows as column-name -> text.
std::vector<std::map<std::string, std::string>> read_table(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<std::map<std::string, std::string>> rows;
    std::vector<std::string> header;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto fields = split(line);
        if (header.empty()) {
            header = fields;
            continue;
        }
        REQUIRE(fields.size() == header.size());
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < fields.size(); ++i) row[header[i]] = fields[i];
        rows.push_back(row);
    }
    return rows;
}

double num(const std::map<std::string, std::string>& row, const std::string& key) {
    return std::stod(row.at(key));
}

// All fields of `text` as numbers; empty when any field is not a number.
std::vector<double> numbers(const std::string& text, char sep) {
    std::vector<double> out;
    for (const auto& f : split(text, sep)) {
        if (f.empty()) continue;
        std::size_t used = 0;
        try {
            out.push_back(std::stod(f, &used));
        } catch (const std::exception&) {
            return {};
        }
        if (used != f.size()) return {};
    }
    return out;
}

itm::Inputs inputs_from_row(const std::map<std::string, std::string>& row) {
    itm::Inputs in;
    in.tx_height_m = num(row, "h_tx__meter");
    in.rx_height_m = num(row, "h_rx__meter");
    in.climate = itm::Climate(int(num(row, "climate")));
    in.n0_n_units = num(row, "N_0");
    in.frequency_mhz = num(row, "f__mhz");
    in.polarization = itm::Polarization(int(num(row, "pol")));
    in.epsilon = num(row, "epsilon");
    in.sigma_s_per_m = num(row, "sigma");
    REQUIRE(itm::from_mdvar(int(num(row, "mdvar")), in.variability));
    in.variability.time_percent = num(row, "time");
    in.variability.location_percent = num(row, "location");
    in.variability.situation_percent = num(row, "situation");
    return in;
}

// A value the reference prints with a resolution of `step` (0.01 dB, 0.001 km, 1 m, ...): a
// faithful implementation rounds to the printed value, i.e. lies within half a step of it (plus
// 1e-6 for a reference value on a rounding boundary).
Catch::Matchers::Floating::WithinAbsMatcher printed(double value, double step) {
    return Catch::Matchers::WithinAbs(value, 0.5 * step + 1e-6);
}

struct Stats {
    std::vector<double> deviations;
    void add(double d) { deviations.push_back(std::abs(d)); }
    double max() const { return *std::max_element(deviations.begin(), deviations.end()); }
    double median() const {
        std::vector<double> s = deviations;
        std::sort(s.begin(), s.end());
        const std::size_t n = s.size();
        return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
    // Printed only on request (GRENZFUNK_TEST_VERBOSE=1) to keep the test run quiet.
    void report(const char* name) const {
        if (std::getenv("GRENZFUNK_TEST_VERBOSE"))
            std::cout << name << ": n=" << deviations.size() << " max |dev| = " << max()
                      << " dB, median |dev| = " << median() << " dB\n";
    }
};

// Lines of an NTIA driver output file.
std::vector<std::string> read_lines(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

// Value printed after `label` in an NTIA driver output ("Basic Transmission Loss  114.5  (dB)").
double driver_value(const std::vector<std::string>& lines, const std::string& label) {
    for (const auto& line : lines)
        if (line.rfind(label, 0) == 0) return std::stod(line.substr(label.size()));
    FAIL("label not found: " << label);
    return 0.0;
}

itm::Inputs cmd_example_inputs() {
    // i_p2ptls.txt / i_areatls.txt: 15 m and 3 m, climate 5, N_0 301, 3500 MHz, vertical,
    // epsilon 15, sigma 0.005, mdvar 1 (accidental), 50/50/50.
    itm::Inputs in;
    in.tx_height_m = 15.0;
    in.rx_height_m = 3.0;
    in.climate = itm::Climate::continental_temperate;
    in.n0_n_units = 301.0;
    in.frequency_mhz = 3500.0;
    in.polarization = itm::Polarization::vertical;
    in.epsilon = 15.0;
    in.sigma_s_per_m = 0.005;
    in.variability.mode = itm::VariabilityMode::accidental;
    return in;
}

std::vector<double> cmd_example_pfl() {
    std::ifstream in(data_dir / "ntia_itm/cmd_examples/pfl.txt");
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return numbers(ss.str(), ',');
}

}  // namespace

TEST_CASE("ITM point-to-point matches the NTIA reference p2p cases", "[itm]") {
    // p2p.csv: A__db printed to 0.01 dB, so within 0.005 dB (measured max |dev| 0.0048 dB).
    const auto rows = read_table(data_dir / "ntia_itm/p2p.csv");
    const auto profiles = read_lines(data_dir / "ntia_itm/pfls.csv");
    REQUIRE(rows.size() == 5);
    REQUIRE(profiles.size() >= rows.size());
    Stats stats;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const std::vector<double> pfl = numbers(profiles[k], ',');
        const itm::Result r = itm::point_to_point_pfl(inputs_from_row(rows[k]), pfl);
        INFO("p2p case " << k + 1 << ": error " << itm::describe(r.error));
        REQUIRE(r.ok());
        CHECK_THAT(r.loss_db, printed(num(rows[k], "A__db"), 0.01));
        stats.add(r.loss_db - num(rows[k], "A__db"));
    }
    stats.report("ntia_itm/p2p.csv");
}

TEST_CASE("ITM area mode matches the NTIA reference area cases", "[itm]") {
    // area.csv: A__db printed to 0.1 dB, so the reference itself is +-0.05 dB (measured max
    // |dev| 0.048 dB).
    const auto rows = read_table(data_dir / "ntia_itm/area.csv");
    REQUIRE(rows.size() == 5);
    Stats stats;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const itm::Inputs in = inputs_from_row(rows[k]);
        itm::AreaInputs a;
        a.distance_km = num(rows[k], "d__km");
        a.delta_h_m = num(rows[k], "delta_h__meter");
        a.tx_siting = itm::Siting(int(num(rows[k], "tx_siting_criteria")));
        a.rx_siting = itm::Siting(int(num(rows[k], "rx_siting_criteria")));
        const itm::Result r = itm::area(in, a);
        INFO("area case " << k + 1 << ": error " << itm::describe(r.error));
        REQUIRE(r.ok());
        CHECK_THAT(r.loss_db, printed(num(rows[k], "A__db"), 0.1));
        // Rounded as printed, our value gives the printed one.
        CHECK(std::round(r.loss_db * 10.0) / 10.0 == Approx(num(rows[k], "A__db")).margin(1e-9));
        stats.add(r.loss_db - num(rows[k], "A__db"));
    }
    stats.report("ntia_itm/area.csv");
}

TEST_CASE("ITM matches the NTIA driver examples and their intermediate values", "[itm]") {
    const std::vector<double> pfl = cmd_example_pfl();
    SECTION("point-to-point, time/location/situation (o_p2ptls.txt)") {
        const auto out = read_lines(data_dir / "ntia_itm/cmd_examples/o_p2ptls.txt");
        const itm::Result r = itm::point_to_point_pfl(cmd_example_inputs(), pfl);
        REQUIRE(r.ok());
        // Printed to 0.1 dB, 0.001 km, 0.001 mrad, 1 m, 0.1 N-unit.
        CHECK_THAT(r.loss_db, printed(driver_value(out, "Basic Transmission Loss"), 0.1));
        CHECK_THAT(r.free_space_loss_db, printed(driver_value(out, "Free Space"), 0.1));
        CHECK_THAT(r.distance_m / 1000.0, printed(driver_value(out, "d__km"), 0.001));
        CHECK_THAT(r.horizon_angle_rad[0] * 1e3, printed(driver_value(out, "theta_hzn_tx"), 0.001));
        CHECK_THAT(r.horizon_angle_rad[1] * 1e3, printed(driver_value(out, "theta_hzn_rx"), 0.001));
        CHECK_THAT(r.horizon_distance_m[0], printed(driver_value(out, "d_hzn_tx__meter"), 1.0));
        CHECK_THAT(r.horizon_distance_m[1], printed(driver_value(out, "d_hzn_rx__meter"), 1.0));
        CHECK_THAT(r.effective_height_m[0], printed(driver_value(out, "h_e_tx__meter"), 0.1));
        CHECK_THAT(r.effective_height_m[1], printed(driver_value(out, "h_e_rx__meter"), 0.1));
        CHECK_THAT(r.surface_refractivity_n_units, printed(driver_value(out, "N_s"), 0.1));
        CHECK_THAT(r.delta_h_m, printed(driver_value(out, "delta_h__meter"), 0.1));
        CHECK_THAT(r.reference_attenuation_db, printed(driver_value(out, "A_ref__db"), 0.1));
        CHECK(int(r.mode) == int(driver_value(out, "Mode of Propagation")));
        CHECK(r.warnings == 0);
    }
    SECTION("point-to-point, confidence/reliability table (o_p2pcr_tbl.txt)") {
        const auto out = read_lines(data_dir / "ntia_itm/cmd_examples/o_p2pcr_tbl.txt");
        const double confidence[3] = {10, 60, 90};
        std::size_t checked = 0;
        for (const std::string& line : out) {
            const auto cells = numbers(line, ' ');
            if (cells.size() != 4) continue;
            for (int c = 0; c < 3; ++c) {
                itm::Inputs in = cmd_example_inputs();
                in.variability = itm::Variability::confidence_reliability(
                    itm::VariabilityMode::accidental, confidence[c], cells[0]);
                const itm::Result r = itm::point_to_point_pfl(in, pfl);
                INFO("reliability " << cells[0] << " confidence " << confidence[c]);
                CHECK_THAT(r.loss_db, printed(cells[std::size_t(c) + 1], 0.1));
                ++checked;
            }
        }
        CHECK(checked == 9);
    }
    SECTION("area, time/location/situation (o_areatls.txt)") {
        const auto out = read_lines(data_dir / "ntia_itm/cmd_examples/o_areatls.txt");
        itm::AreaInputs a;
        a.distance_km = 10.0;
        a.delta_h_m = 20.0;
        const itm::Result r = itm::area(cmd_example_inputs(), a);
        REQUIRE(r.ok());
        CHECK_THAT(r.loss_db, printed(driver_value(out, "Basic Transmission Loss"), 0.1));
        CHECK_THAT(r.reference_attenuation_db, printed(driver_value(out, "A_ref__db"), 0.1));
        CHECK_THAT(r.horizon_distance_m[0], printed(driver_value(out, "d_hzn_tx__meter"), 1.0));
        CHECK_THAT(r.horizon_distance_m[1], printed(driver_value(out, "d_hzn_rx__meter"), 1.0));
        CHECK_THAT(r.horizon_angle_rad[0] * 1e3, printed(driver_value(out, "theta_hzn_tx"), 0.001));
        CHECK_THAT(r.horizon_angle_rad[1] * 1e3, printed(driver_value(out, "theta_hzn_rx"), 0.001));
        CHECK(int(r.mode) == int(driver_value(out, "Mode of Propagation")));
    }
    SECTION("area, confidence/reliability over 10-1000 km (o_areacr_tbl.txt, o_areacr.txt)") {
        // i_areacr_tbl.txt: 3 m / 3 m, random siting, delta_h 0, 10 GHz, broadcast,
        // reliability 90, confidence 50/75/90; rows: distance, free space, three losses.
        const auto out = read_lines(data_dir / "ntia_itm/cmd_examples/o_areacr_tbl.txt");
        const double confidence[3] = {50, 75, 90};
        itm::Inputs in = cmd_example_inputs();
        in.tx_height_m = 3.0;
        in.rx_height_m = 3.0;
        in.frequency_mhz = 10000.0;
        std::size_t checked = 0;
        bool in_table = false;
        for (const std::string& line : out) {
            if (line.rfind("  (km)", 0) == 0) {
                in_table = true;
                continue;
            }
            const auto cells = numbers(line, ' ');
            if (!in_table || cells.size() != 5) continue;
            itm::AreaInputs a;
            a.distance_km = cells[0];
            for (int c = 0; c < 3; ++c) {
                in.variability = itm::Variability::confidence_reliability(
                    itm::VariabilityMode::broadcast, confidence[c], 90.0);
                const itm::Result r = itm::area(in, a);
                INFO(cells[0] << " km, confidence " << confidence[c]);
                REQUIRE(r.ok());
                CHECK_THAT(r.free_space_loss_db, printed(cells[1], 0.1));
                CHECK_THAT(r.loss_db, printed(cells[std::size_t(c) + 2], 0.1));
                CHECK(std::round(r.loss_db * 10.0) / 10.0 ==
                      Approx(cells[std::size_t(c) + 2]).margin(1e-9));
                ++checked;
            }
        }
        CHECK(checked == 19 * 3);

        const auto single = read_lines(data_dir / "ntia_itm/cmd_examples/o_areacr.txt");
        itm::AreaInputs a;
        a.distance_km = 1.0;
        in.variability =
            itm::Variability::confidence_reliability(itm::VariabilityMode::broadcast, 77, 90);
        CHECK_THAT(itm::area(in, a).loss_db,
                   printed(driver_value(single, "Basic Transmission Loss"), 0.1));
    }
}

TEST_CASE("ITM matches the reference on 120 real profiles of the border region", "[itm]") {
    // cases.csv: A__db printed to 1e-4 dB by the NTIA release, so within 5e-5 dB (measured max
    // |dev| 4.97e-5 dB, median 2.7e-5 dB: rounding); prop_mode and warnings exact.
    const auto rows = read_table(data_dir / "itm_region/cases.csv");
    REQUIRE(rows.size() == 120);
    Stats stats;
    std::size_t same_mode = 0, same_warnings = 0;
    for (const auto& row : rows) {
        std::ifstream in(data_dir / "itm_region/profiles" / (row.at("id") + ".pfl"));
        REQUIRE(in.good());
        std::stringstream ss;
        ss << in.rdbuf();
        std::string text = ss.str();
        std::replace(text.begin(), text.end(), '\n', ' ');
        const itm::Result r = itm::point_to_point_pfl(inputs_from_row(row), numbers(text, ' '));
        INFO(row.at("id") << ": error " << itm::describe(r.error));
        REQUIRE(r.ok());
        const double deviation = r.loss_db - num(row, "A__db");
        stats.add(deviation);
        CHECK_THAT(r.loss_db, printed(num(row, "A__db"), 1e-4));
        CHECK(int(r.mode) == int(num(row, "prop_mode")));
        CHECK(r.warnings == std::uint32_t(num(row, "warnings")));
        same_mode += int(r.mode) == int(num(row, "prop_mode"));
        same_warnings += r.warnings == std::uint32_t(num(row, "warnings"));
    }
    stats.report("itm_region/cases.csv");
    CHECK(same_mode == rows.size());
    CHECK(same_warnings == rows.size());
}

TEST_CASE("ITM separates calibration warnings from invalid inputs", "[itm]") {
    const std::vector<double> pfl = cmd_example_pfl();
    itm::Inputs in = cmd_example_inputs();

    SECTION("heights: 0.5-1 m warns, below 0.5 m is an error") {
        in.rx_height_m = 0.7;
        itm::Result r = itm::point_to_point_pfl(in, pfl);
        CHECK(r.ok());
        CHECK((r.warnings & itm::warn_rx_height) != 0);
        CHECK(std::isfinite(r.loss_db));
        in.rx_height_m = 0.4;
        r = itm::point_to_point_pfl(in, pfl);
        CHECK(r.error == itm::Error::rx_height);
        CHECK(std::isnan(r.loss_db));
    }
    SECTION("frequency: 10-20 GHz warns, above 20 GHz is an error") {
        in.frequency_mhz = 15000.0;
        CHECK((itm::point_to_point_pfl(in, pfl).warnings & itm::warn_frequency) != 0);
        in.frequency_mhz = 25000.0;
        CHECK(itm::point_to_point_pfl(in, pfl).error == itm::Error::frequency);
    }
    SECTION("other invalid inputs") {
        in.n0_n_units = 200.0;
        CHECK(itm::point_to_point_pfl(in, pfl).error == itm::Error::refractivity);
        in = cmd_example_inputs();
        in.sigma_s_per_m = 0.0;
        CHECK(itm::point_to_point_pfl(in, pfl).error == itm::Error::sigma);
        in = cmd_example_inputs();
        in.variability.time_percent = 100.0;
        CHECK(itm::point_to_point_pfl(in, pfl).error == itm::Error::time);
        in.variability =
            itm::Variability::confidence_reliability(itm::VariabilityMode::broadcast, 0.0, 50.0);
        CHECK(itm::point_to_point_pfl(in, pfl).error == itm::Error::confidence);
        in = cmd_example_inputs();
        const double bad_profile[] = {2.0, 100.0, 1.0, std::nan("")};
        CHECK(itm::point_to_point_pfl(in, bad_profile).error == itm::Error::profile);
        itm::AreaInputs a;
        a.distance_km = 0.0;
        CHECK(itm::area(in, a).error == itm::Error::distance);
    }
    SECTION("extreme quantiles and short paths warn") {
        in.variability.time_percent = 99.95;
        CHECK((itm::point_to_point_pfl(in, pfl).warnings & itm::warn_extreme_variability) != 0);
        const double short_pfl[] = {4.0, 100.0, 300.0, 301.0, 302.0, 301.0, 300.0};
        CHECK((itm::point_to_point_pfl(cmd_example_inputs(), short_pfl).warnings &
               itm::warn_distance_below_1km) != 0);
    }
}

TEST_CASE("ITM mdvar codes round-trip", "[itm]") {
    for (int code : {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33}) {
        itm::Variability v;
        REQUIRE(itm::from_mdvar(code, v));
        CHECK(itm::to_mdvar(v) == code);
    }
    itm::Variability v;
    for (int code : {-1, 4, 9, 14, 24, 34}) CHECK_FALSE(itm::from_mdvar(code, v));
}

TEST_CASE("The registered itm model reproduces the reference on a region profile", "[itm]") {
    // Case r11_0000 of itm_region/cases.csv: 40 m / 1.5 m, climate 5, N_0 330, 2650 MHz,
    // vertical, epsilon 15, sigma 0.005, mdvar 22, time 10, location 95, situation 90.
    const auto rows = read_table(data_dir / "itm_region/cases.csv");
    const auto& row = rows.front();
    REQUIRE(row.at("id") == "r11_0000");
    const std::vector<double> pfl = validation::read_pfl(data_dir / "itm_region/profiles/r11_0000.pfl");

    ParameterSet p;
    p.set("climate", std::string("continental_temperate"));
    p.set("n0_n_units", 330.0);
    p.set("polarization", std::string("vertical"));
    p.set("epsilon", 15.0);
    p.set("sigma_s_per_m", 0.005);
    p.set("time_percent", 10.0);
    p.set("location_percent", 95.0);
    p.set("situation_percent", 90.0);
    // mdvar 22 = mobile without situation variability: give the numeric code instead.
    p.set("mdvar", 22.0);
    const auto model = propagation::create_model("itm", p);
    CHECK(p.unconsumed_keys().empty());
    CHECK(model->needs_terrain_profile());

    propagation::PathQuery q;
    q.frequency_mhz = 2650.0;
    q.tx_height_agl_m = 40.0;
    q.rx_height_agl_m = 1.5;
    q.profile.step_m = pfl[1];
    q.profile.elevation_m = std::span<const double>(pfl).subspan(2);
    q.distance_m = q.profile.distance_m();
    const propagation::PathResult r = model->loss(q);
    CHECK_THAT(r.loss_db, printed(num(row, "A__db"), 1e-4));
    // prop_mode 1, warnings 1024 (RX horizon closer than a tenth of the smooth-earth one).
    CHECK((r.flags & propagation::line_of_sight) != 0);
    CHECK((r.flags & propagation::outside_other_range) != 0);
    CHECK((r.flags & propagation::invalid_input) == 0);

    q.rx_height_agl_m = 0.2;  // below ITM's 0.5 m: invalid, NaN, no exception
    const propagation::PathResult bad = model->loss(q);
    CHECK(std::isnan(bad.loss_db));
    CHECK((bad.flags & propagation::invalid_input) != 0);

    q.rx_height_agl_m = 1.5;
    q.profile.elevation_m = {};
    CHECK((model->loss(q).flags & propagation::invalid_input) != 0);
}

TEST_CASE("The itm model validates its parameters once, naming them", "[itm]") {
    const auto rejects = [](const std::string& key, ParameterSet::Value value) {
        ParameterSet p;
        p.set(key, value);
        try {
            propagation::create_model("itm", p);
        } catch (const InputError& e) {
            return std::string(e.what()).find(key) != std::string::npos;
        }
        return false;
    };
    CHECK(rejects("climate", std::string("tropical")));
    CHECK(rejects("climate", 8.0));
    CHECK(rejects("polarization", std::string("circular")));
    CHECK(rejects("epsilon", 0.5));
    CHECK(rejects("sigma_s_per_m", 0.0));
    CHECK(rejects("n0_n_units", 450.0));
    CHECK(rejects("mdvar", 5.0));
    CHECK(rejects("mdvar", std::string("often")));
    CHECK(rejects("time_percent", 100.0));
    CHECK(rejects("reliability_percent", 0.0));

    ParameterSet mixed;
    mixed.set("time_percent", 50.0);
    mixed.set("confidence_percent", 50.0);
    CHECK_THROWS_AS(propagation::create_model("itm", mixed), InputError);

    const auto model = propagation::create_model("itm", ParameterSet{});
    const auto params = model->parameters();
    CHECK(params.at("climate") == "continental_temperate");
    CHECK(params.at("polarization") == "vertical");
    CHECK(params.at("mdvar") == "3");
    CHECK(params.at("n0_n_units") == "301");
}

TEST_CASE("Path cases: read the region CSV, run ITM, write id,loss_db,prop_mode,warnings",
          "[itm][io]") {
    const fs::path csv = data_dir / "itm_region/cases.csv";
    const auto cases = validation::read_path_cases(csv);
    REQUIRE(cases.size() == 120);
    CHECK(cases.front().id == "r11_0000");
    CHECK(cases.front().line == 5);  // three comment lines and the header come first

    const std::vector<validation::PathCase> first(cases.begin(), cases.begin() + 5);
    std::ostringstream out;
    validation::write_path_case_results(out, validation::run_path_cases(first));
    const auto lines = split(out.str(), '\n');
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == "id,loss_db,prop_mode,warnings");
    const auto reference = read_table(csv);
    for (std::size_t k = 0; k < first.size(); ++k) {
        const auto cells = split(lines[k + 1]);
        REQUIRE(cells.size() == 4);
        CHECK(cells[0] == reference[k].at("id"));
        // Both printed to 1e-4 dB: equal, or one step apart where the two round differently.
        CHECK_THAT(std::stod(cells[1]),
                   Catch::Matchers::WithinAbs(num(reference[k], "A__db"), 1e-4 + 1e-6));
        CHECK(cells[2] == reference[k].at("prop_mode"));
        CHECK(cells[3] == reference[k].at("warnings"));
    }
}

TEST_CASE("Path cases: malformed input names file, line and column", "[itm][io]") {
    const fs::path dir = fs::temp_directory_path() / "grenzfunk_test_path_cases";
    fs::remove_all(dir);
    fs::create_directories(dir / "profiles");
    fs::copy_file(data_dir / "itm_region/profiles/r11_0000.pfl", dir / "profiles/a.pfl");
    const std::string header =
        "id,h_tx__meter,h_rx__meter,climate,N_0,f__mhz,pol,epsilon,sigma,mdvar,time,location,"
        "situation,extra\n";
    const auto write = [&](const std::string& body) {
        std::ofstream(dir / "cases.csv") << body;
        return dir / "cases.csv";
    };
    const auto message = [](const fs::path& csv, const fs::path& profiles = {}) {
        try {
            validation::read_path_cases(csv, profiles);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    using Catch::Matchers::Contains;

    // A valid file with an extra column, comments and blank lines.
    auto csv = write("# comment\n" + header + "\na,40,1.5,5,330,2650,1,15,0.005,22,10,95,90,x\n");
    REQUIRE(validation::read_path_cases(csv).size() == 1);

    csv = write(
        "id,h_tx__meter,h_rx__meter,climate,N_0,f__mhz,pol,epsilon,sigma,time,location,"
        "situation\n");
    CHECK_THAT(message(csv), Contains("cases.csv:1") && Contains("missing column 'mdvar'"));

    csv = write(header +
                "a,40,1.5,5,330,2650,1,15,0.005,22,10,95,90,x\n"
                "a,40,1.5,5,330,26x0,1,15,0.005,22,10,95,90,x\n");
    CHECK_THAT(message(csv),
               Contains("cases.csv:3") && Contains("'f__mhz'") && Contains("not a number"));

    csv = write(header + "a,40,1.5,5,\"301,5\",2650,1,15,0.005,22,10,95,90,x\n");
    CHECK_THAT(message(csv), Contains("cases.csv:2"));

    csv = write(header + "a,40,1.5,9,330,2650,1,15,0.005,22,10,95,90,x\n");
    CHECK_THAT(message(csv), Contains("cases.csv:2") && Contains("'climate'"));

    csv = write(header + "a,40,1.5,5,330,2650,1,15,0.005,7,10,95,90,x\n");
    CHECK_THAT(message(csv), Contains("cases.csv:2") && Contains("'mdvar'"));

    csv = write(header + "missing,40,1.5,5,330,2650,1,15,0.005,22,10,95,90,x\n");
    CHECK_THAT(message(csv), Contains("cases.csv:2") && Contains("'id'") &&
                                 Contains("missing.pfl") && Contains("not found"));

    // A `pfl` column, resolved against the CSV's directory or a given profiles directory.
    csv = write(
        "id,pfl,h_tx__meter,h_rx__meter,climate,N_0,f__mhz,pol,epsilon,sigma,mdvar,"
        "confidence,reliability\nb,profiles/a.pfl,40,1.5,5,330,2650,1,15,0.005,2,50,90\n");
    const auto cr_cases = validation::read_path_cases(csv);
    REQUIRE(cr_cases.size() == 1);
    CHECK(cr_cases[0].inputs.variability.from_confidence_reliability);
    CHECK(cr_cases[0].inputs.variability.time_percent == 90.0);
    CHECK_THAT(message(csv, dir / "elsewhere"), Contains("'pfl'") && Contains("not found"));

    std::ofstream(dir / "profiles/bad.pfl") << "3 100.0\n500 501\n502 5x3\n";
    csv = write(
        "id,pfl,h_tx__meter,h_rx__meter,climate,N_0,f__mhz,pol,epsilon,sigma,mdvar,"
        "time,location,situation\nc,profiles/bad.pfl,40,1.5,5,330,2650,1,15,0.005,2,50,"
        "50,50\n");
    CHECK_THAT(message(csv), Contains("bad.pfl:3") && Contains("cases.csv:2"));
    std::ofstream(dir / "profiles/bad.pfl") << "3 100.0\n500 501 502\n";
    CHECK_THAT(message(csv), Contains("bad.pfl") && Contains("found 3"));

    fs::remove_all(dir);
}

TEST_CASE("ITM point_to_point on a span equals the pfl form", "[itm]") {
    const std::vector<double> pfl = cmd_example_pfl();
    const itm::Inputs in = cmd_example_inputs();
    const itm::Result a = itm::point_to_point_pfl(in, pfl);
    const itm::Result b = itm::point_to_point(in, pfl[1], std::span<const double>(pfl).subspan(2));
    CHECK(a.loss_db == b.loss_db);
    CHECK(a.warnings == b.warnings);
}
