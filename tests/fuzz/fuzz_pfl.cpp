// libFuzzer harness: the ITM pfl profile reader (read_pfl, src/io/path_cases.hpp), used by
// `grenzfunk path --profile` and by the cases reader. Only InputError is expected.
#include "core/error.hpp"
#include "fuzz_common.hpp"
#include "validation/path_cases.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = grenzfunk::fuzz::as_text(data, size);
    const auto path = grenzfunk::fuzz::temp_dir().write("profile.pfl", text);
    try {
        (void)grenzfunk::validation::read_pfl(path);
    } catch (const grenzfunk::InputError&) {
    }
    return 0;
}
