#include "io/text_input.hpp"
#include "core/text_format.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

#include "core/error.hpp"

namespace grenzfunk::io::detail {

// ---- CSV records ---------------------------------------------------------------------------

CsvReader::CsvReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte-order mark
}

bool CsvReader::next(CsvRecord& rec) {
    const std::string_view text = text_;
    const std::size_t n = text.size();
    std::size_t pos = pos_;
    std::size_t line = line_;

    // Consumes a line break at `pos` (LF, CRLF or a lone CR); returns false if there is none.
    auto eat_line_break = [&]() {
        if (pos < n && text[pos] == '\r') {
            ++pos;
            if (pos < n && text[pos] == '\n') ++pos;
            ++line;
            return true;
        }
        if (pos < n && text[pos] == '\n') {
            ++pos;
            ++line;
            return true;
        }
        return false;
    };

    while (pos < n && eat_line_break()) {
    }  // empty lines
    if (pos >= n) {
        pos_ = pos;
        line_ = line;
        return false;
    }
    // The record's field strings are reused (cleared, not freed): no allocation per field once
    // the first rows have sized them.
    rec.line = line;
    rec.syntax_error.clear();
    std::size_t count = 0;
    bool end_of_record = false;
    while (!end_of_record) {
        if (count == rec.fields.size()) rec.fields.emplace_back();
        std::string& field = rec.fields[count];
        field.clear();
        if (pos < n && text[pos] == '"') {
            ++pos;
            bool closed = false;
            while (pos < n) {
                char c = text[pos];
                if (c == '"') {
                    if (pos + 1 < n && text[pos + 1] == '"') {
                        field += '"';
                        pos += 2;
                        continue;
                    }
                    ++pos;
                    closed = true;
                    break;
                }
                if (c == '\n' || (c == '\r' && (pos + 1 >= n || text[pos + 1] != '\n'))) ++line;
                field += c;
                ++pos;
            }
            if (!closed) {
                if (rec.syntax_error.empty())
                    rec.syntax_error =
                        "unterminated quoted field (a '\"' without its closing "
                        "'\"'); the rest of the file was not read";
            } else if (pos < n && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
                if (rec.syntax_error.empty())
                    rec.syntax_error = std::string("unexpected '") + text[pos] +
                                       "' after a closing quote (field " +
                                       std::to_string(count + 1) + ")";
                while (pos < n && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r')
                    field += text[pos++];
            }
        } else {
            const std::size_t start = pos;
            while (pos < n && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
                if (text[pos] == '"' && rec.syntax_error.empty())
                    rec.syntax_error = "stray '\"' inside an unquoted field (field " +
                                       std::to_string(count + 1) +
                                       "); quote the whole field and double inner quotes";
                ++pos;
            }
            field.assign(text.data() + start, pos - start);
        }
        ++count;
        if (pos < n && text[pos] == ',') {
            ++pos;  // another field follows (possibly empty, at the end of the line)
        } else {
            eat_line_break();
            end_of_record = true;
        }
    }
    rec.fields.resize(count);
    pos_ = pos;
    line_ = line;
    return true;
}

std::vector<CsvRecord> split_csv(std::string_view text) {
    std::vector<CsvRecord> records;
    CsvReader reader(text);
    for (CsvRecord rec; reader.next(rec);) records.push_back(rec);
    return records;
}

std::string read_text_file(const std::filesystem::path& path, std::string_view what) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InputError(path.string() + ": cannot read " + std::string(what) +
                         ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path.string() + ": cannot open " + std::string(what) +
                         " (missing or not readable)");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw InputError(path.string() + ": error while reading " + std::string(what));
    return std::move(buffer).str();
}

// ---- Values --------------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

namespace {
bool looks_like_decimal_comma(std::string_view s) {
    // digits, exactly one ',', digits (optionally signed): "50,319", "-3,5"
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
    auto comma = s.find(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 == s.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != comma && (s[i] < '0' || s[i] > '9')) return false;
    return true;
}

}  // namespace

std::string quoted(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out.append(1, '\'').append(s).append(1, '\'');
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return text::iequals(a, b);
}

std::optional<double> parse_double(std::string_view text, std::string& why) {
    std::string_view s = trim(text);
    if (s.empty()) {
        why = "empty, expected a number";
        return std::nullopt;
    }
    std::string_view digits = s;
    if (digits.front() == '+') digits.remove_prefix(1);
    double value = 0.0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value,
                                     std::chars_format::general);
    if (ec == std::errc::result_out_of_range) {
        why = quoted(s) + " is too large or too small to be represented";
        return std::nullopt;
    }
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || digits.empty()) {
        if (looks_like_decimal_comma(s))
            why = quoted(s) + " has a decimal comma; write numbers with a decimal point";
        else
            why = quoted(s) + " is not a number";
        return std::nullopt;
    }
    if (!std::isfinite(value)) {
        why = quoted(s) + " is not a finite number";
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> parse_integer(std::string_view text, std::string& why) {
    std::string_view s = trim(text);
    if (s.empty()) {
        why = "empty, expected an integer";
        return std::nullopt;
    }
    std::string_view digits = s;
    if (digits.front() == '+') digits.remove_prefix(1);
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc::result_out_of_range) {
        why = quoted(s) + " is too large for an integer";
        return std::nullopt;
    }
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || digits.empty()) {
        why = quoted(s) + " is not an integer";
        return std::nullopt;
    }
    return value;
}

std::string format_number(double value) {
    // Shortest text that reads back to the same double; plain digits ("100000", not "1e+05") for
    // the magnitudes that occur in input files, exponent notation beyond.
    std::array<char, 64> buf{};
    const double magnitude = std::fabs(value);
    const auto format = (magnitude == 0.0 || (magnitude >= 1e-4 && magnitude < 1e15))
                            ? std::chars_format::fixed
                            : std::chars_format::general;
    auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value, format);
    if (ec != std::errc{}) return "?";
    return std::string(buf.data(), ptr);
}

std::optional<Technology> parse_technology(std::string_view text) {
    std::string_view s = trim(text);
    if (iequals(s, "GSM")) return Technology::gsm;
    if (iequals(s, "UMTS")) return Technology::umts;
    if (iequals(s, "LTE")) return Technology::lte;
    if (iequals(s, "NR")) return Technology::nr;
    return std::nullopt;
}

std::string check_limit(double value, const Limit& limit) {
    bool ok_min = limit.min_inclusive ? value >= limit.min : value > limit.min;
    bool ok_max = limit.max_inclusive ? value <= limit.max : value < limit.max;
    if (ok_min && ok_max) return {};
    return format_number(value) + " is out of range " + (limit.min_inclusive ? "[" : "(") +
           format_number(limit.min) + ", " + format_number(limit.max) +
           (limit.max_inclusive ? "]" : ")") + " " + limit.unit;
}

// ---- Error collection ----------------------------------------------------------------------

void ErrorList::push(std::string entry) {
    ++count_;
    if (listed_.size() < max_listed_) listed_.push_back(std::move(entry));
}

void ErrorList::add(std::size_t line, std::string_view column, std::string_view what) {
    push(file_ + ":" + std::to_string(line) + ": " + std::string(column) + ": " +
         std::string(what));
}

void ErrorList::add_row(std::size_t line, std::string_view what) {
    push(file_ + ":" + std::to_string(line) + ": " + std::string(what));
}

void ErrorList::add_file(std::string_view what) {
    push(file_ + ": " + std::string(what));
}

void ErrorList::throw_if_any() const {
    if (count_ == 0) return;
    if (count_ == 1) throw InputError(listed_.front());
    std::string message = file_ + ": " + std::to_string(count_) + " errors, nothing was read:";
    for (const auto& entry : listed_) message += "\n  " + entry;
    if (count_ > listed_.size())
        message += "\n  ... and " + std::to_string(count_ - listed_.size()) + " more errors";
    throw InputError(message);
}

}  // namespace grenzfunk::io::detail
