#include "core/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace vg {

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  const std::string tmp = path.string() + ".tmp." + std::to_string(::getpid());
  auto fail = [&](const char* what) {
    std::string msg = std::string("cannot ") + what + " '" + path.string() + "': " + std::strerror(errno);
    ::unlink(tmp.c_str());
    throw std::runtime_error(msg);
  };
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("create");
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      fail("write");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("flush");
  }
  if (::close(fd) != 0) fail("close");
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("rename into");
}

void write_files_atomic(const std::filesystem::path& dir,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create output folder '" + dir.string() + "': " + ec.message());
  for (const auto& [name, content] : files) write_file_atomic(dir / name, content);
}

}  // namespace vg
