// GCC 12 reports a false -Wrestrict inside std::string's operator+ chains at -O2 (GCC bug
// 105329), as in report_render.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include "report/attributions.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace grenzfunk::report {

namespace {

struct KnownSource {
    const char* name_part;  // lower-case part of the file name that identifies the source
    const char* source;
    const char* credit;
    const char* licence;
    const char* licence_url;
};

// The credit lines as the licences (and data/README.md) state them. BKG: DL-DE-BY-2.0 §2
// requires the source note "© GeoBasis-DE / BKG (year of the data)" and a note that the data were
// changed; the VG2500 files here are the 2024 release, reprojected and clipped. SRTM is public
// domain (US Government work); NASA asks for the credit line. OpenCelliD: CC BY-SA 4.0 §3(a).
// Natural Earth is public domain and asks for "Made with Natural Earth".
constexpr KnownSource kKnownSources[] = {
    {"bkg_vg2500", "BKG Verwaltungsgebiete 1:2 500 000 (VG2500)",
     "\xC2\xA9 GeoBasis-DE / BKG (2024), modified", "DL-DE-BY-2.0",
     "https://www.govdata.de/dl-de/by-2-0"},
    {"vg2500", "BKG Verwaltungsgebiete 1:2 500 000 (VG2500)",
     "\xC2\xA9 GeoBasis-DE / BKG (2024), modified", "DL-DE-BY-2.0",
     "https://www.govdata.de/dl-de/by-2-0"},
    {"srtm", "Shuttle Radar Topography Mission", "SRTM v2.1 3-arc-second DEM, NASA/NGA/USGS",
     "public domain", ""},
    {".hgt", "Shuttle Radar Topography Mission", "SRTM v2.1 3-arc-second DEM, NASA/NGA/USGS",
     "public domain", ""},
    {"opencellid", "OpenCelliD cell database", "OpenCelliD Project, CC BY-SA 4.0", "CC BY-SA 4.0",
     "https://creativecommons.org/licenses/by-sa/4.0/"},
    {"ne10m", "Natural Earth 1:10m Cultural Vectors", "Made with Natural Earth", "public domain",
     "https://www.naturalearthdata.com"},
};

std::string lower_file_name(const std::string& path) {
    std::string name = std::filesystem::path(path).filename().string();
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

}  // namespace

std::vector<Attribution> attributions_for(const std::vector<PackageInput>& inputs,
                                          const std::vector<std::string>& extra) {
    std::vector<Attribution> out;
    for (const PackageInput& in : inputs) {
        const std::string name = lower_file_name(in.path);
        for (const KnownSource& k : kKnownSources) {
            if (name.find(k.name_part) == std::string::npos) continue;
            auto it = std::find_if(out.begin(), out.end(),
                                   [&](const Attribution& a) { return a.credit == k.credit; });
            if (it == out.end()) {
                out.push_back({k.source, k.credit, k.licence, k.licence_url, {}});
                it = out.end() - 1;
            }
            if (std::find(it->inputs.begin(), it->inputs.end(), in.path) == it->inputs.end())
                it->inputs.push_back(in.path);
            break;  // one source per file
        }
    }
    // Keep the table's order whatever the inputs' order: the same sources give the same text.
    std::stable_sort(out.begin(), out.end(), [](const Attribution& a, const Attribution& b) {
        auto rank = [](const Attribution& x) {
            for (std::size_t i = 0; i < std::size(kKnownSources); ++i)
                if (x.credit == kKnownSources[i].credit) return i;
            return std::size(kKnownSources);
        };
        return rank(a) < rank(b);
    });
    for (const std::string& line : extra)
        out.push_back({"scenario (export.attributions)", line, "", "", {}});
    return out;
}

std::string attribution_line(const Attribution& a) {
    // The OpenCelliD credit already names its licence.
    if (a.licence.empty() || a.credit.find(a.licence) != std::string::npos) return a.credit;
    return a.credit + " (" + a.licence + ")";
}

}  // namespace grenzfunk::report
