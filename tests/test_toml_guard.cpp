// The guard against toml++ 3.3.0's undefined behaviour on non-ASCII text outside strings
// (check_toml_text, src/io/scenario.hpp), on its own and in the scenario and rules readers.
#include <catch2/catch.hpp>
#include <string>

#include "core/error.hpp"
#include "io/border_rules_io.hpp"
#include "io/scenario.hpp"
#include "test_helpers.hpp"

using grenzfunk::InputError;
using grenzfunk::io::check_toml_text;

namespace {

// The message check_toml_text throws for `text`, or "" when it accepts it.
std::string guard_message(const std::string& text) {
    try {
        check_toml_text(text, "s.toml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("toml guard: a non-ASCII key start is an error naming the file and line", "[scenario]") {
    const std::string message = guard_message("name = \"x\"\n\n\xC3\xB6 = 1\n");
    CHECK_THAT(message, Catch::StartsWith("s.toml:3: non-ASCII character '\xC3\xB6'"));
    CHECK_THAT(message, Catch::Contains("outside a quoted string or comment"));
    for (const char* text : {"  \xC3\xB6 = 1", "[\xC3\xB6]", "[[a.\xC3\xB6]]", "a.\xC3\xB6 = 1",
                             "a = {\xC3\xB6 = 1}", "a = {b = 1, \xC3\xB6 = 2}", "a\xC3\xB6 = 1"})
        CHECK_THAT(guard_message(text), Catch::StartsWith("s.toml:1: non-ASCII character"));
}

TEST_CASE("toml guard: non-ASCII values and trailing text outside quotes are errors",
          "[scenario]") {
    // toml++ 3.3.0 tests each of these characters for white space, where it reaches an
    // "unreachable" branch.
    for (const char* text :
         {"a = \xC3\xB6", "a = 1 \xC3\xB6", "a = [1, \xC3\xB6]", "a = 1979-05-27T07:32:00\xC3\xB6",
          "[a] \xC3\xB6", "a = \"\"\xC3\xB6", "a = \"\"\"x\"\"\"\"\" \xE3\x80\x80"})
        CHECK_THAT(guard_message(text), Catch::StartsWith("s.toml:1: non-ASCII character"));
    CHECK_THAT(guard_message("a = \"\"\"\\\n\n  \xC3\xB6\"\"\""),
               Catch::StartsWith("s.toml:3: non-ASCII character '\xC3\xB6' after a backslash"));
    CHECK_THAT(guard_message("a = \"\"\"\\\xC3\xB6\"\"\""), Catch::Contains("after a backslash"));
}

TEST_CASE("toml guard: non-ASCII text in strings, quoted keys and comments is accepted",
          "[scenario]") {
    for (const char* text : {"name = \"M\xC3\xBCnchen\"", "name = 'M\xC3\xBCnchen'",
                             "# Gr\xC3\xBC\xC3\x9F"
                             "e\na = 1",
                             "a = 1 # \xC3\xB6", "\"\xC3\xB6\" = 1", "a.'\xC3\xB6' = 1",
                             "a = \"\"\"\n\xC3\xB6\n\"\"\"", "a = '''\n\\\n\xC3\xB6'''",
                             "a = \"\\\"\xC3\xB6\"", "a = \"\"\"x\"\"\"\"\"\nb = 2",
                             "\xEF\xBB\xBF"
                             "a = 1",
                             "a = [\n# \xC3\xB6\n1]"})
        CHECK(guard_message(text).empty());
}

TEST_CASE("toml guard: the scenario and rules readers run it before toml++", "[scenario]") {
    const grenzfunk::test::TempDir dir;
    const auto scenario = dir / "s.toml";
    grenzfunk::test::write_file(scenario, "name = \"x\"\n\xC3\xB6 = 1\n");
    CHECK_THROWS_WITH(grenzfunk::io::read_scenario(scenario.string()),
                      Catch::StartsWith(scenario.string() + ":2: non-ASCII character"));
    const auto rules = dir / "rules.toml";
    grenzfunk::test::write_file(rules, "[[rule]]\nid = \"a\"\n[rule.\xC3\xB6]\n");
    CHECK_THROWS_WITH(grenzfunk::io::read_border_rules(rules.string()),
                      Catch::StartsWith(rules.string() + ":3: non-ASCII character"));
}

TEST_CASE("toml guard: a control character outside strings and comments is an error",
          "[scenario]") {
    // Found by fuzz_scenario: toml++ 3.3.0 fails an internal precondition on "[\x1e...]".
    CHECK(guard_message("a = 1\n[\x1eut]") ==
          "s.toml:2: control character U+001E outside a quoted string or comment");
    CHECK_THAT(guard_message("[[\x01]]"), Catch::Contains("control character U+0001"));
    CHECK_THAT(guard_message("[\x7f]"), Catch::Contains("control character U+007F"));
    CHECK(guard_message("a = 1\r\n\tb = 2 # \x01\n").empty());
}

TEST_CASE("toml guard: a quote right after a value is an error (toml++ reads on through it)",
          "[scenario]") {
    // Found by fuzz_scenario (tests/fuzz/regression/scenario/toml_quote_after_value).
    CHECK(guard_message("name =0\"gr\xC3\xBC\xC3\x9F"
                        "e\" ##  ") ==
          "s.toml:1: a quote right after '0' (a string starts a key or follows '=', ',', '[' or "
          "'{')");
    CHECK_THAT(guard_message("a = 1\nb = true'x'"),
               Catch::StartsWith("s.toml:2: a quote right after 'e'"));
    // Valid places: keys (also after a line break), dotted keys, values, arrays, inline tables.
    for (const char* text :
         {"\"k\" = 1", "a.\"b\".'c' = 1", "a = \"x\"", "a = [\"x\", 'y']", "a = [ # c\n  \"x\",\n]",
          "t = { \"k\" = \"v\" }", "[\"t\"]\n[[\"u\"]]", "a = 1\n\"b\" = 2", "a = '''x''' # \"\n"})
        CHECK(guard_message(text).empty());
}
