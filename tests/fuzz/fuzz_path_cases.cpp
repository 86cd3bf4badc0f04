// libFuzzer harness: the point-to-point cases reader (read_path_cases, src/io/path_cases.hpp).
// Input: the cases CSV, optionally followed by a line "%%" and the text of a profile. The CSV
// goes to cases.csv and the profile to c.pfl in a directory of this process, which is also the
// profiles directory: a case with id "c" (or a pfl column naming "c.pfl") finds it. Only
// InputError is expected.
#include "core/error.hpp"
#include "fuzz_common.hpp"
#include "validation/path_cases.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = grenzfunk::fuzz::as_text(data, size);
    const std::size_t split = input.find("\n%%\n");
    const std::string_view csv = input.substr(0, split);
    const std::string_view profile =
        split == std::string_view::npos ? std::string_view() : input.substr(split + 4);
    const auto& dir = grenzfunk::fuzz::temp_dir();
    dir.write("c.pfl", profile);
    const auto csv_path = dir.write("cases.csv", csv);
    try {
        (void)grenzfunk::validation::read_path_cases(csv_path, dir.path());
    } catch (const grenzfunk::InputError&) {
    }
    return 0;
}
