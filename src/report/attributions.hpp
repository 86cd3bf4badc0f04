// The attributions the licences of a run's input data require, for the report, its map and the
// KMZ. Which apply is derived from the inputs' file names against a small table of known sources
// (the files data/README.md describes, and files named like them: the provenance is in the name
// BKG, SRTM and OpenCelliD give their downloads); inputs the table does not know are credited by
// the scenario's `export.attributions` lines (docs/border.md, "Attributions").
#pragma once

#include <string>
#include <vector>

#include "report/package.hpp"

namespace grenzfunk::report {

struct Attribution {
    std::string source;       // "BKG VG2500 administrative areas"
    std::string credit;       // the line the licence asks for: "© GeoBasis-DE / BKG (2024)"
    std::string licence;      // "DL-DE-BY-2.0"; "" for scenario lines
    std::string licence_url;  // "" when none
    std::vector<std::string> inputs;  // recorded paths of the inputs it covers
};

// One entry per known source among `inputs` (in the table's order), then one per `extra` line.
std::vector<Attribution> attributions_for(const std::vector<PackageInput>& inputs,
                                          const std::vector<std::string>& extra);

// "credit (licence)" — the text printed on maps and in the KMZ.
std::string attribution_line(const Attribution& a);

}  // namespace grenzfunk::report
