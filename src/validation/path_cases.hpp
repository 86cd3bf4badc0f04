// Point-to-point case files for `grenzfunk path`: a CSV of ITM inputs, one terrain profile per
// case in ITM's "pfl" layout, and a CSV of results.
//
// Input CSV (the layout of the ITM region reference set, e.g. tests/data/itm_region/cases.csv):
//   lines starting with '#' and blank lines are skipped; the first other line is the header;
//   columns are matched by name, in any order, and unknown columns (expected values,
//   coordinates, ...) are ignored. Required columns, with the reference release's names:
//     id            case name (also names the default profile file)
//     h_tx__meter   h_rx__meter   structural antenna heights, m
//     climate       1..7 (ITM radio climate)
//     N_0           surface refractivity at sea level, N-units
//     f__mhz        frequency, MHz
//     pol           0 horizontal, 1 vertical
//     epsilon       sigma     relative permittivity, conductivity in S/m
//     mdvar         mode of variability code (0..3, +10, +20)
//     time  location  situation   percentages; or instead `confidence` and `reliability`
//   Optional column `pfl`: the profile file of the case, relative to the profiles directory.
//   The profiles directory is the one given, else the CSV's directory when a `pfl` column
//   exists, else `<CSV directory>/profiles` holding `<id>.pfl`.
// Profile file: numbers separated by white space or commas: the number of intervals n, the
//   interval length in metres, then the n + 1 elevations in metres. Limits (kMaxProfile...
//   below; beyond them no model is specified): n a whole number in [1, 4 000 000], the interval
//   length in [1, 10 000] m, n x length at most 3000 km, elevations in [-500, 9000] m.
// Case values outside ITM's physical ranges are not rejected here: ITM reports them per case
//   (NaN loss). Malformed input (missing column, a field that is not a number, an unknown
//   climate, polarization or mdvar code, a missing or malformed profile, a profile outside the
//   limits above) throws InputError naming the file, the line and the column.
//
// Output CSV: header `id,loss_db,prop_mode,warnings`, one line per case in input order.
//   loss_db   basic transmission loss, 4 decimals ("nan" when ITM reports an error);
//   prop_mode ITM's code: 1 line of sight, 2 diffraction, 3 troposcatter, 0 on error;
//   warnings  ITM's warning bit mask as a decimal integer (the reference release's values).
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "propagation/itm.hpp"

namespace grenzfunk::validation {

// Limits of a terrain profile, for pfl files and for the profiles `grenzfunk path` samples.
inline constexpr std::size_t kMaxProfileIntervals = 4'000'000;
inline constexpr double kMinProfileStepM = 1.0;
inline constexpr double kMaxProfileStepM = 10000.0;
inline constexpr double kMaxProfileLengthKm = 3000.0;  // P.1812's limit, the longest of any model
inline constexpr double kMinProfileHeightM = -500.0;   // below the Dead Sea shore
inline constexpr double kMaxProfileHeightM = 9000.0;   // above Mount Everest

struct PathCase {
    std::string id;
    std::size_t line = 0;  // line of the case in the input CSV, 1-based
    propagation::itm::Inputs inputs;
    std::vector<double> pfl;  // ITM pfl layout: n, step_m, n + 1 elevations
    std::filesystem::path profile_path;
};

struct PathCaseOutcome {
    std::string id;
    propagation::itm::Result result;
};

// Reads the cases and their profiles. profiles_dir empty: the default described above.
// Both throw Cancelled (core/error.hpp) between cases when `cancel` (optional) becomes true.
std::vector<PathCase> read_path_cases(const std::filesystem::path& csv_path,
                                      const std::filesystem::path& profiles_dir = {},
                                      const std::atomic<bool>* cancel = nullptr);

// Reads one profile file in pfl layout.
std::vector<double> read_pfl(const std::filesystem::path& path);

// Runs ITM point-to-point on each case (serially, in order).
std::vector<PathCaseOutcome> run_path_cases(const std::vector<PathCase>& cases,
                                            const std::atomic<bool>* cancel = nullptr);

// Writes the results CSV. The file variant throws OutputError when it cannot be written.
void write_path_case_results(std::ostream& out, const std::vector<PathCaseOutcome>& outcomes);
void write_path_case_results(const std::filesystem::path& path,
                             const std::vector<PathCaseOutcome>& outcomes);

}  // namespace grenzfunk::validation
