#include "io/candidates_csv.hpp"

#include <map>

#include "core/error.hpp"
#include "io/text_input.hpp"

namespace grenzfunk::io {

std::vector<CandidatePosition> parse_candidates_csv(std::string_view text,
                                                    const std::string& source_name) {
    const std::vector<detail::CsvRecord> records = detail::split_csv(text);
    if (records.empty()) throw InputError(source_name + ": empty candidates file (no header)");
    const auto fail = [&](std::size_t line, const std::string& column, const std::string& what) {
        throw InputError(source_name + ":" + std::to_string(line) + ": " + column + ": " + what);
    };
    std::map<std::string, std::size_t> column;
    const detail::CsvRecord& header = records.front();
    if (!header.syntax_error.empty()) fail(header.line, "header", header.syntax_error);
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name(detail::trim(header.fields[i]));
        if (name != "lat_deg" && name != "lon_deg" && name != "antenna_height_agl_m" &&
            name != "candidate_id")
            fail(header.line, name,
                 "unknown column (known: lat_deg, lon_deg, antenna_height_agl_m, candidate_id)");
        if (!column.emplace(name, i).second) fail(header.line, name, "column given twice");
    }
    for (const char* required : {"lat_deg", "lon_deg"})
        if (!column.count(required)) fail(header.line, required, "required column missing");
    std::vector<CandidatePosition> out;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const detail::CsvRecord& rec = records[r];
        if (!rec.syntax_error.empty()) fail(rec.line, "row", rec.syntax_error);
        if (rec.fields.size() != header.fields.size())
            fail(rec.line, "row",
                 std::to_string(rec.fields.size()) + " fields, the header has " +
                     std::to_string(header.fields.size()));
        const auto field = [&](const char* name) -> std::string_view {
            const auto it = column.find(name);
            return it == column.end() ? std::string_view() : detail::trim(rec.fields[it->second]);
        };
        const auto number = [&](const char* name, double low, double high, bool open) {
            std::string why;
            const std::optional<double> v = detail::parse_double(field(name), why);
            if (!v) fail(rec.line, name, why);
            if (open ? !(*v > low && *v < high) : !(*v >= low && *v <= high))
                fail(rec.line, name,
                     detail::format_number(*v) + " is out of range " + (open ? "(" : "[") +
                         detail::format_number(low) + ", " + detail::format_number(high) +
                         (open ? ")" : "]"));
            return *v;
        };
        CandidatePosition c;
        c.source = source_name + ":" + std::to_string(rec.line);
        c.lat_deg = number("lat_deg", -90.0, 90.0, false);
        c.lon_deg = number("lon_deg", -180.0, 180.0, false);
        if (!field("antenna_height_agl_m").empty())
            c.antenna_height_agl_m = number("antenna_height_agl_m", 0.0, 1000.0, true);
        c.candidate_id = std::string(field("candidate_id"));
        if (c.candidate_id.empty()) c.candidate_id = "row" + std::to_string(rec.line);
        out.push_back(std::move(c));
    }
    if (out.empty()) throw InputError(source_name + ": no candidate rows");
    return out;
}

std::vector<CandidatePosition> read_candidates_csv(const std::filesystem::path& path) {
    return parse_candidates_csv(detail::read_text_file(path, "candidates file"), path.string());
}

}  // namespace grenzfunk::io
