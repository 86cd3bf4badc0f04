// One-time GDAL set-up for grenzfunk and collection of GDAL's own error messages.
//
// GDAL reports problems through a process-wide error handler that, by default, prints them raw
// to stderr. initialise_gdal() registers the drivers once and installs a handler that instead
// records each message in a per-thread list (GDAL calls the handler on the thread that raised
// the error, so no locking is needed). Code that calls GDAL opens a GdalMessages scope and, when
// a call fails, puts scope.summary() into the one-line InputError/OutputError it throws.
#pragma once

#include <string>
#include <vector>

namespace grenzfunk::io {

// Registers all GDAL drivers and installs the collecting error handler. Idempotent and safe to
// call from several threads at once (std::call_once). Debug messages are passed on to GDAL's
// default printer only when CPL_DEBUG is set, so `CPL_DEBUG=ON grenzfunk ...` still works.
void initialise_gdal();

// Captures the GDAL messages raised on the calling thread while it is alive. Scopes nest: an
// inner scope sees the messages raised since it opened; the outermost scope clears the list when
// it opens and when it closes, so messages never leak from one operation into the next.
class GdalMessages {
  public:
    GdalMessages();  // calls initialise_gdal()
    ~GdalMessages();
    GdalMessages(const GdalMessages&) = delete;
    GdalMessages& operator=(const GdalMessages&) = delete;

    // True if GDAL raised a CE_Failure or CE_Fatal on this thread since the scope opened.
    bool has_failure() const;
    // Failures since the scope opened, in order, duplicates removed.
    std::vector<std::string> failures() const;
    // Warnings since the scope opened, in order, duplicates removed.
    std::vector<std::string> warnings() const;
    // One line for an error message: the first four failures joined by "; ", or the warnings if
    // there were no failures, or "no message from GDAL" if there was nothing at all.
    std::string summary() const;

  private:
    std::size_t start_;
};

}  // namespace grenzfunk::io
