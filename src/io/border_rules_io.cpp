#include "io/border_rules_io.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <locale>
#include <set>
#include <sstream>

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
    if (!std::filesystem::exists(path)) throw InputError(path + ": rules file does not exist");
    const std::string text = detail::read_text_file(path, "rules file");
    check_toml_text(text, path);  // Debian's toml++ 3.3.0 and non-ASCII text (scenario.hpp)
    toml::table root;
    try {
        root = toml::parse(std::string_view(text), std::string_view(path));
    } catch (const toml::parse_error& e) {
        throw InputError(path + ":" + std::to_string(e.source().begin.line) +
                         ": syntax error: " + std::string(e.description()));
    }
    for (auto&& [key, value] : root)
        if (key.str() != "rule")
            throw InputError(path + ":" + std::to_string(key.source().begin.line) + ": " +
                             std::string(key.str()) + ": unknown key (known: rule)");
    const toml::node* rules_node = root.get("rule");
    const toml::array* arr = rules_node ? rules_node->as_array() : nullptr;
    if (!arr || arr->empty()) throw InputError(path + ": expected one or more [[rule]] tables");

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
                                         "verified"};
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
        rule.model = r.string("model", std::string("p1546"));
        rule.source = r.string("source", std::nullopt);
        if (rule.source.empty()) r.fail(t->get("source"), "source", "must name the document");
        {
            const toml::node& node = r.required("verified");
            if (!node.is_boolean()) r.fail(&node, "verified", "expected true or false");
            rule.verified = *node.value<bool>();
        }
        if (const toml::node* params = t->get("model_parameters")) {
            const toml::table* pt = params->as_table();
            if (!pt) r.fail(params, "model_parameters", "expected a table");
            for (auto&& [key, value] : *pt) {
                const std::string k(key.str());
                if (value.is_boolean())
                    rule.model_parameters.set(k, *value.value<bool>());
                else if (value.is_number())
                    rule.model_parameters.set(k, *value.value<double>());
                else if (value.is_string())
                    rule.model_parameters.set(k, *value.value<std::string>());
                else
                    r.fail(&value, "model_parameters." + k, "expected a number, string or boolean");
            }
        }
        out.push_back(std::move(rule));
    }
    return out;
}

}  // namespace grenzfunk::io
