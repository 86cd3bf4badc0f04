// A small key/value parameter set handed to models and antennas by the scenario layer.
// Models stay free of any file format: they read typed values by key, and the scenario layer
// reports any key that nobody consumed (a typo) with its file and line.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>

namespace grenzfunk {

class ParameterSet {
  public:
    using Value = std::variant<double, std::string, bool>;

    void set(const std::string& key, Value value) { values_[key] = std::move(value); }
    bool contains(const std::string& key) const { return values_.count(key) != 0; }

    // Typed getters: return the default when the key is absent, throw InputError naming the key
    // when it holds the wrong type. Every key read is marked as consumed.
    double get_double(const std::string& key, double default_value) const;
    std::string get_string(const std::string& key, const std::string& default_value) const;
    bool get_bool(const std::string& key, bool default_value) const;

    // Keys that were set but never read by any consumer.
    std::set<std::string> unconsumed_keys() const;

    const std::map<std::string, Value>& values() const { return values_; }

  private:
    std::map<std::string, Value> values_;
    mutable std::set<std::string> consumed_;
};

}  // namespace grenzfunk
