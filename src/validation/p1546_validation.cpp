#include "validation/p1546_validation.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string_view>

#include "core/error.hpp"

namespace grenzfunk::validation {

namespace p1546 = propagation::p1546;

namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::vector<std::string_view> split(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = line.find(',', start);
        out.push_back(trim(line.substr(start, comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

class Reader {
  public:
    explicit Reader(std::string path) : path_(std::move(path)), in_(path_) {
        if (!in_) throw InputError(path_ + ": cannot open file");
    }
    bool next(std::string& line) {
        if (!std::getline(in_, line)) return false;
        ++line_;
        return true;
    }
    int line() const { return line_; }
    [[noreturn]] void fail(const std::string& what) const {
        throw InputError(path_ + ":" + std::to_string(line_) + ": " + what);
    }
    // Locale-independent number; NaN for an empty field when allow_empty.
    double number(std::string_view field, const char* name, bool allow_empty) const {
        if (field.empty()) {
            if (allow_empty) return p1546::kNaN;
            fail(std::string(name) + ": missing value");
        }
        if (field.front() == '+') field.remove_prefix(1);
        double value = 0.0;
        const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
        if (ec != std::errc() || ptr != field.data() + field.size())
            fail(std::string(name) + ": not a number: '" + std::string(field) + "'");
        return value;
    }

  private:
    std::string path_;
    std::ifstream in_;
    int line_ = 0;
};

void read_profile(Reader& r, P1546ValidationProfile& p, std::string_view count_field) {
    const double count = r.number(count_field, "Number of Points", false);
    if (!(count >= 2.0) || count != std::floor(count))
        r.fail("Number of Points: expected an integer >= 2, got '" + std::string(count_field) +
               "'");
    std::string line;
    for (int i = 0; i < int(count); ++i) {
        if (!r.next(line)) r.fail("file ends inside the profile");
        const auto f = split(line);
        if (f.size() < 2 || f[0].empty()) r.fail("profile point: expected distance,height,...");
        p.distance_km.push_back(r.number(f[0], "distance (km)", false));
        p.elevation_m.push_back(r.number(f[1], "ground height (m)", false));
        const double cov = f.size() > 2 ? r.number(f[2], "coverage code", true) : p1546::kNaN;
        p.coverage_code.push_back(std::isfinite(cov) ? int(cov) : -1);
        p.ground_cover_m.push_back(f.size() > 3 ? r.number(f[3], "ground cover height", true)
                                                : p1546::kNaN);
        const double met = f.size() > 4 ? r.number(f[4], "radio-met code", true) : p1546::kNaN;
        p.radio_met_code.push_back(std::isfinite(met) ? int(met) : -1);
        if (i > 0 && !(p.distance_km[std::size_t(i)] > p.distance_km[std::size_t(i) - 1]))
            r.fail("profile distances must increase");
    }
}

void read_measurements(Reader& r, P1546ValidationProfile& p) {
    std::string line;
    if (!r.next(line)) r.fail("file ends after the measurement header");  // units line
    while (r.next(line)) {
        const std::string_view t = trim(line);
        if (t.rfind("{Begin of Measurements", 0) == 0 || t.empty()) continue;
        if (t.rfind("{End of Measurements", 0) == 0) return;
        const auto f = split(line);
        bool only_first = true;  // a record count line: one number and nothing else
        for (std::size_t i = 1; i < f.size(); ++i) only_first = only_first && f[i].empty();
        if (only_first) continue;
        if (f.size() < 18)
            r.fail("data set: expected at least 18 columns, got " + std::to_string(f.size()));
        P1546ValidationDataset ds;
        ds.line = r.line();
        ds.frequency_mhz = r.number(f[0], "Frequency", false);
        ds.tx_height_agl_m = r.number(f[1], "Tx antenna height", false);
        ds.rx_height_agl_m = r.number(f[3], "Rx antenna height", false);
        ds.erp_total_dbw = r.number(f[12], "ERP_max_total", true);
        ds.time_percent = r.number(f[14], "Time percentage", true);
        if (!std::isfinite(ds.time_percent)) ds.time_percent = 50.0;
        ds.field_dbuv_per_m = r.number(f[16], "Measured field strength", true);
        ds.basic_loss_db = r.number(f[17], "Basic transmission loss", true);
        p.datasets.push_back(ds);
    }
    r.fail("missing {End of Measurements}");
}

struct ClutterClass {
    p1546::ReceiverEnvironment environment;
    double height_m;
};

// Coverage code of the SG3 P.1546 files.
ClutterClass clutter_class(int coverage_code) {
    using E = p1546::ReceiverEnvironment;
    switch (coverage_code) {
        case 1:
            return {E::sea, 10.0};
        case 2:
            return {E::rural, 10.0};
        case 3:
            return {E::suburban, 10.0};
        case 4:
            return {E::urban, 15.0};
        case 5:
            return {E::dense_urban, 20.0};
        default:
            return {E::suburban, 0.0};
    }
}

}  // namespace

P1546ValidationProfile read_p1546_validation_profile(const std::string& path) {
    Reader r(path);
    P1546ValidationProfile p;
    p.path = path;
    std::string line;
    bool have_profile = false;
    while (r.next(line)) {
        const auto f = split(line);
        if (f.empty()) continue;
        if (f[0] == "First Point TX or RX:") {
            const std::string_view v = f.size() > 1 ? f[1] : std::string_view{};
            if (v == "T" || v == "t")
                p.first_point_is_tx = true;
            else if (v == "R" || v == "r")
                p.first_point_is_tx = false;
            else
                r.fail("First Point TX or RX: expected T or R, got '" + std::string(v) + "'");
        } else if (f[0] == "Number of Points:") {
            read_profile(r, p, f.size() > 1 ? f[1] : std::string_view{});
            have_profile = true;
        } else if (f[0] == "Frequency") {
            read_measurements(r, p);
        }
    }
    if (!have_profile) r.fail("no 'Number of Points:' profile block");
    if (p.datasets.empty()) r.fail("no data set between {Begin of Measurements} and {End ...}");
    return p;
}

P1546ValidationCase evaluate_p1546_validation(const P1546ValidationProfile& p, int dataset) {
    if (dataset < 1 || dataset > int(p.datasets.size()))
        throw InputError(p.path + ": data set " + std::to_string(dataset) + " does not exist (" +
                         std::to_string(p.datasets.size()) + " in the file)");
    const P1546ValidationDataset& ds = p.datasets[std::size_t(dataset) - 1];
    P1546ValidationCase c;
    c.dataset = dataset;

    // e.r.p. in kW.
    if (std::isfinite(ds.erp_total_dbw)) {
        c.tx_power_kw = std::pow(10.0, ds.erp_total_dbw / 10.0) * 1e-3;
    } else if (std::isfinite(ds.field_dbuv_per_m) && std::isfinite(ds.basic_loss_db)) {
        // E = 139.3 - Lb + 20 log f + 10 log P(kW) (eq. (40)), with the reference's constant.
        const double p_dbkw = -137.2217 + ds.field_dbuv_per_m -
                              20.0 * std::log10(ds.frequency_mhz) + ds.basic_loss_db;
        c.tx_power_kw = std::pow(10.0, p_dbkw / 10.0);
    }

    // Land and sea/coastal lengths: each point stands for half of its adjacent intervals.
    const std::size_t n = p.distance_km.size();
    bool have_met = true;
    for (int code : p.radio_met_code) have_met = have_met && code >= 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double lo = p.distance_km[i == 0 ? 0 : i - 1];
        const double hi = p.distance_km[i + 1 == n ? n - 1 : i + 1];
        const double w = 0.5 * (hi - lo);
        const int code = p.radio_met_code[i];
        if (have_met && (code == 1 || code == 3))
            c.sea_km += w;
        else
            c.land_km += w;
    }

    // Clutter classes and heights at both ends (before any swap: first point, last point).
    ClutterClass first = clutter_class(p.coverage_code.front());
    ClutterClass last = clutter_class(p.coverage_code.back());
    if (first.environment == p1546::ReceiverEnvironment::rural) first.height_m = 0.0;
    double r_first =
        std::isfinite(p.ground_cover_m.front()) ? p.ground_cover_m.front() : first.height_m;
    double r_last =
        std::isfinite(p.ground_cover_m.back()) ? p.ground_cover_m.back() : last.height_m;

    std::vector<double> x = p.distance_km, h = p.elevation_m;
    double ha = ds.tx_height_agl_m, h2 = ds.rx_height_agl_m;
    p1546::ReceiverEnvironment rx_env = last.environment;
    if (!p.first_point_is_tx) {
        // The data set's "Tx" is at the last point: the profile runs from the other end.
        c.swapped = true;
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = p.distance_km.back() - p.distance_km[n - 1 - i];
            h[i] = p.elevation_m[n - 1 - i];
        }
        std::swap(ha, h2);
        std::swap(r_first, r_last);
        rx_env = first.environment;
    }

    c.geometry = p1546::analyse_profile(x, h, ha, h2);
    p1546::Input& in = c.input;
    in.frequency_mhz = ds.frequency_mhz;
    in.time_percent = ds.time_percent;
    in.location_percent = 50.0;
    in.distance_km = x.back() - x.front();
    in.sea_distance_km = c.sea_km;
    in.sea_type = p1546::SeaType::cold;
    in.h1_m = c.geometry.h1_m;
    in.tx_height_agl_m = ha;
    in.rx_height_agl_m = h2;
    in.rx_environment = rx_env;
    in.rx_clutter_height_m = r_last;
    in.tx_clutter_height_m = r_first;
    in.tx_ground_amsl_m = c.geometry.tx_ground_amsl_m;
    in.rx_ground_amsl_m = c.geometry.rx_ground_amsl_m;
    in.tca_deg = c.geometry.tca_deg;
    in.theta_eff1_deg = c.geometry.theta_eff1_deg;
    in.terrain_information = true;
    in.location_area_width_m = 500.0;
    c.result = p1546::evaluate(in);
    c.field_for_power_dbuv_per_m = c.result.field_dbuv_per_m + 10.0 * std::log10(c.tx_power_kw);
    return c;
}

void print_p1546_validation(std::ostream& out, const P1546ValidationProfile& p,
                            const P1546ValidationCase& c) {
    const auto& in = c.input;
    const auto& r = c.result;
    const auto old_flags = out.flags();
    const auto old_precision = out.precision();
    out << std::fixed << std::setprecision(4);
    auto row = [&out](const char* name, double value, const char* ref) {
        out << "  " << std::left << std::setw(44) << name << std::right << std::setw(12) << value
            << "  " << ref << '\n';
    };
    out << p.path << "  data set " << c.dataset << (c.swapped ? " (terminals swapped)" : "")
        << '\n';
    row("frequency (MHz)", in.frequency_mhz, "");
    row("time percentage (%)", in.time_percent, "");
    row("distance d (km)", in.distance_km, "");
    row("land / sea: land (km)", c.land_km, "");
    row("land / sea: sea (km)", c.sea_km, "");
    row("tx antenna height ha (m)", in.tx_height_agl_m, "");
    row("rx antenna height h2 (m)", in.rx_height_agl_m, "");
    row("effective height h1 (m)", r.h1_m, "Annex 5 §3 (6)/(7)");
    row("tx clutter R1 (m)", in.tx_clutter_height_m, "");
    row("rx clutter R2 (m)", in.rx_clutter_height_m, "");
    out << "  " << std::left << std::setw(44) << "rx environment" << std::right << std::setw(12)
        << p1546::environment_name(in.rx_environment) << '\n';
    row("theta_eff1 (deg)", in.theta_eff1_deg, "§4.3 a)");
    row("terrain clearance angle tca (deg)", in.tca_deg, "§11");
    row("e.r.p. (kW)", c.tx_power_kw, "");
    row("Emax (dBuV/m)", r.e_max_dbuv_per_m, "§2 (1)-(3), (42) + §14");
    row("E land (dBuV/m)", r.e_land_dbuv_per_m, "Steps 6-10");
    row("E sea (dBuV/m)", r.e_sea_dbuv_per_m, "Steps 6-10");
    row("E curves, mixed (dBuV/m)", r.e_curves_dbuv_per_m, "Step 11, §8");
    row("tca nu", r.tca_nu, "§11 (32c)");
    row("tca correction (dB)", r.tca_correction_db, "§11 (32a)");
    row("theta_s (deg)", r.theta_s_deg, "§13 (35)");
    row("Ets (dBuV/m)", r.e_troposcatter_dbuv_per_m, "§13 (36)");
    row("R2' (m)", r.r2_prime_m, "§9 (27)");
    row("rx height correction (dB)", r.rx_height_correction_db, "§9 (28)-(29)");
    row("tx clutter correction (dB)", r.tx_clutter_correction_db, "§10 (30)");
    row("slope-path correction (dB)", r.slope_correction_db, "§14 (37)");
    row("E for d < 1 km (dBuV/m)", r.e_short_path_dbuv_per_m, "§15 (38)");
    row("location correction (dB)", r.location_correction_db, "§12 (33)");
    row("E for 1 kW e.r.p. (dBuV/m)", r.field_dbuv_per_m, "Step 19");
    row("E for the e.r.p. (dBuV/m)", c.field_for_power_dbuv_per_m, "");
    row("basic transmission loss Lb (dB)", r.basic_loss_db, "§17 (40)");
    const auto& ds = p.datasets[std::size_t(c.dataset) - 1];
    row("file: field strength (dBuV/m)", ds.field_dbuv_per_m, "");
    row("file: basic transmission loss (dB)", ds.basic_loss_db, "");
    out.flags(old_flags);
    out.precision(old_precision);
}

}  // namespace grenzfunk::validation
