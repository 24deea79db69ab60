// Removing departed agents from a structure of arrays, keeping the order of
// the rest: one pass that copies every column unconditionally and advances
// the write position only for kept rows (no branch on the random outcome
// of who left, so nothing to mispredict).
#pragma once

#include <cstddef>
#include <vector>

namespace careabm {

// Keeps row i of every column where keep(i) (evaluated before row i is
// overwritten) and returns the new size.
template <class Keep, class... T>
std::size_t compact_columns(std::size_t n, Keep keep, std::vector<T>&... columns) {
  std::size_t out = 0;
  // Raw pointers: stores through uint8_t may alias anything, so the vectors'
  // data pointers would otherwise be reloaded after every store.
  [&](T*... column) {
    for (std::size_t i = 0; i < n; ++i) {
      const bool kept = keep(i);
      ((column[out] = column[i]), ...);
      out += kept;
    }
  }(columns.data()...);
  (columns.resize(out), ...);
  return out;
}

}  // namespace careabm
