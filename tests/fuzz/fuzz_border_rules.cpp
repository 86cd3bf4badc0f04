// libFuzzer harness: the border rules reader (src/io/border_rules_io.hpp). read_border_rules
// takes a path, so the input goes to a file of this process first. Only InputError is expected.
#include "core/error.hpp"
#include "fuzz_common.hpp"
#include "io/border_rules_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path =
        grenzfunk::fuzz::temp_dir().write("rules.toml", grenzfunk::fuzz::as_text(data, size));
    try {
        (void)grenzfunk::io::read_border_rules(path);
    } catch (const grenzfunk::InputError&) {
    }
    return 0;
}
