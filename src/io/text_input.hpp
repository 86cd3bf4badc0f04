// Shared helpers for the text-file readers of the I/O layer (sites CSV, OpenCelliD import):
// RFC 4180 record splitting with line numbers, locale-independent numbers, collected error
// reporting, and the plausibility limits a Cell's values must meet.
//
// Internal to src/io: nothing outside the I/O layer should include this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cell.hpp"

namespace grenzfunk::io::detail {

// ---- CSV records (RFC 4180) ----------------------------------------------------------------

// One record of a CSV text. Fields keep their text exactly (quotes removed, "" unescaped).
struct CsvRecord {
    std::size_t line = 0;  // 1-based line on which the record starts
    std::vector<std::string> fields;
    std::string syntax_error;  // non-empty when the record is malformed (e.g. stray quote)
};

// Splits `text` into records: fields separated by ',', records by LF or CRLF; a field in double
// quotes may hold commas, line breaks and doubled quotes (""). A leading UTF-8 byte-order mark is
// skipped, and empty lines are skipped. An unterminated quote ends the text with a syntax error on
// the record where it started.
std::vector<CsvRecord> split_csv(std::string_view text);

// The same, one record at a time, for files too large to hold as records (10^6-row sites
// files): next() fills `rec` (reusing its strings) and returns false at the end.
class CsvReader {
  public:
    explicit CsvReader(std::string_view text);
    bool next(CsvRecord& rec);

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

// Reads a whole file; throws InputError("<path>: cannot open ...") if it cannot.
std::string read_text_file(const std::filesystem::path& path, std::string_view what);

// ---- Values --------------------------------------------------------------------------------

std::string_view trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive
std::string quoted(std::string_view s);                // 'text', for messages

// Locale-independent number parsing (std::from_chars): the decimal separator is always '.', so a
// German locale cannot change the result. Accepts surrounding blanks and a leading '+'. Returns
// the value, or nullopt with `why` set to a user-facing reason ("'50,3' has a decimal comma ...").
std::optional<double> parse_double(std::string_view text, std::string& why);
std::optional<std::int64_t> parse_integer(std::string_view text, std::string& why);

// Shortest round-trip text of a number, locale-independent (std::to_chars).
std::string format_number(double value);

// "GSM", "UMTS", "LTE", "NR" (any letter case) -> Technology; anything else -> nullopt.
std::optional<Technology> parse_technology(std::string_view text);

// ---- Plausibility limits of a Cell ---------------------------------------------------------

// A closed or half-open interval with the words used in messages.
struct Limit {
    double min;
    double max;
    bool min_inclusive;
    bool max_inclusive;
    const char* unit;  // for messages, e.g. "m", "dBm"
};

// The one place where the limits of cell values are defined (used by every cell reader and by the
// OpenCelliD default overrides).
namespace limits {
inline constexpr Limit lat_deg{-90.0, 90.0, true, true, "deg"};
inline constexpr Limit lon_deg{-180.0, 180.0, true, true, "deg"};
inline constexpr Limit antenna_height_agl_m{0.0, 1000.0, false, false, "m"};
inline constexpr Limit azimuth_deg{0.0, 360.0, true, true, "deg"};
inline constexpr Limit tilt_deg{-90.0, 90.0, true, true, "deg"};
inline constexpr Limit frequency_mhz{0.0, 100000.0, false, true, "MHz"};
inline constexpr Limit bandwidth_mhz{0.0, 1000.0, false, true, "MHz"};
inline constexpr Limit eirp_dbm{-50.0, 100.0, true, true, "dBm"};
}  // namespace limits

// Empty when `value` lies within `limit`, else e.g. "95 is out of range [-90, 90] deg".
std::string check_limit(double value, const Limit& limit);

// ---- Error collection ----------------------------------------------------------------------

// Collects every error of one input file, so that the user sees all of them at once and nothing
// is computed from a partly bad file. Each entry reads "<file>:<line>: <column>: <what>".
class ErrorList {
  public:
    explicit ErrorList(std::string file_name, std::size_t max_listed = 20)
        : file_(std::move(file_name)), max_listed_(max_listed) {}

    void add(std::size_t line, std::string_view column, std::string_view what);
    void add_row(std::size_t line, std::string_view what);  // an error of the whole row
    void add_file(std::string_view what);                   // an error of the whole file

    bool empty() const { return count_ == 0; }
    std::size_t count() const { return count_; }

    // Throws one InputError listing the first `max_listed` errors and "... and N more errors";
    // does nothing when there were none.
    void throw_if_any() const;

  private:
    void push(std::string entry);

    std::string file_;
    std::size_t max_listed_;
    std::size_t count_ = 0;
    std::vector<std::string> listed_;
};

}  // namespace grenzfunk::io::detail
