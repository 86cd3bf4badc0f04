// libFuzzer harness: the cell file reader (src/io/sites_csv.hpp). Only InputError is an
// expected outcome; any other exception, crash or sanitizer report is a finding.
#include "core/error.hpp"
#include "fuzz_common.hpp"
#include "io/sites_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)grenzfunk::io::parse_sites_csv(grenzfunk::fuzz::as_text(data, size), "fuzz.csv");
    } catch (const grenzfunk::InputError&) {
    }
    return 0;
}
