// Tests that need a feature of the machine they run on: a small tmpfs mounted by the test
// (root or CAP_SYS_ADMIN; the disk-full and read-only cases) or the de_DE.UTF-8 locale (built by
// tools/setup-debian.sh). Without the feature such a test FAILS, naming what is missing, unless
// its opt-out variable is set to 1; then it warns and skips what needs the feature:
//   GRENZFUNK_TEST_ALLOW_MISSING_TMPFS=1   (e.g. a developer's machine, not root)
//   GRENZFUNK_TEST_ALLOW_MISSING_LOCALE=1  (no de_DE.UTF-8 locale)
// Include after <catch2/catch.hpp>.
#pragma once

#include <locale.h>
#include <sys/mount.h>

#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace grenzfunk::test {

inline bool opted_out(const char* variable) {
    const char* value = std::getenv(variable);
    return value && std::string(value) == "1";
}

// Whether the C library has the locale `name` (without changing the current one).
inline bool locale_installed(const char* name) {
    const locale_t l = ::newlocale(LC_ALL_MASK, name, static_cast<locale_t>(nullptr));
    if (l == static_cast<locale_t>(nullptr)) return false;
    ::freelocale(l);
    return true;
}

// A tmpfs mounted on `where` (created if missing) with mount(2) options and flags; unmounted at
// the end. error() says why the mount failed.
class SmallTmpfs {
  public:
    SmallTmpfs(const std::filesystem::path& where, const char* options, unsigned long flags)
        : path_(where) {
        std::filesystem::create_directories(path_);
        mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", flags, options) == 0;
        if (!mounted_)
            error_ = "cannot mount a tmpfs (" + std::string(options) + ") on " + path_.string() +
                     ": " + std::strerror(errno) + " (needs root or CAP_SYS_ADMIN)";
    }
    ~SmallTmpfs() {
        if (mounted_) ::umount(path_.c_str());
    }
    SmallTmpfs(const SmallTmpfs&) = delete;
    SmallTmpfs& operator=(const SmallTmpfs&) = delete;
    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }

  private:
    std::filesystem::path path_;
    bool mounted_ = false;
    std::string error_;
};

}  // namespace grenzfunk::test

// Fails the test with `reason` when `available` is false, or, when the variable `opt_out`
// (a string literal) is set to 1, warns and returns from the test case.
#define GRENZFUNK_REQUIRE_ENVIRONMENT(available, opt_out, reason)                       \
    do {                                                                                \
        if (!(available)) {                                                             \
            if (::grenzfunk::test::opted_out(opt_out)) {                                \
                WARN("SKIPPED (" opt_out "=1): " << reason);                            \
                return;                                                                 \
            }                                                                           \
            FAIL(reason << "; provide it (tools/test.sh does, as root) or set " opt_out \
                           "=1 to skip this test");                                     \
        }                                                                               \
    } while (false)
