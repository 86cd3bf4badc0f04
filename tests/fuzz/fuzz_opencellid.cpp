// libFuzzer harness: the OpenCelliD importer (src/io/opencellid.hpp), without and with
// overridden defaults. Only InputError is an expected outcome.
#include "core/error.hpp"
#include "core/parameters.hpp"
#include "fuzz_common.hpp"
#include "io/opencellid.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = grenzfunk::fuzz::as_text(data, size);
    try {
        (void)grenzfunk::io::parse_opencellid(text, "fuzz.csv");
    } catch (const grenzfunk::InputError&) {
    }
    try {
        grenzfunk::ParameterSet params;
        params.set("lte_frequency_mhz", 1815.0);
        params.set("gsm_eirp_dbm", 58.0);
        (void)grenzfunk::io::parse_opencellid(text, "fuzz.csv", params);
    } catch (const grenzfunk::InputError&) {
    }
    return 0;
}
