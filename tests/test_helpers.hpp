// Shared helpers for the tests: temporary directories, running the CLI, reading files.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>

namespace grenzfunk::test {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() / ("grenzfunk-test-" + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

  private:
    fs::path path_;
};

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

// Runs the grenzfunk CLI with the given arguments (a shell-quoted string).
inline CommandResult run_cli(const std::string& args, const std::string& env = "") {
    const fs::path log = fs::temp_directory_path() /
                         ("grenzfunk-cli-" + std::to_string(std::random_device{}()) + ".log");
    const std::string command = env + " '" + std::string(GRENZFUNK_CLI_PATH) + "' " + args + " >'" +
                                log.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.output = read_file(log);
    fs::remove(log);
    return r;
}

inline std::string data_path(const std::string& relative) {
    return std::string(GRENZFUNK_TEST_DATA_DIR) + "/" + relative;
}
inline std::string source_path(const std::string& relative) {
    return std::string(GRENZFUNK_SOURCE_DIR) + "/" + relative;
}

}  // namespace grenzfunk::test
