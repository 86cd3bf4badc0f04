#include "io/output_folder.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <system_error>

#include "core/error.hpp"
#include "io/checksum.hpp"

namespace grenzfunk::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLockName = ".grenzfunk.lock";
constexpr const char* kStagingPrefix = ".grenzfunk-staging-";
constexpr const char* kStagingMarker = ".grenzfunk-staging";
constexpr const char* kJournalName = ".journal";
constexpr const char* kAsideDir = ".previous";
constexpr const char* kManifestName = "manifest.json";

[[noreturn]] void fail(const fs::path& path, const std::string& reason) {
    throw OutputError(path.string() + ": " + reason);
}

std::string errno_text(int error_number) {
    return std::generic_category().message(error_number);
}

std::string read_small_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A path a manifest may name: relative, normal, no "..", no hidden component (the run's own
// lock and staging names start with '.'). Anything else is ignored, so that a forged manifest
// cannot make a run remove a file elsewhere.
bool plain_relative(const fs::path& p) {
    if (p.empty() || p.is_absolute() || p.has_root_name() || p != p.lexically_normal())
        return false;
    for (const auto& part : p) {
        const std::string s = part.string();
        if (s.empty() || s == "." || s == ".." || s[0] == '.') return false;
    }
    return true;
}

bool process_alive(long pid) {
    if (pid <= 0) return false;
    return ::kill(pid_t(pid), 0) == 0 || errno != ESRCH;
}

void sync_directory(const fs::path& dir) noexcept {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::fsync(fd);
    (void)::close(fd);
}

// Removes the directories between `root` (exclusive) and `file` that are empty.
void remove_empty_parents(const fs::path& root, const fs::path& relative) noexcept {
    std::error_code ec;
    for (fs::path dir = relative.parent_path(); !dir.empty(); dir = dir.parent_path()) {
        if (!fs::is_empty(root / dir, ec) || ec) return;
        fs::remove(root / dir, ec);
    }
}

bool move(const fs::path& from, const fs::path& to) noexcept {
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    return std::rename(from.c_str(), to.c_str()) == 0;
}

// Scratch files of grenzfunk versions before the staging folder: "<name>.tmp-<pid>-<n>" with
// GDAL's and the raster stream's suffixes.
const std::regex& legacy_scratch_pattern() {
    static const std::regex pattern(
        R"(^.+\.tmp-([0-9]{1,9})-[0-9]{1,12}(\.rows|\.ovr\.tmp|\.msk\.ovr\.tmp)?$)");
    return pattern;
}

void remove_legacy_scratch(const fs::path& dir) noexcept {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(dir, ec))) return;
    std::vector<fs::path> stale;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::smatch m;
        const std::string name = it->path().filename().string();
        if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
        if (std::regex_match(name, m, legacy_scratch_pattern()) && !process_alive(std::stol(m[1])))
            stale.push_back(it->path());
    }
    for (const auto& p : stale) fs::remove(p, ec);
}

}  // namespace

void recover_staging_folder(const fs::path& root, const fs::path& staging) noexcept {
    std::error_code ec;
    std::vector<std::string> lines;
    {
        std::istringstream journal(read_small_file(staging / kJournalName));
        for (std::string line; std::getline(journal, line);) lines.push_back(line);
    }
    const bool done = !lines.empty() && lines.back() == "done";
    if (!done) {
        // Undo in reverse: new files placed by the killed run go, the previous files come back.
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
            const auto space = it->find(' ');
            if (space == std::string::npos) continue;
            const std::string verb = it->substr(0, space);
            const fs::path rel = fs::path(it->substr(space + 1));
            if (!plain_relative(rel) && rel != kManifestName) continue;
            if (verb == "place") {
                if (fs::exists(fs::symlink_status(root / rel, ec)) &&
                    !fs::exists(fs::symlink_status(staging / rel, ec)))
                    fs::remove(root / rel, ec);
            } else if (verb == "aside") {
                if (fs::exists(fs::symlink_status(staging / kAsideDir / rel, ec)))
                    move(staging / kAsideDir / rel, root / rel);
            }
        }
    }
    fs::remove_all(staging, ec);
}

OutputFolder::OutputFolder(const fs::path& root) : root_(root.lexically_normal()) {
    if (root_.empty()) root_ = ".";
    std::error_code ec;
    const auto status = fs::status(root_, ec);
    if (fs::exists(status)) {
        if (!fs::is_directory(status)) fail(root_, "exists and is not a directory");
    } else {
        // Remember the topmost directory created, to take it away again if the run fails.
        fs::path missing = fs::absolute(root_, ec);
        while (missing.has_parent_path() && missing.parent_path() != missing &&
               !fs::exists(missing.parent_path(), ec))
            missing = missing.parent_path();
        fs::create_directories(root_, ec);
        if (ec) fail(root_, "cannot create the folder (" + ec.message() + ")");
        created_ = missing;
    }
    try {
        acquire_lock();
        clean_up_after_killed_runs();
        read_previous_manifest();
        static std::atomic<unsigned long> counter{0};
        for (;;) {
            staging_ = root_ / (std::string(kStagingPrefix) + std::to_string(::getpid()) + "-" +
                                std::to_string(++counter));
            if (::mkdir(staging_.c_str(), 0777) == 0) break;
            if (errno != EEXIST)
                fail(root_, "cannot create the staging folder '" + staging_.filename().string() +
                                "': " + errno_text(errno));
        }
        std::ofstream marker(staging_ / kStagingMarker);
        marker << "grenzfunk staging folder of process " << ::getpid()
               << ": removed by the next run into this folder if left behind\n";
        if (!marker) fail(staging_, "cannot write the staging marker");
    } catch (...) {
        release();
        throw;
    }
}

OutputFolder::~OutputFolder() {
    release();
}

void OutputFolder::release() noexcept {
    std::error_code ec;
    if (journal_fd_ >= 0) ::close(journal_fd_), journal_fd_ = -1;
    if (!staging_.empty()) {
        fs::remove_all(staging_, ec);
        staging_.clear();
    }
    if (lock_fd_ >= 0) {
        // Unlinked while still held: a run that opened the old file sees that it is gone (the
        // inode check in acquire_lock) and takes a fresh one.
        fs::remove(root_ / kLockName, ec);
        ::close(lock_fd_);
        lock_fd_ = -1;
    }
    if (!created_.empty() && !committed_) {
        // This object made the folder and the run left nothing in it: take it away again.
        for (fs::path dir = fs::absolute(root_, ec);; dir = dir.parent_path()) {
            if (!fs::is_empty(dir, ec) || ec || !fs::remove(dir, ec)) break;
            if (dir == created_ || !dir.has_parent_path() || dir.parent_path() == dir) break;
        }
        created_.clear();
    }
}

void OutputFolder::acquire_lock() {
    const fs::path lock_path = root_ / kLockName;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) fail(lock_path, "cannot open the lock file: " + errno_text(errno));
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int lock_errno = errno;
            const std::string holder = read_small_file(lock_path);
            ::close(fd);
            if (lock_errno == EWOULDBLOCK) {
                std::string pid;
                for (char c : holder)
                    if (c >= '0' && c <= '9')
                        pid += c;
                    else if (!pid.empty())
                        break;
                fail(root_, "another grenzfunk run" +
                                (pid.empty() ? "" : " (process " + pid + ")") +
                                " is writing into this folder; wait for it to end or choose "
                                "another output folder");
            }
            fail(lock_path, "cannot lock: " + errno_text(lock_errno));
        }
        // The file may have been unlinked by the run that held it between our open and flock.
        struct stat held {
        }, now{};
        if (::fstat(fd, &held) == 0 && ::stat(lock_path.c_str(), &now) == 0 &&
            held.st_ino == now.st_ino && held.st_dev == now.st_dev) {
            const std::string text = "grenzfunk run, process " + std::to_string(::getpid()) + "\n";
            if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, text.data(), text.size(), 0);
            lock_fd_ = fd;
            return;
        }
        ::close(fd);
    }
    fail(lock_path, "cannot take the lock: the lock file keeps changing");
}

void OutputFolder::clean_up_after_killed_runs() {
    // The lock is held: no live run uses a staging folder here.
    std::error_code ec;
    std::vector<fs::path> stale;
    for (auto it = fs::directory_iterator(root_, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(kStagingPrefix, 0) == 0 && it->is_directory(ec) && !it->is_symlink(ec) &&
            fs::is_regular_file(fs::symlink_status(it->path() / kStagingMarker, ec)))
            stale.push_back(it->path());
    }
    for (const auto& s : stale) recover_staging_folder(root_, s);
    remove_legacy_scratch(root_);
    remove_legacy_scratch(root_ / "cells");
    remove_legacy_scratch(root_ / "regulator_package");
}

void OutputFolder::read_previous_manifest() {
    std::error_code ec;
    const fs::path path = root_ / kManifestName;
    if (!fs::is_regular_file(fs::symlink_status(path, ec))) return;
    try {
        const nlohmann::json m = nlohmann::json::parse(read_small_file(path));
        if (!m.is_object() || !m.contains("software") || !m["software"].is_string() ||
            m["software"].get<std::string>().rfind("grenzfunk", 0) != 0)
            return;
        previous_manifest_is_ours_ = true;
        for (const char* key : {"outputs", "files"}) {
            if (!m.contains(key) || !m[key].is_array()) continue;
            for (const auto& entry : m[key]) {
                if (!entry.is_object() || !entry.contains("file") || !entry.contains("sha256") ||
                    !entry["file"].is_string() || !entry["sha256"].is_string())
                    continue;
                const fs::path rel = fs::path(entry["file"].get<std::string>());
                if (plain_relative(rel)) previous_[rel] = entry["sha256"].get<std::string>();
            }
        }
    } catch (const nlohmann::json::exception&) {
        previous_manifest_is_ours_ = false;  // not JSON: not a licence for anything
        previous_.clear();
    }
}

bool OutputFolder::may_replace(const fs::path& relative) const {
    std::error_code ec;
    const fs::path target = root_ / relative;
    if (!fs::is_regular_file(fs::symlink_status(target, ec))) return false;
    if (relative == kManifestName) return previous_manifest_is_ours_;
    const auto it = previous_.find(relative);
    if (it == previous_.end()) return false;
    try {
        return sha256_file_hex(target.string()) == it->second;
    } catch (const InputError&) {
        return false;
    }
}

void OutputFolder::check_replaceable(const fs::path& relative) const {
    std::error_code ec;
    // Every directory on the way must be a real directory inside the folder, not a link out.
    fs::path dir = root_;
    for (auto part = relative.begin(); part != relative.end(); ++part) {
        if (std::next(part) == relative.end()) break;
        dir /= *part;
        const auto st = fs::symlink_status(dir, ec);
        if (!fs::exists(st)) break;
        if (fs::is_symlink(st) || !fs::is_directory(st))
            fail(dir, "is in the way of the output '" + relative.generic_string() +
                          "' (not a plain directory)");
    }
    const fs::path target = root_ / relative;
    const auto st = fs::symlink_status(target, ec);
    if (!fs::exists(st)) return;
    if (fs::is_directory(st)) fail(target, "a directory of that name is in the way");
    if (!may_replace(relative))
        fail(target,
             "exists and is not a file of the previous grenzfunk run in this folder (its "
             "manifest.json does not list it with a matching SHA-256); grenzfunk does not "
             "replace it: move it away or choose another output folder");
}

std::filesystem::path OutputFolder::staging_path(const fs::path& relative) {
    const fs::path p = staging_ / relative;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec) fail(root_ / relative, "cannot create a staging directory (" + ec.message() + ")");
    return p;
}

std::filesystem::path OutputFolder::scratch_path(const std::string& stem) {
    return staging_ / (".scratch-" + std::to_string(++scratch_counter_) + "-" + stem);
}

void OutputFolder::journal(const std::string& line) {
    if (journal_fd_ < 0) {
        journal_fd_ = ::open((staging_ / kJournalName).c_str(),
                             O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (journal_fd_ < 0) fail(staging_ / kJournalName, "cannot create: " + errno_text(errno));
    }
    const std::string text = line + "\n";
    if (::write(journal_fd_, text.data(), text.size()) != ssize_t(text.size()) ||
        ::fdatasync(journal_fd_) != 0)
        fail(staging_ / kJournalName, "cannot write: " + errno_text(errno));
}

void OutputFolder::apply(const std::vector<fs::path>& relatives) {
    for (const auto& rel : relatives) check_replaceable(rel);
    // The previous run's files this run does not write again go too, if still unchanged.
    std::vector<fs::path> aside;
    std::error_code ec;
    for (const auto& rel : relatives)
        if (fs::exists(fs::symlink_status(root_ / rel, ec))) aside.push_back(rel);
    for (const auto& [rel, sha] : previous_)
        if (std::find(relatives.begin(), relatives.end(), rel) == relatives.end() &&
            may_replace(rel))
            aside.push_back(rel);
    // The manifest goes in last: until then the folder's record is the previous run's.
    std::vector<fs::path> order = relatives;
    std::stable_partition(order.begin(), order.end(),
                          [](const fs::path& p) { return p != kManifestName; });
    try {
        for (const auto& rel : aside) {
            journal("aside " + rel.generic_string());
            if (!move(root_ / rel, staging_ / kAsideDir / rel))
                fail(root_ / rel,
                     "cannot move the previous run's file aside: " + errno_text(errno));
            moved_aside_.push_back(rel);
        }
        for (const auto& rel : order) {
            journal("place " + rel.generic_string());
            if (!move(staging_ / rel, root_ / rel))
                fail(root_ / rel, "cannot move the new file into place: " + errno_text(errno));
            placed_.push_back(rel);
        }
    } catch (...) {
        roll_back();
        throw;
    }
    std::set<fs::path> dirs;
    for (const auto& rel : order) dirs.insert((root_ / rel).parent_path());
    for (const auto& d : dirs) sync_directory(d);
}

void OutputFolder::roll_back() noexcept {
    for (auto it = placed_.rbegin(); it != placed_.rend(); ++it) {
        move(root_ / *it, staging_ / *it);
        remove_empty_parents(root_, *it);
    }
    for (auto it = moved_aside_.rbegin(); it != moved_aside_.rend(); ++it)
        move(staging_ / kAsideDir / *it, root_ / *it);
    placed_.clear();
    moved_aside_.clear();
    if (journal_fd_ >= 0) ::close(journal_fd_), journal_fd_ = -1;
    std::error_code ec;
    fs::remove(staging_ / kJournalName, ec);
}

void OutputFolder::finish() noexcept {
    try {
        journal("done");
    } catch (...) {
        // Without "done" a later run would roll this commit back: drop the journal instead.
        std::error_code ec;
        fs::remove(staging_ / kJournalName, ec);
    }
    for (const auto& rel : moved_aside_) remove_empty_parents(root_, rel);
    committed_ = true;
    if (journal_fd_ >= 0) ::close(journal_fd_), journal_fd_ = -1;
    std::error_code ec;
    fs::remove_all(staging_, ec);
    staging_.clear();
    sync_directory(root_);
}

}  // namespace grenzfunk::io
