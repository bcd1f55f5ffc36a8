// Tests for FileBlobStore: hashing, dedup, ranged reads, streaming put, removal, id validation.
#include "store/file_blob_store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "store/errc.hpp"
#include "store/testing/temp_dir.hpp"

namespace claret::store {
namespace {

using claret::store::testing::TempDir;

TEST(FileBlobStore, PutHashesAndDeduplicates) {
  TempDir dir;
  auto store = FileBlobStore::create(dir.path() + "/blobs");
  ASSERT_TRUE(store.ok());
  auto a = (*store)->put("abc");
  ASSERT_TRUE(a.ok());
  // SHA-256("abc") from FIPS 180-2 appendix B.1.
  EXPECT_EQ(a->id, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(a->size, 3u);
  std::string path = (*store)->path_of(a->id);
  EXPECT_NE(path.find("/ba/78/"), std::string::npos);
  struct stat before;
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  auto b = (*store)->put("abc");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  struct stat after;
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // not rewritten
  EXPECT_EQ(*(*store)->read(a->id), "abc");
}

TEST(FileBlobStore, RangeReadsAndReader) {
  TempDir dir;
  auto store = FileBlobStore::create(dir.path());
  ASSERT_TRUE(store.ok());
  std::string data;
  for (int i = 0; i < 100000; ++i) data += static_cast<char>('a' + i % 26);
  auto ref = (*store)->put(data);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(*(*store)->read_range(ref->id, 5, 10), data.substr(5, 10));
  EXPECT_EQ(*(*store)->read_range(ref->id, data.size() - 3, 100), data.substr(data.size() - 3));
  EXPECT_EQ(*(*store)->read_range(ref->id, data.size() + 10, 5), "");
  auto reader = (*store)->open(ref->id);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->size(), data.size());
  EXPECT_EQ(*reader->read_at(50000, 26), data.substr(50000, 26));
  BlobReader moved = std::move(*reader);
  EXPECT_EQ(*moved.read_at(0, 3), "abc");
}

TEST(FileBlobStore, StreamingPutMatchesBufferedPut) {
  TempDir dir;
  auto store = FileBlobStore::create(dir.path());
  ASSERT_TRUE(store.ok());
  std::string data(300000, 'x');
  data[12345] = 'y';
  std::string src = dir.path() + "/src";
  int fd = ::open(src.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  ::close(fd);
  fd = ::open(src.c_str(), O_RDONLY);
  auto streamed = (*store)->put_from_fd(fd);
  ::close(fd);
  ASSERT_TRUE(streamed.ok());
  auto buffered = (*store)->put(data);
  ASSERT_TRUE(buffered.ok());
  EXPECT_EQ(*streamed, *buffered);
  EXPECT_EQ(*(*store)->read(streamed->id), data);
}

TEST(FileBlobStore, RemoveAndInvalidIds) {
  TempDir dir;
  auto store = FileBlobStore::create(dir.path());
  ASSERT_TRUE(store.ok());
  auto ref = (*store)->put("gone soon");
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE((*store)->remove(ref->id).ok());
  EXPECT_TRUE((*store)->remove(ref->id).ok());
  auto r = (*store)->read(ref->id);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_code(r.error(), Errc::not_found));
  for (const char* bad : {"../../etc/passwd", "ABC", "", "zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}) {
    auto x = (*store)->read(bad);
    ASSERT_FALSE(x.ok());
    EXPECT_TRUE(has_code(x.error(), Errc::invalid)) << bad;
  }
}

}  // namespace
}  // namespace claret::store
