#include "core/parameters.hpp"

#include "core/error.hpp"

namespace grenzfunk {

namespace {
const char* type_name(const ParameterSet::Value& v) {
    if (std::holds_alternative<double>(v)) return "a number";
    if (std::holds_alternative<std::string>(v)) return "a string";
    return "a boolean";
}
}  // namespace

double ParameterSet::get_double(const std::string& key, double default_value) const {
    auto it = values_.find(key);
    if (it == values_.end()) return default_value;
    consumed_.insert(key);
    if (const double* d = std::get_if<double>(&it->second)) return *d;
    throw InputError(key + ": expected a number, got " + type_name(it->second));
}

std::string ParameterSet::get_string(const std::string& key,
                                     const std::string& default_value) const {
    auto it = values_.find(key);
    if (it == values_.end()) return default_value;
    consumed_.insert(key);
    if (const std::string* s = std::get_if<std::string>(&it->second)) return *s;
    throw InputError(key + ": expected a string, got " + type_name(it->second));
}

bool ParameterSet::get_bool(const std::string& key, bool default_value) const {
    auto it = values_.find(key);
    if (it == values_.end()) return default_value;
    consumed_.insert(key);
    if (const bool* b = std::get_if<bool>(&it->second)) return *b;
    throw InputError(key + ": expected true or false, got " + type_name(it->second));
}

std::set<std::string> ParameterSet::unconsumed_keys() const {
    std::set<std::string> out;
    for (const auto& [key, value] : values_)
        if (!consumed_.count(key)) out.insert(key);
    return out;
}

}  // namespace grenzfunk
