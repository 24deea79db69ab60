// An HDF5 file driver that writes straight to a file on disk through careabm's
// own write loop (io::write_all), for outputs too large to build in memory
// (`run --agents-out`: H5Writer::streamed()).
//
// HDF5's own POSIX driver reports a refused write only as a failure on its error
// stack; this one also records the system's reason (ENOSPC, EFBIG, EIO) and the
// file's name, so that the writer can say "cannot write OUT.h5.tmp.<pid>: No space
// left on device" (careabm::OutputError) however deep in HDF5 the write was.
// The first refused write is kept; once one is recorded the file is lost and
// every later HDF5 failure is reported as that write's.
#pragma once

#include <hdf5.h>

#include <optional>
#include <string>

namespace careabm::io {

// A file-access property list that opens files through the checked driver
// (the caller closes it with H5Pclose).
hid_t checked_driver_fapl();

// The first write the disk refused through the checked driver in this process:
// "cannot write <file>: <reason>"; nullopt when none was.
std::optional<std::string> checked_driver_failure();

}  // namespace careabm::io
