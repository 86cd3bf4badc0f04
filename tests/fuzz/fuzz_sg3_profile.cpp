// libFuzzer harness: the ITU-R SG3 profile reader (parse_sg3_profile,
// src/validation/sg3_profile.hpp). Only InputError is expected.
#include <sstream>

#include "core/error.hpp"
#include "fuzz_common.hpp"
#include "validation/sg3_profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in{std::string(grenzfunk::fuzz::as_text(data, size))};
    try {
        (void)grenzfunk::validation::parse_sg3_profile(in, "fuzz.csv");
    } catch (const grenzfunk::InputError&) {
    }
    return 0;
}
