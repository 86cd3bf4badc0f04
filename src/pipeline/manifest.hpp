// The run's manifest.json: every file of the run under the output folder with what it holds,
// its unit, size and SHA-256. It is also the record the next run into the folder trusts to
// replace files (io/output_folder.hpp), so it lists every file the run wrote there.
#pragma once

#include <string>

#include "pipeline/stage.hpp"

namespace grenzfunk::pipeline {

std::string run_manifest_json(const RunContext& run);

}  // namespace grenzfunk::pipeline
