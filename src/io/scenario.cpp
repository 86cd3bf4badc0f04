#include "io/scenario.hpp"
#include "io/toml_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/cell.hpp"
#include "core/error.hpp"
#include "io/checksum.hpp"
#include "io/text_input.hpp"
#include "io/toml.hpp"

namespace grenzfunk::io {

namespace fs = std::filesystem;

namespace {

class Reader {
  public:
    explicit Reader(std::string path) : path_(std::move(path)) {}

    std::string where(const toml::node& node) const {
        return path_ + ":" + std::to_string(node.source().begin.line);
    }

    [[noreturn]] void fail(const toml::node& node, const std::string& key,
                           const std::string& what) const {
        throw InputError(where(node) + ": " + key + ": " + what);
    }

    // Rejects keys not in `allowed` (typos must not be silently ignored).
    void check_keys(const toml::table& table, const std::string& prefix,
                    const std::set<std::string>& allowed) const {
        for (auto&& [key, value] : table) {
            if (!allowed.count(std::string(key.str()))) {
                std::string list;
                for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
                throw InputError(path_ + ":" + std::to_string(key.source().begin.line) + ": " +
                                 prefix + std::string(key.str()) + ": unknown key (known: " + list +
                                 ")");
            }
        }
    }

    double number(const toml::table& table, const std::string& prefix, const char* key,
                  double default_value, double min_value, double max_value) const {
        const toml::node* node = table.get(key);
        if (!node) return default_value;
        std::optional<double> v = node->value<double>();  // accepts integers too
        if (!v || node->is_boolean()) fail(*node, prefix + key, "expected a number");
        if (!(*v >= min_value && *v <= max_value)) {
            std::ostringstream msg;
            msg << *v << " is out of range [" << min_value << ", " << max_value << "]";
            fail(*node, prefix + key, msg.str());
        }
        return *v;
    }

    std::string string(const toml::table& table, const std::string& prefix, const char* key,
                       const std::string& default_value) const {
        const toml::node* node = table.get(key);
        if (!node) return default_value;
        if (!node->is_string()) fail(*node, prefix + key, "expected a string");
        std::string value = *node->value<std::string>();
        // TOML escapes can smuggle NUL or newlines into names and paths.
        for (char c : value)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
                fail(*node, prefix + key, "holds a control character");
        return value;
    }

    bool boolean(const toml::table& table, const std::string& prefix, const char* key,
                 bool default_value) const {
        const toml::node* node = table.get(key);
        if (!node) return default_value;
        if (!node->is_boolean()) fail(*node, prefix + key, "expected true or false");
        return *node->value<bool>();
    }

    const toml::table* subtable(const toml::table& table, const char* key) const {
        const toml::node* node = table.get(key);
        if (!node) return nullptr;
        if (!node->is_table()) fail(*node, key, "expected a table [" + std::string(key) + "]");
        return node->as_table();
    }

    // Free-form parameters (models, importers, antennas) become a ParameterSet; the consumer
    // validates them and the caller reports keys nobody read.
    ParameterSet parameters(const toml::table& table, const std::string& prefix,
                            const std::set<std::string>& skip = {}) const {
        ParameterSet out;
        for (auto&& [key, value] : table) {
            const std::string k(key.str());
            if (skip.count(k)) continue;
            if (value.is_boolean())
                out.set(k, *value.value<bool>());
            else if (value.is_number())
                out.set(k, *value.value<double>());
            else if (value.is_string())
                out.set(k, *value.value<std::string>());
            else
                fail(value, prefix + k, "expected a number, string or boolean");
        }
        return out;
    }

    std::string resolve(const std::string& p) const {
        fs::path candidate(p);
        if (candidate.is_absolute()) return candidate.string();
        return (fs::path(path_).parent_path() / candidate).lexically_normal().string();
    }

    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// [land_cover] (docs/land_cover.md). Read after [propagation]: it excludes clutter_loss = p2108.
void read_land_cover(const Reader& r, const toml::table& t, Scenario& s) {
    LandCoverSettings& o = s.land_cover;
    o.enabled = true;
    o.where = r.where(t);
    r.check_keys(t, "land_cover.",
                 {"file", "classes", "code_kind", "default_class", "attribution"});
    if (s.clutter_loss != "none")
        throw InputError(
            o.where + ": [land_cover]: cannot be combined with propagation.clutter_loss = \"" +
            s.clutter_loss + "\" (both add clutter loss at the receiver; keep one of them)");
    const std::string file = r.string(t, "land_cover.", "file", "");
    if (file.empty()) throw InputError(o.where + ": land_cover.file: required key missing");
    o.file = r.resolve(file);
    const std::string classes = r.string(t, "land_cover.", "classes", "");
    if (classes.empty()) throw InputError(o.where + ": land_cover.classes: required key missing");
    o.classes = builtin_land_cover_table(classes).empty() ? r.resolve(classes) : classes;
    const std::string kind = r.string(t, "land_cover.", "code_kind", "index");
    if (kind == "clc_code")
        o.code_kind = LandCoverCodeKind::clc_code;
    else if (kind != "index")
        r.fail(*t.get("code_kind"), "land_cover.code_kind",
               "'" + kind + "' is not a code kind (index, clc_code)");
    o.table = read_land_cover_table(o.classes, o.code_kind);
    if (const toml::node* node = t.get("default_class")) {
        const std::optional<std::int64_t> code = node->value_exact<std::int64_t>();
        if (!code) r.fail(*node, "land_cover.default_class", "expected an integer class code");
        o.default_class = o.table.index_of(int(*code));
        if (o.default_class < 0)
            r.fail(*node, "land_cover.default_class",
                   "code " + std::to_string(*code) + " is not a class of " + o.table.source);
    }
    const std::string attribution = r.string(t, "land_cover.", "attribution", "");
    if (!attribution.empty()) o.table.attribution = attribution;
}

// [border] and [export] (the cross-border check and the regulator package).
void read_border_tables(const Reader& r, const toml::table& root, Scenario& s) {
    if (const toml::table* b = r.subtable(root, "border")) {
        BorderOptions& o = s.border;
        o.enabled = true;
        o.where = r.where(*b);
        r.check_keys(*b, "border.",
                     {"home_file", "home_filter", "home_country", "neighbour_country", "rules_file",
                      "codes_file", "distances_km", "sample_spacing_m", "max_path_km",
                      "exceedance_resolution_m"});
        for (const char* key : {"home_file", "rules_file"})
            if (!b->get(key))
                throw InputError(o.where + ": border." + key + ": required key missing");
        o.home_file = r.resolve(r.string(*b, "border.", "home_file", ""));
        o.rules_file = r.resolve(r.string(*b, "border.", "rules_file", ""));
        if (b->get("codes_file"))
            o.codes_file = r.resolve(r.string(*b, "border.", "codes_file", ""));
        o.home_filter = r.string(*b, "border.", "home_filter", "");
        o.home_country = r.string(*b, "border.", "home_country", o.home_country);
        o.neighbour_country = r.string(*b, "border.", "neighbour_country", o.neighbour_country);
        if (const toml::node* d = b->get("distances_km")) {
            const toml::array* arr = d->as_array();
            if (!arr) r.fail(*d, "border.distances_km", "expected a list of distances in km");
            o.distances_km.clear();
            for (const auto& item : *arr) {
                const std::optional<double> v = item.value<double>();
                if (!v || item.is_boolean() || !(*v >= 0.0 && *v <= 200.0))
                    r.fail(item, "border.distances_km", "expected numbers within [0, 200] km");
                o.distances_km.push_back(*v);
            }
        }
        o.sample_spacing_m = r.number(*b, "border.", "sample_spacing_m", 100.0, 1.0, 10000.0);
        o.max_path_km = r.number(*b, "border.", "max_path_km", 100.0, 1.0, 1000.0);
        o.exceedance_resolution_m =
            r.number(*b, "border.", "exceedance_resolution_m", 500.0, 0.0, 10000.0);
        if (o.exceedance_resolution_m > 0.0 && o.exceedance_resolution_m < s.resolution_m) {
            // Without the key the default applies: name the [border] table and the fix.
            if (const toml::node* key = b->get("exceedance_resolution_m"))
                r.fail(*key, "border.exceedance_resolution_m",
                       "must be 0 (none) or at least grid.resolution_m");
            std::ostringstream msg;
            msg.imbue(std::locale::classic());
            msg << o.where << ": border.exceedance_resolution_m: the default "
                << o.exceedance_resolution_m
                << " m is finer than grid.resolution_m = " << s.resolution_m
                << " m; set it to 0 (none) or at least " << s.resolution_m;
            throw InputError(msg.str());
        }
    }
    if (const toml::table* e = r.subtable(root, "export")) {
        ExportOptions& o = s.exports;
        o.where = r.where(*e);
        if (!s.border.enabled)
            throw InputError(o.where +
                             ": [export]: needs a [border] table (the package holds "
                             "the border report)");
        r.check_keys(*e, "export.",
                     {"directory", "crs", "creation_time", "kmz", "applicant", "document_version",
                      "attributions"});
        const std::string dir = r.string(*e, "export.", "directory", "");
        o.directory = dir.empty() ? "" : r.resolve(dir);
        if (const toml::node* key = e->get("directory")) o.directory_where = r.where(*key);
        o.crs = r.string(*e, "export.", "crs", o.crs);
        static const std::set<std::string> crs_choices = {"EPSG:25832", "EPSG:25833", "EPSG:3035",
                                                          "EPSG:4326"};
        if (!crs_choices.count(o.crs))
            r.fail(*e->get("crs"), "export.crs",
                   "'" + o.crs +
                       "' is not offered (EPSG:25832, EPSG:25833, EPSG:3035, "
                       "EPSG:4326)");
        o.creation_time = r.string(*e, "export.", "creation_time", "");
        o.kmz = r.boolean(*e, "export.", "kmz", true);
        o.applicant = r.string(*e, "export.", "applicant", o.applicant);
        o.document_version = r.string(*e, "export.", "document_version", o.document_version);
        if (const toml::node* a = e->get("attributions")) {
            const toml::array* arr = a->as_array();
            if (!arr) r.fail(*a, "export.attributions", "expected a list of strings");
            for (const auto& item : *arr) {
                const auto* text = item.as_string();
                if (!text || text->get().empty())
                    r.fail(item, "export.attributions", "expected a non-empty string");
                o.attributions.push_back(text->get());
            }
        }
    }
}

// Numbers of a TOML array, each checked against [min, max].
std::vector<double> number_list(const Reader& r, const toml::node& node, const std::string& key,
                                double min_value, double max_value) {
    const toml::array* arr = node.as_array();
    if (!arr || arr->empty()) r.fail(node, key, "expected a non-empty list of numbers");
    std::vector<double> out;
    for (const auto& item : *arr) {
        std::optional<double> v = item.value<double>();
        if (!v || item.is_boolean()) r.fail(node, key, "expected a list of numbers");
        if (!(*v >= min_value && *v <= max_value)) {
            std::ostringstream msg;
            msg.imbue(std::locale::classic());
            msg << *v << " is out of range [" << min_value << ", " << max_value << "]";
            r.fail(node, key, msg.str());
        }
        out.push_back(*v);
    }
    return out;
}

int integer(const Reader& r, const toml::table& table, const std::string& prefix, const char* key,
            int default_value, int min_value, int max_value) {
    const double v = r.number(table, prefix, key, default_value, min_value, max_value);
    if (v != std::floor(v)) r.fail(*table.get(key), prefix + key, "expected a whole number");
    return int(v);
}

// [planning] (docs/planning.md): read last, it needs [analysis].
void read_planning(const Reader& r, const toml::table& t, Scenario& s) {
    const std::string p = "planning.";
    r.check_keys(t, p,
                 {"template_file", "candidates_file", "candidate_spacing_m",
                  "candidate_gap_distance_m", "min_distance_to_existing_m", "antenna_heights_m",
                  "azimuth_choices_deg", "tilt_choices_deg", "max_sites", "min_spacing_m",
                  "min_gain_km2", "border_margin_db", "weight_file", "site_id_prefix"});
    PlanningSettings& o = s.planning;
    o.enabled = true;
    o.where = r.where(t);
    if (!s.analysis.enabled)
        throw InputError(o.where +
                         ": [planning]: needs an [analysis] table (its coverage definition and "
                         "gaps are the objective)");
    if (!s.extent_lonlat)
        throw InputError(o.where +
                         ": [planning]: needs grid.extent_lonlat_deg (without it the grid would "
                         "grow with the proposed sites, and a rerun would not be comparable)");
    if (!t.get("template_file"))
        throw InputError(o.where + ": planning.template_file: required key missing");
    const std::string templ = r.string(t, p, "template_file", "");
    if (templ.empty()) r.fail(*t.get("template_file"), p + "template_file", "expected a path");
    o.template_file = r.resolve(templ);
    const std::string cand = r.string(t, p, "candidates_file", "");
    o.candidates_file = cand.empty() ? "" : r.resolve(cand);
    o.candidate_spacing_m =
        r.number(t, p, "candidate_spacing_m", o.candidate_spacing_m, 1.0, 100000.0);
    o.candidate_gap_distance_m =
        r.number(t, p, "candidate_gap_distance_m", o.candidate_gap_distance_m, 0.0, 100000.0);
    o.min_distance_to_existing_m =
        r.number(t, p, "min_distance_to_existing_m", o.min_distance_to_existing_m, 0.0, 100000.0);
    if (const toml::node* h = t.get("antenna_heights_m"))
        o.antenna_heights_m = number_list(r, *h, p + "antenna_heights_m", 0.5, 999.0);
    if (const toml::node* a = t.get("azimuth_choices_deg")) {
        o.azimuth_rotations_deg = number_list(r, *a, p + "azimuth_choices_deg", 0.0, 360.0);
        for (double v : o.azimuth_rotations_deg)
            if (v >= 360.0)
                r.fail(*a, p + "azimuth_choices_deg", "360 is 0: give values below 360");
    }
    if (const toml::node* e = t.get("tilt_choices_deg"))
        o.elec_tilts_deg = number_list(r, *e, p + "tilt_choices_deg", -90.0, 90.0);
    // Each value of these lists makes separate candidates: a repeated one is a mistake.
    const auto refuse_repeats = [&](const char* key, const std::vector<double>& list) {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (std::find(list.begin(), list.begin() + std::ptrdiff_t(i), list[i]) !=
                list.begin() + std::ptrdiff_t(i))
                r.fail(*t.get(key), p + key,
                       "a value is listed twice (each is a separate candidate)");
    };
    refuse_repeats("antenna_heights_m", o.antenna_heights_m);
    refuse_repeats("azimuth_choices_deg", o.azimuth_rotations_deg);
    refuse_repeats("tilt_choices_deg", o.elec_tilts_deg);
    o.max_sites = integer(r, t, p, "max_sites", o.max_sites, 1, 1000);
    o.min_spacing_m = r.number(t, p, "min_spacing_m", o.min_spacing_m, 0.0, 100000.0);
    o.min_gain_km2 = r.number(t, p, "min_gain_km2", o.min_gain_km2, 0.0, 1e6);
    o.border_margin_db = r.number(t, p, "border_margin_db", o.border_margin_db, 0.0, 100.0);
    const std::string weight = r.string(t, p, "weight_file", "");
    o.weight_file = weight.empty() ? "" : r.resolve(weight);
    o.site_id_prefix = r.string(t, p, "site_id_prefix", o.site_id_prefix);
    // Site ids become "<prefix>001"; cell ids "<prefix>001_<template cell id>" (file names).
    if (const std::string why = file_name_id_problem(o.site_id_prefix + "001"); !why.empty())
        r.fail(*t.get("site_id_prefix"), p + "site_id_prefix", why);
}

void read_analysis(const Reader& r, const toml::table& t, AnalysisSettings& a) {
    const std::string p = "analysis.";
    r.check_keys(t, p,
                 {"enabled",
                  "location_probability_pct",
                  "environment",
                  "location_sigma_db",
                  "noise_figure_db",
                  "interference_load_pct",
                  "acir_db",
                  "overlap_margin_db",
                  "overlap_count_cap",
                  "nr_subcarrier_spacing_khz",
                  "umts_cpich_share_db",
                  "thresholds_dbm",
                  "gap_class",
                  "min_gap_area_km2",
                  "gap_border_distance_km",
                  "distance_bands_km",
                  "home_country",
                  "home_name",
                  "neighbour_name",
                  "country_outline_file",
                  "regions_file",
                  "region_name_field",
                  "gap_area_file"});
    a.where = r.where(t);
    a.enabled = r.boolean(t, p, "enabled", true);
    analysis::AnalysisOptions& o = a.options;
    o.location_probability_pct =
        r.number(t, p, "location_probability_pct", o.location_probability_pct, 1.0, 99.9);
    const std::string env = r.string(t, p, "environment", "rural");
    if (env == "rural")
        a.environment = analysis::Environment::rural;
    else if (env == "suburban")
        a.environment = analysis::Environment::suburban;
    else if (env == "urban")
        a.environment = analysis::Environment::urban;
    else
        r.fail(*t.get("environment"), p + "environment",
               "'" + env + "' is not an environment (rural, suburban, urban)");
    o.location_sigma_db = r.number(t, p, "location_sigma_db",
                                   analysis::default_location_sigma_db(a.environment), 0.0, 20.0);
    o.noise_figure_db = r.number(t, p, "noise_figure_db", o.noise_figure_db, 0.0, 30.0);
    o.interference_load_pct =
        r.number(t, p, "interference_load_pct", o.interference_load_pct, 0.0, 100.0);
    o.acir_db = r.number(t, p, "acir_db", o.acir_db, 0.0, 200.0);
    o.overlap_margin_db = r.number(t, p, "overlap_margin_db", o.overlap_margin_db, 0.0, 50.0);
    o.overlap_count_cap = integer(r, t, p, "overlap_count_cap", o.overlap_count_cap, 1, 32);
    o.nr_subcarrier_spacing_khz =
        r.number(t, p, "nr_subcarrier_spacing_khz", o.nr_subcarrier_spacing_khz, 15.0, 60.0);
    if (o.nr_subcarrier_spacing_khz != 15.0 && o.nr_subcarrier_spacing_khz != 30.0 &&
        o.nr_subcarrier_spacing_khz != 60.0)
        r.fail(*t.get("nr_subcarrier_spacing_khz"), p + "nr_subcarrier_spacing_khz",
               "expected 15, 30 or 60 (FR1)");
    o.umts_cpich_share_db =
        r.number(t, p, "umts_cpich_share_db", o.umts_cpich_share_db, -30.0, 0.0);

    if (const toml::table* th = r.subtable(t, "thresholds_dbm")) {
        static const char* kNames[] = {"gsm", "umts", "lte", "nr", "other"};
        r.check_keys(*th, p + "thresholds_dbm.", {"gsm", "umts", "lte", "nr", "other"});
        for (std::size_t k = 0; k < analysis::kTechnologyCount; ++k) {
            const toml::node* node = th->get(kNames[k]);
            if (!node) continue;
            const std::string key = p + "thresholds_dbm." + kNames[k];
            std::vector<double> v = number_list(r, *node, key, -200.0, 0.0);
            if (v.size() > 6) r.fail(*node, key, "at most 6 classes");
            for (std::size_t i = 1; i < v.size(); ++i)
                if (!(v[i] < v[i - 1]))
                    r.fail(*node, key, "thresholds must decrease (strongest class first)");
            o.thresholds_dbm[k] = std::move(v);
        }
        for (std::size_t k = 1; k < analysis::kTechnologyCount; ++k)
            if (o.thresholds_dbm[k].size() != o.thresholds_dbm[0].size())
                r.fail(*th, p + "thresholds_dbm",
                       "every technology needs the same number of thresholds (gsm, umts, lte, "
                       "nr, other; defaults have 3)");
    }
    o.gap_class = integer(r, t, p, "gap_class", 0, 0, int(o.class_count()));
    o.min_gap_area_km2 = r.number(t, p, "min_gap_area_km2", o.min_gap_area_km2, 0.0, 1e6);
    a.gap_border_distance_km =
        r.number(t, p, "gap_border_distance_km", a.gap_border_distance_km, 0.0, 1000.0);
    if (const toml::node* bands = t.get("distance_bands_km")) {
        o.distance_bands_km = number_list(r, *bands, p + "distance_bands_km", 0.001, 1000.0);
        for (std::size_t i = 1; i < o.distance_bands_km.size(); ++i)
            if (!(o.distance_bands_km[i] > o.distance_bands_km[i - 1]))
                r.fail(*bands, p + "distance_bands_km", "band edges must increase");
    }
    a.home_country = r.string(t, p, "home_country", a.home_country);
    a.home_name = r.string(t, p, "home_name", a.home_name);
    a.neighbour_name = r.string(t, p, "neighbour_name", a.neighbour_name);
    a.region_name_field = r.string(t, p, "region_name_field", a.region_name_field);
    auto file = [&](const char* key) {
        const std::string f = r.string(t, p, key, "");
        return f.empty() ? f : r.resolve(f);
    };
    a.country_outline_file = file("country_outline_file");
    a.regions_file = file("regions_file");
    a.gap_area_file = file("gap_area_file");
}

// The UTF-8 sequence starting at text[i] (the lead byte and its continuation bytes), for
// messages.
std::string utf8_sequence_at(std::string_view text, std::size_t i) {
    std::size_t n = 1;
    while (n < 4 && i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80)
        ++n;
    return std::string(text.substr(i, n));
}

bool is_ascii(char c) {
    return static_cast<unsigned char>(c) < 0x80;
}

bool is_toml_white_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

void check_toml_text(std::string_view text, const std::string& source_name) {
    const std::size_t n = text.size();
    const auto at = [&](std::size_t k) { return k < n ? text[k] : '\0'; };
    std::size_t line = 1;
    const auto fail = [&](std::size_t k, const char* where) {
        throw InputError(source_name + ":" + std::to_string(line) + ": non-ASCII character '" +
                         utf8_sequence_at(text, k) + "' " + where);
    };
    std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // byte-order mark
    // The last character outside strings, comments and white space, and whether a line break
    // came after it: a quote opens a string only where a key or a value may start.
    char last_significant = '\n';
    bool line_break_since = true;
    while (i < n) {
        const char c = text[i];
        if (c != '\n' && c != ' ' && c != '\t' && c != '\r' && c != '#' && c != '"' && c != '\'') {
            last_significant = c;
            line_break_since = false;
        }
        if (c == '\n') {
            ++line;
            line_break_since = true;
            ++i;
        } else if (!is_ascii(c)) {
            fail(i,
                 "outside a quoted string or comment (TOML keys and values other than strings "
                 "are ASCII; quote a key with other letters, e.g. \"\xC3\xB6\" = 1)");
        } else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
            // toml++ 3.3.0 passes one at the start of a table header's key to parse_key, whose
            // precondition excludes it (a failed assertion; with clang and NDEBUG an assume).
            char code[8];
            std::snprintf(code, sizeof code, "U+%04X", unsigned(static_cast<unsigned char>(c)));
            throw InputError(source_name + ":" + std::to_string(line) + ": control character " +
                             code + " outside a quoted string or comment");
        } else if (c == '#') {
            while (i < n && text[i] != '\n') ++i;
        } else if (c == '"' || c == '\'') {
            // A string: '...', "...", '''...''' or """...""". A single-line one ends at its line's
            // end at the latest (toml++ reports the missing quote).
            // A quote right after a value ("a = 0\"x\"") is invalid TOML, and toml++ 3.3.0 reads
            // on through the string testing each character for white space (the non-ASCII
            // case above): a string starts only a key or follows '=', ',', '[', '{' or '.'.
            if (!line_break_since &&
                std::string_view("=[,{.").find(last_significant) == std::string_view::npos)
                throw InputError(source_name + ":" + std::to_string(line) +
                                 ": a quote right after '" + std::string(1, last_significant) +
                                 "' (a string starts a key or follows '=', ',', '[' or '{')");
            last_significant = c;
            line_break_since = false;
            const bool basic = c == '"';
            const bool multi_line = at(i + 1) == c && at(i + 2) == c;
            i += multi_line ? 3 : 1;
            while (i < n) {
                const char d = text[i];
                if (d == '\n') {
                    if (!multi_line) break;
                    ++line;
                    ++i;
                } else if (basic && d == '\\') {
                    // An escape. In a multi-line string a backslash before white space trims it
                    // and the line breaks after it; toml++ tests each character for white space.
                    std::size_t k = i + 1;
                    if (multi_line)
                        for (; k < n && is_toml_white_space(text[k]); ++k)
                            if (text[k] == '\n') ++line;
                    if (k < n && !is_ascii(text[k]))
                        fail(k, "after a backslash in a string (escapes are ASCII)");
                    if (k > i + 1)
                        i = k;  // after the trimmed white space
                    else if (k < n && text[k] != '\n')
                        i = k + 1;  // after the escaped character
                    else
                        i = k;  // a backslash at the end of a single-line string's line
                } else if (d == c && (!multi_line || (at(i + 1) == c && at(i + 2) == c))) {
                    i += multi_line ? 3 : 1;
                    // Up to two quotes right before the closing ones belong to the string.
                    for (int extra = 0; multi_line && extra < 2 && at(i) == c; ++extra) ++i;
                    break;
                } else {
                    ++i;
                }
            }
        } else {
            ++i;
        }
    }
}

namespace detail {

toml::table parse_toml_file(const std::string& path, std::string_view what, std::string* text_out) {
    if (!fs::exists(path)) throw InputError(path + ": " + std::string(what) + " does not exist");
    std::string text = read_text_file(path, what);
    check_toml_text(text, path);  // Debian's toml++ 3.3.0 and non-ASCII text (scenario.hpp)
    toml::table root;
    try {
        root = toml::parse(std::string_view(text), std::string_view(path));
    } catch (const toml::parse_error& e) {
        throw InputError(path + ":" + std::to_string(e.source().begin.line) +
                         ": syntax error: " + std::string(e.description()));
    }
    if (text_out) *text_out = std::move(text);
    return root;
}

const toml::array& only_array_of_tables(const toml::table& root, const std::string& path,
                                        const std::string& key) {
    for (auto&& [k, value] : root)
        if (k.str() != key)
            throw InputError(path + ":" + std::to_string(k.source().begin.line) + ": " +
                             std::string(k.str()) + ": unknown key (known: " + key + ")");
    const toml::node* node = root.get(key);
    const toml::array* arr = node ? node->as_array() : nullptr;
    if (!arr || arr->empty())
        throw InputError(path + ": expected one or more [[" + key + "]] tables");
    return *arr;
}

}  // namespace detail

Scenario read_scenario(const std::string& path) {
    std::string text;
    const toml::table root = detail::parse_toml_file(path, "scenario file", &text);
    Reader r(path);
    Scenario s;
    s.path = path;
    s.sha256 = sha256_hex(text);
    r.check_keys(root, "",
                 {"name", "terrain", "sites", "grid", "receiver", "propagation", "antenna",
                  "output", "analysis", "border", "export", "land_cover", "planning"});
    s.name = r.string(root, "", "name", fs::path(path).stem().string());
    // The name becomes the default output folder out/<name>.
    if (const std::string why = file_name_id_problem(s.name); !why.empty())
        throw InputError(
            (root.get("name") ? r.where(*root.get("name")) : path) + ": name: " + why +
            (root.get("name") ? "" : " (the name defaults to the file name; set name)"));

    // [terrain]
    const toml::table* terrain = r.subtable(root, "terrain");
    if (!terrain) throw InputError(path + ": [terrain]: required table is missing");
    r.check_keys(*terrain, "terrain.", {"files", "void_fill_max_distance_m"});
    {
        const toml::node* files = terrain->get("files");
        if (!files) throw InputError(r.where(*terrain) + ": terrain.files: required key missing");
        const toml::array* arr = files->as_array();
        if (!arr || arr->empty())
            r.fail(*files, "terrain.files", "expected a non-empty list of raster paths");
        for (const auto& item : *arr) {
            if (!item.is_string()) r.fail(item, "terrain.files", "expected a path string");
            s.terrain_files.push_back(r.resolve(*item.value<std::string>()));
        }
        s.void_fill_max_distance_m =
            r.number(*terrain, "terrain.", "void_fill_max_distance_m", 1000.0, 0.0, 50000.0);
    }

    // [[sites]]
    {
        const toml::node* sites = root.get("sites");
        if (!sites) throw InputError(path + ": [[sites]]: at least one sites file is required");
        const toml::array* arr = sites->as_array();
        if (!arr || arr->empty()) r.fail(*sites, "sites", "expected one or more [[sites]] tables");
        for (const auto& item : *arr) {
            const toml::table* t = item.as_table();
            if (!t) r.fail(item, "sites", "expected a [[sites]] table");
            SitesSource src;
            src.where = r.where(item);
            const toml::node* file = t->get("file");
            if (!file || !file->is_string())
                r.fail(item, "sites.file", "required path string missing");
            src.path = r.resolve(*file->value<std::string>());
            src.format = r.string(*t, "sites.", "format", "grenzfunk");
            if (src.format != "grenzfunk" && src.format != "opencellid")
                r.fail(*t->get("format"), "sites.format",
                       "'" + src.format + "' is not a sites format (grenzfunk, opencellid)");
            if (const toml::table* defaults = r.subtable(*t, "defaults"))
                src.overrides = r.parameters(*defaults, "sites.defaults.");
            r.check_keys(*t, "sites.", {"file", "format", "defaults"});
            s.sites.push_back(std::move(src));
        }
    }

    // [grid]
    if (const toml::table* grid = r.subtable(root, "grid")) {
        r.check_keys(*grid, "grid.", {"crs", "resolution_m", "extent_lonlat_deg"});
        s.crs = r.string(*grid, "grid.", "crs", s.crs);
        s.crs_where = grid->get("crs") ? r.where(*grid->get("crs")) : r.where(*grid);
        s.resolution_m = r.number(*grid, "grid.", "resolution_m", s.resolution_m, 1.0, 10000.0);
        s.resolution_where =
            grid->get("resolution_m") ? r.where(*grid->get("resolution_m")) : r.where(*grid);
        if (const toml::node* ext = grid->get("extent_lonlat_deg")) {
            s.extent_where = r.where(*ext);
            const toml::array* arr = ext->as_array();
            if (!arr || arr->size() != 4)
                r.fail(*ext, "grid.extent_lonlat_deg",
                       "expected [west, south, east, north] in degrees");
            std::array<double, 4> box{};
            for (std::size_t i = 0; i < 4; ++i) {
                std::optional<double> v = (*arr)[i].value<double>();
                if (!v) r.fail(*ext, "grid.extent_lonlat_deg", "expected four numbers");
                box[i] = *v;
            }
            if (!(box[0] >= -180 && box[2] <= 180 && box[0] < box[2] && box[1] >= -90 &&
                  box[3] <= 90 && box[1] < box[3]))
                r.fail(*ext, "grid.extent_lonlat_deg",
                       "need west < east within [-180, 180] and south < north within [-90, 90]");
            s.extent_lonlat = box;
        }
    } else {
        s.crs_where = path;
        s.resolution_where = path;
    }

    // [receiver]
    if (const toml::table* rx = r.subtable(root, "receiver")) {
        r.check_keys(*rx, "receiver.", {"height_agl_m"});
        s.rx_height_agl_m = r.number(*rx, "receiver.", "height_agl_m", 1.5, 0.1, 500.0);
    }

    // [propagation]
    if (const toml::table* prop = r.subtable(root, "propagation")) {
        r.check_keys(*prop, "propagation.",
                     {"model", "max_radius_km", "engine", "parameters", "clutter_loss",
                      "clutter_location_percent", "tile_rows"});
        s.model = r.string(*prop, "propagation.", "model", s.model);
        const std::string engine = r.string(*prop, "propagation.", "engine", engine_name(s.engine));
        if (const auto kind = parse_engine(engine))
            s.engine = *kind;
        else
            throw InputError(r.where(*prop->get("engine")) +
                             ": propagation.engine: expected "
                             "\"fast\" or \"reference\", got \"" +
                             engine + "\"");
        s.model_where = prop->get("model") ? r.where(*prop->get("model")) : r.where(*prop);
        s.max_radius_km = r.number(*prop, "propagation.", "max_radius_km", 30.0, 0.1, 500.0);
        s.max_radius_where =
            prop->get("max_radius_km") ? r.where(*prop->get("max_radius_km")) : r.where(*prop);
        s.tile_rows = integer(r, *prop, "propagation.", "tile_rows", 0, 0, 1000000);
        if (prop->get("tile_rows")) s.tile_rows_where = r.where(*prop->get("tile_rows"));
        s.clutter_loss = r.string(*prop, "propagation.", "clutter_loss", "none");
        if (s.clutter_loss != "none" && s.clutter_loss != "p2108")
            r.fail(*prop->get("clutter_loss"), "propagation.clutter_loss",
                   "'" + s.clutter_loss + "' is not a clutter model (none, p2108)");
        s.clutter_location_percent =
            r.number(*prop, "propagation.", "clutter_location_percent", 50.0, 0.000001, 99.999999);
        if (const toml::table* params = r.subtable(*prop, "parameters"))
            s.model_parameters = r.parameters(*params, "propagation.parameters.");
    } else {
        s.model_where = path;
        s.max_radius_where = path;
    }

    // [antenna]
    if (const toml::table* ant = r.subtable(root, "antenna"))
        s.antenna_parameters = r.parameters(*ant, "antenna.");

    // [output]
    if (const toml::table* out = r.subtable(root, "output")) {
        r.check_keys(*out, "output.",
                     {"directory", "best_level", "best_server", "field_strength", "terrain",
                      "path_loss_per_cell", "coverage_kmz"});
        const std::string dir = r.string(*out, "output.", "directory", "");
        s.outputs.directory = dir.empty() ? "" : r.resolve(dir);
        s.outputs.best_level = r.boolean(*out, "output.", "best_level", true);
        s.outputs.best_server = r.boolean(*out, "output.", "best_server", true);
        s.outputs.field_strength = r.boolean(*out, "output.", "field_strength", true);
        s.outputs.terrain = r.boolean(*out, "output.", "terrain", true);
        s.outputs.path_loss_per_cell = r.boolean(*out, "output.", "path_loss_per_cell", false);
        s.outputs.coverage_kmz = r.boolean(*out, "output.", "coverage_kmz", true);
    }

    if (const toml::table* an = r.subtable(root, "analysis")) read_analysis(r, *an, s.analysis);
    if (const toml::table* lc = r.subtable(root, "land_cover")) read_land_cover(r, *lc, s);
    read_border_tables(r, root, s);
    if (const toml::table* pl = r.subtable(root, "planning")) read_planning(r, *pl, s);
    return s;
}

}  // namespace grenzfunk::io
