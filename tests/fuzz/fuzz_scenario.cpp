// libFuzzer harness: the scenario reader (src/io/scenario.hpp), including the guard against
// toml++ 3.3.0's undefined behaviour on non-ASCII text (check_toml_text). read_scenario takes a
// path, so the input goes to a file of this process first. Only InputError is expected.
#include "core/error.hpp"
#include "fuzz_common.hpp"
#include "io/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path =
        grenzfunk::fuzz::temp_dir().write("scenario.toml", grenzfunk::fuzz::as_text(data, size));
    try {
        (void)grenzfunk::io::read_scenario(path);
    } catch (const grenzfunk::InputError&) {
    }
    return 0;
}
