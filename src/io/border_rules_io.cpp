#include "io/border_rules_io.hpp"
#include "io/toml_file.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <locale>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

#include "core/error.hpp"
#include "io/scenario.hpp"
#include "io/text_input.hpp"
#include "io/toml.hpp"

namespace grenzfunk::io {

bool parse_technology(const std::string& text, Technology& out) {
    std::string upper;
    for (char c : text) upper += char(std::toupper(static_cast<unsigned char>(c)));
    for (Technology t : {Technology::gsm, Technology::umts, Technology::lte, Technology::nr})
        if (upper == technology_name(t)) {
            out = t;
            return true;
        }
    return false;
}

namespace {

std::string number_text(double v) {
    std::ostringstream s;
    s.imbue(std::locale::classic());
    s << v;
    return s.str();
}

class RuleReader {
  public:
    RuleReader(const std::string& path, const toml::table& table, std::size_t index)
        : path_(path), table_(table) {
        where_ = path_ + ":" + std::to_string(table.source().begin.line);
        prefix_ = "rule[" + std::to_string(index) + "]";
    }

    [[noreturn]] void fail(const toml::node* node, const std::string& key,
                           const std::string& what) const {
        const std::string at =
            node ? path_ + ":" + std::to_string(node->source().begin.line) : where_;
        throw InputError(at + ": " + prefix_ + "." + key + ": " + what);
    }

    const toml::node& required(const char* key) const {
        const toml::node* node = table_.get(key);
        if (!node) fail(nullptr, key, "required key missing");
        return *node;
    }

    double number(const char* key, std::optional<double> default_value, double min_value,
                  double max_value) const {
        const toml::node* node = table_.get(key);
        if (!node) {
            if (!default_value) fail(nullptr, key, "required key missing");
            return *default_value;
        }
        const std::optional<double> v = node->value<double>();
        if (!v || node->is_boolean()) fail(node, key, "expected a number");
        if (!(*v >= min_value && *v <= max_value))
            fail(node, key,
                 number_text(*v) + " is out of range [" + number_text(min_value) + ", " +
                     number_text(max_value) + "]");
        return *v;
    }

    std::string string(const char* key, std::optional<std::string> default_value) const {
        const toml::node* node = table_.get(key);
        if (!node) {
            if (!default_value) fail(nullptr, key, "required key missing");
            return *default_value;
        }
        if (!node->is_string()) fail(node, key, "expected a string");
        return *node->value<std::string>();
    }

    const std::string& where() const { return where_; }
    const std::string& prefix() const { return prefix_; }
    void set_prefix(std::string p) { prefix_ = std::move(p); }

  private:
    const std::string& path_;
    const toml::table& table_;
    std::string where_;
    std::string prefix_;
};

}  // namespace

std::vector<BorderRule> read_border_rules(const std::string& path) {
    const toml::table root = detail::parse_toml_file(path, "rules file");
    const toml::array* arr = &detail::only_array_of_tables(root, path, "rule");

    const std::set<std::string> known = {"id",
                                         "description",
                                         "technologies",
                                         "band_mhz",
                                         "limit_dbuv_per_m",
                                         "reference_bandwidth_mhz",
                                         "rx_height_agl_m",
                                         "distance_km",
                                         "time_percent",
                                         "location_percent",
                                         "model",
                                         "model_parameters",
                                         "source",
                                         "verified",
                                         "code_class",
                                         "compare_model",
                                         "compare_model_parameters"};
    std::vector<BorderRule> out;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const toml::table* t = (*arr)[i].as_table();
        if (!t) throw InputError(path + ": rule[" + std::to_string(i) + "]: expected a table");
        RuleReader r(path, *t, i);
        for (auto&& [key, value] : *t)
            if (!known.count(std::string(key.str()))) {
                std::string list;
                for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
                throw InputError(path + ":" + std::to_string(key.source().begin.line) + ": " +
                                 r.prefix() + "." + std::string(key.str()) +
                                 ": unknown key (known: " + list + ")");
            }
        BorderRule rule;
        rule.where = r.where();
        rule.id = r.string("id", std::nullopt);
        if (rule.id.empty()) r.fail(t->get("id"), "id", "must not be empty");
        std::string prefix = "rule '";  // (appended, not concatenated: GCC 12 -Wrestrict bug)
        prefix.append(rule.id).append("'");
        r.set_prefix(prefix);
        if (!ids.insert(rule.id).second)
            r.fail(t->get("id"), "id", "used by an earlier rule; ids must be unique");
        rule.description = r.string("description", std::string());
        {
            const std::string cls = r.string("code_class", std::string("any"));
            if (cls == "any")
                rule.code_class = CodeClass::any;
            else if (cls == "preferential")
                rule.code_class = CodeClass::preferential;
            else if (cls == "non-preferential")
                rule.code_class = CodeClass::non_preferential;
            else
                r.fail(t->get("code_class"), "code_class",
                       "expected \"preferential\", \"non-preferential\" or \"any\", got '" + cls +
                           "'");
        }
        {
            const toml::node& node = r.required("technologies");
            const toml::array* list = node.as_array();
            if (!list || list->empty())
                r.fail(&node, "technologies", "expected a list such as [\"LTE\", \"NR\"]");
            for (const auto& item : *list) {
                Technology tech;
                if (!item.is_string() || !parse_technology(*item.value<std::string>(), tech)) {
                    std::string got = "expected GSM, UMTS, LTE or NR, got ";
                    if (item.is_string())
                        got.append("'").append(*item.value<std::string>()).append("'");
                    else
                        got.append("a non-string");
                    r.fail(&item, "technologies", got);
                }
                rule.technologies.push_back(tech);
            }
        }
        {
            const toml::node& node = r.required("band_mhz");
            const toml::array* band = node.as_array();
            if (!band || band->size() != 2 || !(*band)[0].value<double>() ||
                !(*band)[1].value<double>())
                r.fail(&node, "band_mhz", "expected [lowest, highest] carrier frequency in MHz");
            rule.band_min_mhz = *(*band)[0].value<double>();
            rule.band_max_mhz = *(*band)[1].value<double>();
            if (!(rule.band_min_mhz > 0.0 && rule.band_min_mhz <= rule.band_max_mhz))
                r.fail(&node, "band_mhz", "need 0 < lowest <= highest");
        }
        rule.limit_dbuv_per_m = r.number("limit_dbuv_per_m", std::nullopt, -50.0, 200.0);
        rule.reference_bandwidth_mhz =
            r.number("reference_bandwidth_mhz", std::nullopt, 0.001, 1000.0);
        rule.rx_height_agl_m = r.number("rx_height_agl_m", 3.0, 0.5, 100.0);
        rule.distance_km = r.number("distance_km", std::nullopt, 0.0, 200.0);
        rule.time_percent = r.number("time_percent", 10.0, 1.0, 50.0);
        rule.location_percent = r.number("location_percent", 50.0, 1.0, 99.0);
        rule.model = r.string("model", BorderRule{}.model);
        rule.source = r.string("source", std::nullopt);
        if (rule.source.empty()) r.fail(t->get("source"), "source", "must name the document");
        {
            const toml::node& node = r.required("verified");
            if (!node.is_boolean()) r.fail(&node, "verified", "expected true or false");
            rule.verified = *node.value<bool>();
        }
        auto read_parameters = [&](const char* name, ParameterSet& into) {
            const toml::node* params = t->get(name);
            if (!params) return;
            const toml::table* pt = params->as_table();
            if (!pt) r.fail(params, name, "expected a table");
            for (auto&& [key, value] : *pt) {
                const std::string k(key.str());
                if (value.is_boolean())
                    into.set(k, *value.value<bool>());
                else if (value.is_number())
                    into.set(k, *value.value<double>());
                else if (value.is_string())
                    into.set(k, *value.value<std::string>());
                else
                    r.fail(&value, std::string(name) + "." + k,
                           "expected a number, string or boolean");
            }
        };
        read_parameters("model_parameters", rule.model_parameters);
        rule.compare_model = r.string("compare_model", std::string());
        read_parameters("compare_model_parameters", rule.compare_model_parameters);
        if (rule.compare_model.empty() && t->get("compare_model_parameters"))
            r.fail(t->get("compare_model_parameters"), "compare_model_parameters",
                   "given without compare_model");
        out.push_back(std::move(rule));
    }
    return out;
}

namespace {

// Concatenation by append (GCC 12 warns falsely, -Wrestrict, on some `"..." + std::string` chains).
std::string cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (std::string_view p : parts) out.append(p);
    return out;
}

// The code kind of a technology and its range (3GPP TS 36.211 6.11: 504 LTE PCIs; TS 38.211
// 7.4.2.1: 1008 NR PCIs; TS 25.213 5.2.2: 512 primary scrambling codes; GSM ARFCNs 0-1023,
// TS 45.005 2).
struct CodeSpec {
    CodeKind kind;
    int max_code;
};
CodeSpec code_spec(Technology t) {
    switch (t) {
        case Technology::lte:
            return {CodeKind::pci, 503};
        case Technology::nr:
            return {CodeKind::pci, 1007};
        case Technology::umts:
            return {CodeKind::psc, 511};
        case Technology::gsm:
        case Technology::other:
            break;
    }
    return {CodeKind::arfcn, 1023};
}

}  // namespace

std::vector<PreferentialCodes> read_preferential_codes(const std::string& path) {
    const toml::table root = detail::parse_toml_file(path, "codes file");
    auto line_of = [&](const toml::node& n) {
        return path + ":" + std::to_string(n.source().begin.line);
    };
    const toml::array* pairs = &detail::only_array_of_tables(root, path, "pair");

    std::vector<PreferentialCodes> out;
    for (std::size_t i = 0; i < pairs->size(); ++i) {
        const toml::table* pt = (*pairs)[i].as_table();
        std::string prefix = "pair[";
        prefix.append(std::to_string(i)).append("]");
        if (!pt) throw InputError(path + ": " + prefix + ": expected a table");
        auto fail = [&](const toml::node* node, const toml::node& table, const std::string& key,
                        const std::string& what) -> void {
            throw InputError((node ? line_of(*node) : line_of(table)) + ": " + key + ": " + what);
        };
        auto string_key = [&](const toml::table& t, const std::string& pre, const char* key,
                              bool required) {
            const toml::node* n = t.get(key);
            if (!n) {
                if (required) fail(nullptr, t, pre + "." + key, "required key missing");
                return std::string();
            }
            if (!n->is_string()) fail(n, t, pre + "." + key, "expected a string");
            return *n->value<std::string>();
        };
        for (auto&& [key, value] : *pt) {
            const std::string k(key.str());
            if (k != "home_country" && k != "neighbour_country" && k != "set")
                throw InputError(path + ":" + std::to_string(key.source().begin.line) + ": " +
                                 prefix + "." + k +
                                 ": unknown key (known: home_country, neighbour_country, set)");
        }
        PreferentialCodes pc;
        pc.where = line_of(*pt);
        pc.home_country = string_key(*pt, prefix, "home_country", true);
        pc.neighbour_country = string_key(*pt, prefix, "neighbour_country", true);
        for (const auto& earlier : out)
            if (detail::iequals(earlier.home_country, pc.home_country) &&
                detail::iequals(earlier.neighbour_country, pc.neighbour_country))
                fail(pt->get("home_country"), *pt, prefix,
                     cat({"a second entry for ", pc.home_country, " -> ", pc.neighbour_country,
                          " (first at ", earlier.where, ")"}));
        const toml::node* sets_node = pt->get("set");
        const toml::array* sets = sets_node ? sets_node->as_array() : nullptr;
        if (!sets || sets->empty())
            fail(sets_node, *pt, prefix + ".set", "expected one or more [[pair.set]] tables");
        for (std::size_t j = 0; j < sets->size(); ++j) {
            const toml::table* st = (*sets)[j].as_table();
            std::string sp = prefix;
            sp.append(".set[").append(std::to_string(j)).append("]");
            if (!st) fail(&(*sets)[j], *pt, sp, "expected a table");
            for (auto&& [key, value] : *st) {
                const std::string k(key.str());
                if (k != "technology" && k != "code" && k != "preferential" && k != "description" &&
                    k != "source" && k != "verified")
                    throw InputError(path + ":" + std::to_string(key.source().begin.line) + ": " +
                                     sp + "." + k +
                                     ": unknown key (known: technology, code, preferential, "
                                     "description, source, verified)");
            }
            PreferentialCodeSet set;
            set.where = line_of(*st);
            const std::string tech = string_key(*st, sp, "technology", true);
            if (!parse_technology(tech, set.technology))
                fail(st->get("technology"), *st, sp + ".technology",
                     cat({"expected GSM, UMTS, LTE or NR, got '", tech, "'"}));
            for (const auto& other : pc.sets)
                if (other.technology == set.technology)
                    fail(st->get("technology"), *st, sp + ".technology",
                         cat({"a second set for ", tech, " (first at ", other.where, ")"}));
            const CodeSpec spec = code_spec(set.technology);
            const std::string kind = string_key(*st, sp, "code", true);
            if (kind != code_kind_name(spec.kind))
                fail(st->get("code"), *st, sp + ".code",
                     cat({"a ", technology_name(set.technology), " set lists '",
                          code_kind_name(spec.kind), "' codes, got '", kind, "'"}));
            set.kind = spec.kind;
            const toml::node* pref = st->get("preferential");
            const toml::array* ranges = pref ? pref->as_array() : nullptr;
            if (!ranges)
                fail(pref, *st, sp + ".preferential",
                     "expected a list of [first, last] code ranges");
            for (const auto& item : *ranges) {
                const toml::array* pair = item.as_array();
                const std::optional<std::int64_t> a =
                    pair && pair->size() == 2 ? (*pair)[0].value<std::int64_t>() : std::nullopt;
                const std::optional<std::int64_t> b =
                    pair && pair->size() == 2 ? (*pair)[1].value<std::int64_t>() : std::nullopt;
                if (!a || !b || (*pair)[0].is_floating_point() || (*pair)[1].is_floating_point())
                    fail(&item, *st, sp + ".preferential",
                         "expected [first, last] with two integer codes");
                if (*a < 0 || *b > spec.max_code || *a > *b)
                    fail(&item, *st, sp + ".preferential",
                         cat({"[", std::to_string(*a), ", ", std::to_string(*b),
                              "]: need 0 <= first <= last <= ", std::to_string(spec.max_code)}));
                set.preferential.push_back({int(*a), int(*b)});
            }
            set.description = string_key(*st, sp, "description", false);
            set.source = string_key(*st, sp, "source", true);
            if (set.source.empty())
                fail(st->get("source"), *st, sp + ".source", "must name the document");
            const toml::node* v = st->get("verified");
            if (!v) fail(nullptr, *st, sp + ".verified", "required key missing");
            if (!v->is_boolean()) fail(v, *st, sp + ".verified", "expected true or false");
            set.verified = *v->value<bool>();
            pc.sets.push_back(std::move(set));
        }
        out.push_back(std::move(pc));
    }
    return out;
}

const PreferentialCodes* find_code_pair(const std::vector<PreferentialCodes>& all,
                                        const std::string& home, const std::string& neighbour) {
    for (const auto& pc : all)
        if (detail::iequals(pc.home_country, home) &&
            detail::iequals(pc.neighbour_country, neighbour))
            return &pc;
    return nullptr;
}

}  // namespace grenzfunk::io
