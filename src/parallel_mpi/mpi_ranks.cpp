#include "parallel_mpi/mpi_ranks.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace grenzfunk::parallel_mpi {

namespace {

// A message goes in pieces of at most this many bytes (an MPI count is an int); the first piece
// starts with the total length. Pieces of one sender and tag arrive in order (MPI's
// non-overtaking rule).
constexpr std::size_t kPieceBytes = std::size_t(1) << 28;
// The pieces after the first are already on their way when the first arrives.
constexpr double kPieceDeadlineS = 120.0;

void check(int code, const char* what) {
    if (code == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, text, &length);
    throw std::runtime_error(std::string(what) + ": " + std::string(text, std::size_t(length)));
}

}  // namespace

bool launched_by_mpi() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
        if (std::getenv(name)) return true;
    return false;
}

struct MpiRanks::Send {
    std::vector<std::uint8_t> bytes;
    std::vector<MPI_Request> requests;
};

MpiRanks::MpiRanks(int* argc, char*** argv) {
    int provided = 0;
    check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    // Errors come back as codes (check() turns them into exceptions), not as an abort.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
}

MpiRanks::~MpiRanks() {
    MPI_Finalize();
}

void MpiRanks::send_to_root(RankTag tag, std::vector<std::uint8_t> bytes) {
    auto send = std::make_unique<Send>();
    const std::uint64_t total = bytes.size();
    send->bytes.resize(sizeof total + bytes.size());
    std::memcpy(send->bytes.data(), &total, sizeof total);
    std::copy(bytes.begin(), bytes.end(), send->bytes.begin() + sizeof total);
    bytes_sent += send->bytes.size();
    for (std::size_t at = 0; at < send->bytes.size(); at += kPieceBytes) {
        const std::size_t n = std::min(kPieceBytes, send->bytes.size() - at);
        MPI_Request request;
        check(MPI_Isend(send->bytes.data() + at, int(n), MPI_BYTE, 0, int(tag), MPI_COMM_WORLD,
                        &request),
              "MPI_Isend");
        send->requests.push_back(request);
    }
    pending_.push_back(std::move(send));
}

bool MpiRanks::sends_completed() {
    for (auto it = pending_.begin(); it != pending_.end();) {
        int done = 0;
        check(MPI_Testall(int((*it)->requests.size()), (*it)->requests.data(), &done,
                          MPI_STATUSES_IGNORE),
              "MPI_Testall");
        it = done ? pending_.erase(it) : std::next(it);
    }
    return pending_.empty();
}

std::optional<RankMessage> MpiRanks::receive(int source, int tag) {
    int found = 0;
    MPI_Message message;
    MPI_Status status;
    check(MPI_Improbe(source, tag, MPI_COMM_WORLD, &found, &message, &status), "MPI_Improbe");
    if (!found) return std::nullopt;
    int count = 0;
    check(MPI_Get_count(&status, MPI_BYTE, &count), "MPI_Get_count");
    std::vector<std::uint8_t> first(static_cast<std::size_t>(count));
    check(MPI_Mrecv(first.data(), count, MPI_BYTE, &message, MPI_STATUS_IGNORE), "MPI_Mrecv");
    std::uint64_t total = 0;
    if (first.size() < sizeof total)
        throw std::runtime_error("a message between the ranks has no length");
    std::memcpy(&total, first.data(), sizeof total);
    RankMessage m;
    m.source = status.MPI_SOURCE;
    m.tag = RankTag(status.MPI_TAG);
    m.bytes.resize(total);
    std::size_t have = std::min<std::size_t>(total, first.size() - sizeof total);
    std::copy_n(first.begin() + sizeof total, have, m.bytes.begin());
    first = {};
    // The remaining pieces, from the same sender with the same tag.
    while (have < total) {
        const std::size_t n = std::min(kPieceBytes, std::size_t(total - have));
        MPI_Request request;
        check(MPI_Irecv(m.bytes.data() + have, int(n), MPI_BYTE, m.source, status.MPI_TAG,
                        MPI_COMM_WORLD, &request),
              "MPI_Irecv");
        const auto t0 = std::chrono::steady_clock::now();
        for (int done = 0;;) {
            check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
            if (done) break;
            if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() >
                kPieceDeadlineS)
                throw std::runtime_error("rank " + std::to_string(m.source) +
                                         ": a message stopped arriving");
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        have += n;
    }
    bytes_received += sizeof total + total;
    return m;
}

std::optional<RankMessage> MpiRanks::poll_failure() {
    return receive(MPI_ANY_SOURCE, int(RankTag::failed));
}

std::optional<RankMessage> MpiRanks::poll_from(int source) {
    return receive(source, MPI_ANY_TAG);
}

void MpiRanks::abort(int exit_code) {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);  // MPI_Abort does not return; in case it does
}

}  // namespace grenzfunk::parallel_mpi
