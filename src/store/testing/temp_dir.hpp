// TempDir: a fresh directory under the system's temporary directory, removed with everything in it when the test
// is done. Shared by the store's unit tests.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace claret::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "claret-store-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~TempDir() {
    if (!path_.empty()) std::filesystem::remove_all(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace claret::store::testing
