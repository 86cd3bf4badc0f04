// The ranks of a run started by mpirun or srun (docs/scale.md): the only code that includes
// mpi.h. Linked by the CLI only; the layers below see core/ranks.hpp.
#pragma once

#include <list>
#include <memory>

#include "core/ranks.hpp"

namespace grenzfunk::parallel_mpi {

// True when the environment says this process is one rank of an MPI launch (Open MPI's
// OMPI_COMM_WORLD_SIZE, PMIx's PMIX_RANK, PMI's PMI_RANK and PMI_SIZE, as Slurm's srun sets
// them). Without them the program never calls MPI_Init and runs as one process.
bool launched_by_mpi();

// MPI_COMM_WORLD, initialised with MPI_THREAD_FUNNELED (only the main thread calls MPI; TBB's
// workers never do). The destructor calls MPI_Finalize.
class MpiRanks final : public Ranks {
  public:
    MpiRanks(int* argc, char*** argv);
    ~MpiRanks() override;
    MpiRanks(const MpiRanks&) = delete;
    MpiRanks& operator=(const MpiRanks&) = delete;

    int rank() const override { return rank_; }
    int size() const override { return size_; }
    void send_to_root(RankTag tag, std::vector<std::uint8_t> bytes) override;
    std::optional<RankMessage> poll_failure() override;
    std::optional<RankMessage> poll_from(int source) override;
    bool sends_completed() override;
    [[noreturn]] void abort(int exit_code) override;

  private:
    std::optional<RankMessage> receive(int source, int tag);
    struct Send;
    std::list<std::unique_ptr<Send>> pending_;
    int rank_ = 0, size_ = 1;
};

}  // namespace grenzfunk::parallel_mpi
