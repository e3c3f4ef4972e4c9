// Results as bytes, for sending between processes (MPI ranks, sim/ranks.h) and back: a replicate's
// result, or the parts it is made of. Trivially copyable records (VillageTotals, RoleTotals, ...)
// travel as their bytes, so every rank must run the same build on the same architecture (a
// homogeneous cluster; docs/running-across-machines.md). Decoding checks lengths and throws
// std::runtime_error on bytes that end early or run on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "metrics/results.h"

namespace vg::metrics {

class Encoder {
 public:
  template <class T>
  void value(const T& x) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&x), sizeof x);
  }
  template <class T>
  void values(const std::vector<T>& xs) {
    static_assert(std::is_trivially_copyable_v<T>);
    value(uint64_t(xs.size()));
    if (!xs.empty()) out_.append(reinterpret_cast<const char*>(xs.data()), xs.size() * sizeof(T));
  }
  void bytes(const std::string& s) {
    value(uint64_t(s.size()));
    out_ += s;
  }
  void day_rows(const std::vector<std::vector<DayRow>>& days);
  void replicate(const ReplicateResult& r);
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Decoder {
 public:
  explicit Decoder(const std::string& in) : in_(in) {}
  template <class T>
  T value() {
    static_assert(std::is_trivially_copyable_v<T>);
    T x;
    std::memcpy(&x, take(sizeof x), sizeof x);
    return x;
  }
  template <class T>
  std::vector<T> values() {
    static_assert(std::is_trivially_copyable_v<T>);
    const size_t n = count(sizeof(T));
    std::vector<T> xs(n);
    if (n > 0) std::memcpy(xs.data(), take(n * sizeof(T)), n * sizeof(T));
    return xs;
  }
  std::string bytes() {
    const size_t n = count(1);
    return {take(n), n};
  }
  std::vector<std::vector<DayRow>> day_rows();
  ReplicateResult replicate();
  bool done() const { return at_ == in_.size(); }
  // Throws unless every byte was read.
  void finish() const;

 private:
  // A count of items of `size` bytes each that the bytes left can hold.
  size_t count(size_t size);
  const char* take(size_t n);
  const std::string& in_;
  size_t at_ = 0;
};

std::string encode_replicate(const ReplicateResult& r);
ReplicateResult decode_replicate(const std::string& bytes);

}  // namespace vg::metrics
