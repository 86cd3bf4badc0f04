// One folder a run writes into, and the rule a run follows there (README, "Where a run writes"):
//
// - The run holds the folder's lock (".grenzfunk.lock", flock(2)) from its start to its end: a
//   second run into the same folder fails at once with a clear message. The kernel releases the
//   lock when a process dies, so a killed run never leaves the folder locked.
// - Every new file is written inside the folder, into the run's staging folder
//   (".grenzfunk-staging-<pid>-<n>/", marked by a ".grenzfunk-staging" file), and moved into
//   place only once every file of the run is complete.
// - The run replaces or removes only files that the previous run's manifest.json lists with a
//   SHA-256 that still matches the file. Anything else (a user's notes, a QGIS project, a file
//   edited since) is left as it is; a new file whose name is taken by such a file is an error,
//   and nothing is moved then.
// - Files of the previous run that this run does not write again are removed with the commit, so
//   the folder holds one run's results, never a mix.
// - A staging folder left by a killed run is recognised by its marker and removed by the next run
//   into the folder; if the kill came during a commit, the commit is rolled back first (from the
//   staging folder's journal), so the previous results are whole again. Scratch files of older
//   grenzfunk versions ("<name>.tmp-<pid>-<n>[.rows]" of a process that no longer runs) are
//   removed too.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace grenzfunk::io {

class OutputFolder {
  public:
    // Creates `root` if it does not exist, takes its lock, cleans up after killed runs and reads
    // the previous run's manifest. Throws OutputError (the folder is in use, cannot be created or
    // is not a directory).
    explicit OutputFolder(const std::filesystem::path& root);
    // Removes the staging folder and releases the lock; a folder this object created is removed
    // again if the run left nothing in it.
    ~OutputFolder();
    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;

    const std::filesystem::path& root() const { return root_; }
    // Where a new file at `relative` (to the root) is written until the commit; creates the
    // directories it needs.
    std::filesystem::path staging_path(const std::filesystem::path& relative);
    // A unique scratch name inside the staging folder (removed with it).
    std::filesystem::path scratch_path(const std::string& stem);

    // Throws OutputError if a file at `relative` exists and the run may not replace it.
    void check_replaceable(const std::filesystem::path& relative) const;

    // Moves the staged files (relative paths, staged with staging_path) into place and the
    // previous run's files aside, journalled. On failure everything is put back and OutputError
    // is thrown. After apply(), either finish() or roll_back().
    void apply(const std::vector<std::filesystem::path>& relatives);
    void roll_back() noexcept;
    // Removes the staging folder with the previous run's files moved aside.
    void finish() noexcept;

  private:
    void release() noexcept;
    void acquire_lock();
    void clean_up_after_killed_runs();
    void read_previous_manifest();
    bool may_replace(const std::filesystem::path& relative) const;
    void journal(const std::string& line);

    std::filesystem::path root_;
    std::filesystem::path created_;  // the topmost directory this object created, if any
    std::filesystem::path staging_;
    int lock_fd_ = -1;
    int journal_fd_ = -1;
    unsigned long scratch_counter_ = 0;
    // The previous run's files: relative path -> SHA-256 listed in its manifest.json.
    std::map<std::filesystem::path, std::string> previous_;
    bool previous_manifest_is_ours_ = false;
    // During a commit: what was moved, for roll_back().
    std::vector<std::filesystem::path> moved_aside_, placed_;
    bool committed_ = false;
};

// Removes a staging folder left by a killed run, rolling back its interrupted commit. Exposed
// for tests; OutputFolder's constructor calls it for every such folder it finds.
void recover_staging_folder(const std::filesystem::path& root,
                            const std::filesystem::path& staging) noexcept;

}  // namespace grenzfunk::io
