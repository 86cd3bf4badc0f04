// Error type used across grenzfunk. Only the CLI's main() catches it, prints the one-line
// message and chooses the exit code; the hot loops never throw (models return flags instead).
#pragma once

#include <stdexcept>
#include <string>

namespace grenzfunk {

// An error in the user's input (scenario, sites, terrain, parameters). The message is complete
// and user-facing: it names the file, line or field, e.g. "sites.csv:12: eirp_dbm: not a number".
class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Output could not be written (disk full, permissions). Partial files have been removed.
class OutputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A long step stopped because the user asked (Ctrl-C, SIGTERM): nothing was written. The CLI
// exits 130.
class Cancelled : public std::runtime_error {
  public:
    Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace grenzfunk
