// Locale-independent text formatting for the files grenzfunk writes (CSV, JSON, reports): a
// German desktop locale must not turn 1.5 into "1,5", and the same numbers give the same bytes.
#pragma once

#include <string>
#include <string_view>

namespace grenzfunk::text {

// Fixed-point with `decimals` digits, always a decimal point; "-0.0" is written as "0.0";
// non-finite values as `nan_text`.
std::string format_fixed(double value, int decimals, std::string_view nan_text = "nan");

// All 17 significant digits ("%.17g" in the C locale): reads back as the same double, for
// parameters written into metadata and messages.
std::string format_round_trip(double value);

// A JSON string literal, quoted, with quotes, backslashes and control characters escaped.
std::string json_string(std::string_view s);
// A JSON number with `decimals` digits, or null when not finite.
std::string json_number(double value, int decimals);

// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
std::string csv_field(std::string_view s);

// ASCII lower case.
std::string to_lower(std::string_view s);

// ASCII case-insensitive equality (country codes, keys).
bool iequals(std::string_view a, std::string_view b);

}  // namespace grenzfunk::text
