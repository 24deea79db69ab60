// Removing departed agents from a structure of arrays, keeping the order of
// the rest: every column is copied unconditionally, and the write position
// advances only for kept rows (no branch on the random outcome of who left,
// so nothing to mispredict). Column by column, so each pass streams just
// the keep flags and one column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/parallel.h"

namespace careabm {

// Keeps row i of every column where keep(i) (evaluated once per row, before
// any column changes) and returns the new size. With a team, the columns are
// compacted on its threads.
template <class Keep, class... T>
std::size_t compact_columns(Team* team, std::size_t n, Keep keep, std::vector<T>&... columns) {
  const std::unique_ptr<std::uint8_t[]> kept(new std::uint8_t[n]);  // every flag is written: no zeroing
  std::size_t size = 0;
  for (std::size_t i = 0; i < n; ++i) size += kept[i] = keep(i) ? 1 : 0;
  auto one = [&](auto& column) {
    auto* __restrict data = column.data();
    const std::uint8_t* __restrict flag = kept.get();
    std::size_t out = 0;
    for (std::size_t i = 0; i < n; ++i) {
      data[out] = data[i];
      out += flag[i];
    }
    column.resize(size);
  };
  each_column(team, one, columns...);
  return size;
}

}  // namespace careabm
