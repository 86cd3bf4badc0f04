#include "io/land_cover_table.hpp"

#include <filesystem>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "io/scenario.hpp"
#include "io/toml.hpp"
#include "io/toml_file.hpp"

namespace grenzfunk::io {

namespace detail {
extern const std::string_view kCorineClcToml;
extern const std::string_view kEsaWorldCoverToml;
}  // namespace detail

std::string_view builtin_land_cover_table(std::string_view name) {
    if (name == "corine") return detail::kCorineClcToml;
    if (name == "esa-worldcover") return detail::kEsaWorldCoverToml;
    return {};
}

namespace {

std::string line_of(const std::string& source, const toml::node& node) {
    return source + ":" + std::to_string(node.source().begin.line);
}

[[noreturn]] void fail(const std::string& source, const toml::node& node, const std::string& key,
                       const std::string& what) {
    throw InputError(line_of(source, node) + ": " + key + ": " + what);
}

int integer(const std::string& source, const toml::table& row, const char* key) {
    const toml::node* node = row.get(key);
    if (!node) fail(source, row, std::string("class.") + key, "required key missing");
    const std::optional<std::int64_t> v = node->value_exact<std::int64_t>();
    if (!v || *v < -2147483647 || *v > 2147483647)
        fail(source, *node, std::string("class.") + key, "expected an integer");
    return int(*v);
}

std::string text(const std::string& source, const toml::table& row, const char* key,
                 bool required) {
    const toml::node* node = row.get(key);
    if (!node) {
        if (required) fail(source, row, std::string("class.") + key, "required key missing");
        return {};
    }
    if (!node->is_string()) fail(source, *node, std::string("class.") + key, "expected a string");
    return *node->value<std::string>();
}

double positive(const std::string& source, const toml::table& row, const char* key,
                double default_value, bool required) {
    const toml::node* node = row.get(key);
    if (!node) {
        if (required) fail(source, row, std::string("class.") + key, "required key missing");
        return default_value;
    }
    const std::optional<double> v = node->value<double>();
    if (!v || node->is_boolean() || !(*v > 0.0 && *v < 1000.0))
        fail(source, *node, std::string("class.") + key, "expected a number above 0 (and < 1000)");
    return *v;
}

}  // namespace

LandCoverTable read_land_cover_table(const std::string& classes, LandCoverCodeKind kind) {
    LandCoverTable table;
    toml::table root;
    const std::string_view builtin = builtin_land_cover_table(classes);
    if (!builtin.empty()) {
        table.source = "built-in:" + classes;
        check_toml_text(builtin, table.source);
        try {
            root = toml::parse(builtin, std::string_view(table.source));
        } catch (const toml::parse_error& e) {
            throw InputError(table.source + ":" + std::to_string(e.source().begin.line) +
                             ": syntax error: " + std::string(e.description()));
        }
    } else {
        table.source = classes;
        root = detail::parse_toml_file(classes, "land-cover class table");
    }
    const std::string& src = table.source;
    for (auto&& [key, value] : root) {
        const std::string k(key.str());
        if (k != "name" && k != "attribution" && k != "class" && k != "nodata_codes")
            throw InputError(src + ":" + std::to_string(key.source().begin.line) + ": " + k +
                             ": unknown key (known: attribution, class, name, nodata_codes)");
    }
    // Raster values meaning "no land cover" whatever the code kind (e.g. a raster's fill value).
    std::vector<int> extra_nodata;
    if (const toml::node* n = root.get("nodata_codes")) {
        const toml::array* arr = n->as_array();
        if (!arr) fail(src, *n, "nodata_codes", "expected a list of integers");
        for (const toml::node& item : *arr) {
            const std::optional<std::int64_t> v = item.value_exact<std::int64_t>();
            if (!v || *v < -2147483647 || *v > 2147483647)
                fail(src, item, "nodata_codes", "expected a list of integers");
            extra_nodata.push_back(int(*v));
        }
    }
    if (const toml::node* n = root.get("name")) {
        if (!n->is_string()) fail(src, *n, "name", "expected a string");
        table.name = *n->value<std::string>();
    }
    if (const toml::node* n = root.get("attribution")) {
        if (!n->is_string()) fail(src, *n, "attribution", "expected a string");
        table.attribution = *n->value<std::string>();
    }
    if (table.name.empty()) table.name = std::filesystem::path(src).stem().string();
    const toml::node* rows_node = root.get("class");
    const toml::array* rows = rows_node ? rows_node->as_array() : nullptr;
    if (!rows || rows->empty()) throw InputError(src + ": expected one or more [[class]] tables");

    const std::set<std::string> known = {
        "code",           "clc_code",          "name",  "clutter", "clutter_height_m",
        "street_width_m", "location_sigma_db", "nodata"};
    std::set<int> seen;
    for (const toml::node& node : *rows) {
        const toml::table* row = node.as_table();
        if (!row) fail(src, node, "class", "expected [[class]] tables");
        for (auto&& [key, value] : *row)
            if (!known.count(std::string(key.str())))
                throw InputError(src + ":" + std::to_string(key.source().begin.line) + ": class." +
                                 std::string(key.str()) +
                                 ": unknown key (known: clc_code, clutter, clutter_height_m, code, "
                                 "location_sigma_db, name, nodata, street_width_m)");
        const char* code_key = kind == LandCoverCodeKind::clc_code ? "clc_code" : "code";
        if (kind == LandCoverCodeKind::clc_code && !row->get("clc_code"))
            fail(src, *row, "class.clc_code",
                 "required with land_cover.code_kind = \"clc_code\" (this table has no CORINE "
                 "three-digit codes)");
        const int code = integer(src, *row, code_key);
        if (!seen.insert(code).second)
            fail(src, *row->get(code_key), std::string("class.") + code_key,
                 "code " + std::to_string(code) + " appears twice");
        bool nodata = false;
        if (const toml::node* n = row->get("nodata")) {
            if (!n->is_boolean()) fail(src, *n, "class.nodata", "expected true or false");
            nodata = *n->value<bool>();
        }
        LandCoverClass c;
        c.code = code;
        c.name = text(src, *row, "name", true);
        if (nodata) {
            table.nodata_codes.push_back(code);
            continue;
        }
        const std::string type = text(src, *row, "clutter", true);
        const std::optional<ClutterType> t = clutter_type_from_name(type);
        if (!t)
            fail(src, *row->get("clutter"), "class.clutter",
                 "'" + type +
                     "' is not a P.2108 clutter type (water_sea, open_rural, suburban, urban, "
                     "trees_forest, dense_urban)");
        c.clutter = *t;
        c.clutter_height_m =
            positive(src, *row, "clutter_height_m", p2108_default_clutter_height_m(*t), false);
        c.street_width_m = positive(src, *row, "street_width_m", kP2108DefaultStreetWidthM, false);
        c.location_sigma_db = positive(src, *row, "location_sigma_db", 0.0, true);
        table.classes.push_back(std::move(c));
    }
    for (int code : extra_nodata) {
        if (seen.count(code))
            fail(src, *root.get("nodata_codes"), "nodata_codes",
                 "code " + std::to_string(code) + " is also a [[class]] code");
        table.nodata_codes.push_back(code);
    }
    if (table.classes.empty()) throw InputError(src + ": every [[class]] is nodata");
    if (table.classes.size() > kMaxLandCoverClasses)
        throw InputError(src + ": " + std::to_string(table.classes.size()) + " classes; at most " +
                         std::to_string(kMaxLandCoverClasses));
    return table;
}

}  // namespace grenzfunk::io
