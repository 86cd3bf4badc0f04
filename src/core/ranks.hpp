// The processes of one distributed run, as the pipeline sees them (docs/scale.md): rank 0
// computes its bands, receives the others' and writes every output; the other ranks compute
// their bands and send them to rank 0. The MPI implementation lives in src/parallel_mpi (the
// only code that includes mpi.h, linked by the CLI only); SingleProcess is the run without
// mpirun. Every call is made from the thread that runs pipeline::execute().
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace grenzfunk {

// The kinds of message a rank sends to rank 0.
enum class RankTag : int {
    band = 1,    // one band's results (pipeline/band_bytes.hpp)
    done = 2,    // the rank's figures after its last band
    failed = 3,  // the rank failed: the error's kind and message
};

struct RankMessage {
    int source = 0;
    RankTag tag = RankTag::band;
    std::vector<std::uint8_t> bytes;
};

class Ranks {
  public:
    virtual ~Ranks() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // Starts sending `bytes` to rank 0 and returns; the buffer is kept until the send is done.
    virtual void send_to_root(RankTag tag, std::vector<std::uint8_t> bytes) = 0;
    // On rank 0, without waiting: a failed-rank message of any rank, if one has arrived.
    virtual std::optional<RankMessage> poll_failure() = 0;
    // On rank 0, without waiting: the next message of rank `source` (they come in the order
    // they were sent), if it has arrived. Bands not yet asked for wait at their sender.
    virtual std::optional<RankMessage> poll_from(int source) = 0;
    // True when every send started so far has completed (frees their buffers).
    virtual bool sends_completed() = 0;
    // Ends every rank of the run at once with `exit_code` (MPI_Abort); never returns.
    [[noreturn]] virtual void abort(int exit_code) = 0;
    std::uint64_t bytes_sent = 0, bytes_received = 0;
};

// A rank that failed in a way without a kind of its own, or stopped answering (rank 0 throws
// it; the CLI prints it and ends the run with `exit_code`).
class RankFailure : public std::runtime_error {
  public:
    RankFailure(const std::string& what, int code) : std::runtime_error(what), exit_code(code) {}
    int exit_code;
};

// One process: rank 0 of 1. Nothing is ever sent or received.
class SingleProcess final : public Ranks {
  public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    void send_to_root(RankTag, std::vector<std::uint8_t>) override {}
    std::optional<RankMessage> poll_failure() override { return std::nullopt; }
    std::optional<RankMessage> poll_from(int) override { return std::nullopt; }
    bool sends_completed() override { return true; }
    [[noreturn]] void abort(int exit_code) override { std::exit(exit_code); }
};

}  // namespace grenzfunk
