// The test program's main: as careabm's own, HDF5 is kept from closing what is left
// open at exit by itself, since a file whose write failed (a test of a full disk) is
// half destroyed by then and touching it crashes (io/h5_writer.h, begin_hdf5).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "io/h5_writer.h"

int main(int argc, char** argv) {
  careabm::io::begin_hdf5();
  const int status = doctest::Context(argc, argv).run();
  careabm::io::end_hdf5();
  return status;
}
