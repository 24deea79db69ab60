#include "io/checked_driver.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

#include "io/durable_file.h"

namespace careabm::io {

namespace {

// The driver's file: HDF5's public part first, as the driver interface requires.
struct CheckedFile {
  H5FD_t pub;
  int fd = -1;
  haddr_t eoa = 0, eof = 0;
  dev_t device = 0;
  ino_t inode = 0;
  std::string name;
};

std::mutex g_failure_mutex;
std::optional<std::string> g_failure;

void record_failure(const CheckedFile& f, int error) {
  const std::lock_guard lock(g_failure_mutex);
  if (!g_failure) g_failure = "cannot write " + f.name + ": " + std::strerror(error);
}

CheckedFile* of(H5FD_t* file) { return reinterpret_cast<CheckedFile*>(file); }
const CheckedFile* of(const H5FD_t* file) { return reinterpret_cast<const CheckedFile*>(file); }

// The largest address an off_t reaches, as HDF5's POSIX driver.
constexpr haddr_t kMaxAddress = (haddr_t{1} << (8 * sizeof(off_t) - 1)) - 1;

H5FD_t* open_file(const char* name, unsigned flags, hid_t, haddr_t maxaddr) {
  if (name == nullptr || maxaddr == 0 || maxaddr > kMaxAddress) return nullptr;
  int mode = (flags & H5F_ACC_RDWR) ? O_RDWR : O_RDONLY;
  if (flags & H5F_ACC_TRUNC) mode |= O_TRUNC;
  if (flags & H5F_ACC_CREAT) mode |= O_CREAT;
  if (flags & H5F_ACC_EXCL) mode |= O_EXCL;
  const int fd = ::open(name, mode | O_CLOEXEC, 0666);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return nullptr;
  }
  auto* f = new (std::nothrow) CheckedFile();
  if (f == nullptr) {
    ::close(fd);
    return nullptr;
  }
  f->fd = fd;
  f->eof = static_cast<haddr_t>(st.st_size);
  f->device = st.st_dev;
  f->inode = st.st_ino;
  f->name = name;
  if (flags & H5F_ACC_CREAT) {  // a new output: an earlier file's failure is not this one's
    const std::lock_guard lock(g_failure_mutex);
    g_failure.reset();
  }
  return &f->pub;
}

herr_t close_file(H5FD_t* file) {
  CheckedFile* f = of(file);
  const int closed = ::close(f->fd);
  if (closed != 0 && errno != EINTR) record_failure(*f, errno);
  delete f;
  return closed != 0 && errno != EINTR ? -1 : 0;
}

int compare(const H5FD_t* a, const H5FD_t* b) {
  const CheckedFile *x = of(a), *y = of(b);
  if (x->device != y->device) return x->device < y->device ? -1 : 1;
  if (x->inode != y->inode) return x->inode < y->inode ? -1 : 1;
  return 0;
}

herr_t query(const H5FD_t*, unsigned long* flags) {
  // As HDF5's POSIX driver: small metadata and raw data are gathered into larger writes.
  if (flags != nullptr) {
    *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA | H5FD_FEAT_DATA_SIEVE |
             H5FD_FEAT_AGGREGATE_SMALLDATA;
  }
  return 0;
}

haddr_t get_eoa(const H5FD_t* file, H5FD_mem_t) { return of(file)->eoa; }
herr_t set_eoa(H5FD_t* file, H5FD_mem_t, haddr_t address) {
  of(file)->eoa = address;
  return 0;
}
haddr_t get_eof(const H5FD_t* file, H5FD_mem_t) { return of(file)->eof; }

herr_t read_at(H5FD_t* file, H5FD_mem_t, hid_t, haddr_t address, std::size_t size, void* buffer) {
  const CheckedFile* f = of(file);
  auto* out = static_cast<unsigned char*>(buffer);
  while (size > 0) {
    const ssize_t got = ::pread(f->fd, out, size, static_cast<off_t>(address));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return -1;
    if (got == 0) {  // past the end of the file: zeros, as HDF5 expects
      std::memset(out, 0, size);
      break;
    }
    out += got, address += static_cast<haddr_t>(got), size -= static_cast<std::size_t>(got);
  }
  return 0;
}

herr_t write_at(H5FD_t* file, H5FD_mem_t, hid_t, haddr_t address, std::size_t size, const void* buffer) {
  CheckedFile* f = of(file);
  if (::lseek(f->fd, static_cast<off_t>(address), SEEK_SET) < 0) {
    record_failure(*f, errno);
    return -1;
  }
  if (const int error = write_all(f->fd, buffer, size); error != 0) {
    record_failure(*f, error);
    return -1;
  }
  if (address + size > f->eof) f->eof = address + size;
  return 0;
}

herr_t truncate_file(H5FD_t* file, hid_t, hbool_t) {
  CheckedFile* f = of(file);
  if (f->eoa == f->eof) return 0;
  if (::ftruncate(f->fd, static_cast<off_t>(f->eoa)) != 0) {
    record_failure(*f, errno);
    return -1;
  }
  f->eof = f->eoa;
  return 0;
}

H5FD_class_t make_class() {
  H5FD_class_t c{};
  c.name = "careabm_checked";
  c.maxaddr = kMaxAddress;
  c.fc_degree = H5F_CLOSE_WEAK;
  c.open = open_file;
  c.close = close_file;
  c.cmp = compare;
  c.query = query;
  c.get_eoa = get_eoa;
  c.set_eoa = set_eoa;
  c.get_eof = get_eof;
  c.read = read_at;
  c.write = write_at;
  c.truncate = truncate_file;
  const H5FD_mem_t map[] = H5FD_FLMAP_DICHOTOMY;
  std::memcpy(c.fl_map, map, sizeof map);
  return c;
}

}  // namespace

hid_t checked_driver_fapl() {
  static const H5FD_class_t cls = make_class();
  static const hid_t driver = H5FDregister(&cls);
  if (driver < 0) return -1;
  const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) return -1;
  if (H5Pset_driver(fapl, driver, nullptr) < 0) {
    H5Pclose(fapl);
    return -1;
  }
  return fapl;
}

std::optional<std::string> checked_driver_failure() {
  const std::lock_guard lock(g_failure_mutex);
  return g_failure;
}

}  // namespace careabm::io
