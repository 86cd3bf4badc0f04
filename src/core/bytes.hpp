// A small byte writer and reader for the messages of a distributed run (docs/scale.md): values
// are copied as their in-memory bytes, so the ranks of one run must share the byte order and
// the type sizes (every rank runs the same binary on the same kind of machine). The reader
// checks every length against what is left and throws std::runtime_error on a short or
// malformed message, never reads past the end.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "core/grid.hpp"

namespace grenzfunk::bytes {

class Writer {
  public:
    template <typename T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* p = reinterpret_cast<const std::uint8_t*>(&value);
        data_.insert(data_.end(), p, p + sizeof(T));
    }
    template <typename T>
    void put_vector(const std::vector<T>& values) {
        static_assert(std::is_trivially_copyable_v<T>);
        put(std::uint64_t(values.size()));
        const auto* p = reinterpret_cast<const std::uint8_t*>(values.data());
        data_.insert(data_.end(), p, p + values.size() * sizeof(T));
    }
    void put_string(const std::string& text) {
        put(std::uint64_t(text.size()));
        data_.insert(data_.end(), text.begin(), text.end());
    }
    // A raster's geometry (not its CRS strings, which every rank has from the plan), nodata and
    // values.
    void put_grid(const GridSpec& grid) {
        put(grid.origin_x_m);
        put(grid.origin_y_m);
        put(grid.pixel_size_m);
        put(std::int32_t(grid.width));
        put(std::int32_t(grid.height));
    }
    template <typename T>
    void put_raster(const Raster<T>& raster) {
        put_grid(raster.grid);
        put(raster.nodata);
        put_vector(raster.values);
    }
    std::vector<std::uint8_t>& data() { return data_; }
    std::vector<std::uint8_t> take() { return std::move(data_); }

  private:
    std::vector<std::uint8_t> data_;
};

class Reader {
  public:
    explicit Reader(const std::vector<std::uint8_t>& data) : data_(data) {}
    template <typename T>
    T get() {
        static_assert(std::is_trivially_copyable_v<T>);
        need(sizeof(T));
        T value;
        std::memcpy(&value, data_.data() + at_, sizeof(T));
        at_ += sizeof(T);
        return value;
    }
    template <typename T>
    std::vector<T> get_vector() {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto n = get<std::uint64_t>();
        if (n > (data_.size() - at_) / sizeof(T)) fail();
        std::vector<T> values(n);
        // An empty vector's data() may be null, which memcpy must not get even for 0 bytes.
        if (n > 0) std::memcpy(values.data(), data_.data() + at_, n * sizeof(T));
        at_ += n * sizeof(T);
        return values;
    }
    std::string get_string() {
        const auto n = get<std::uint64_t>();
        need(n);
        std::string text(reinterpret_cast<const char*>(data_.data() + at_), n);
        at_ += n;
        return text;
    }
    // The raster put_raster() wrote; `crs` and `crs_wkt` come from `like` (the plan's grid).
    GridSpec get_grid(const GridSpec& like) {
        GridSpec g = like;
        g.origin_x_m = get<double>();
        g.origin_y_m = get<double>();
        g.pixel_size_m = get<double>();
        g.width = get<std::int32_t>();
        g.height = get<std::int32_t>();
        if (g.width < 0 || g.height < 0) fail();
        return g;
    }
    template <typename T>
    Raster<T> get_raster(const GridSpec& like) {
        Raster<T> r;
        r.grid = get_grid(like);
        r.nodata = get<T>();
        r.values = get_vector<T>();
        if (!r.values.empty() && r.values.size() != r.grid.pixel_count()) fail();
        return r;
    }
    bool at_end() const { return at_ == data_.size(); }

  private:
    void need(std::uint64_t n) const {
        if (n > data_.size() - at_) fail();
    }
    [[noreturn]] static void fail() {
        throw std::runtime_error("a message between the ranks is shorter than its contents");
    }
    const std::vector<std::uint8_t>& data_;
    std::size_t at_ = 0;
};

}  // namespace grenzfunk::bytes
