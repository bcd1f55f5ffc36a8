// Tests for tls::generate_self_signed and tls::TlsContext loading: SAN contents, validity, key file mode.
#include "tls/self_signed.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <fstream>

#include "io/test_support.hpp"
#include "tls/context.hpp"

namespace claret::tls {
namespace {

X509* read_cert(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return nullptr;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  return cert;
}

TEST(SelfSigned, WritesCertificateWithSanAndPrivateKeyMode0600) {
  io::testing::TempDir dir;
  auto cert_path = dir.file("c.pem");
  auto key_path = dir.file("k.pem");
  ASSERT_TRUE(generate_self_signed(cert_path, key_path, "mx.example.org"));

  struct stat st {};
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  X509* cert = read_cert(cert_path);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_check_host(cert, "mx.example.org", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(cert, "other.example.org", 0, 0, nullptr), 1);
  // Valid now and for about ten years.
  std::time_t nine_years = std::time(nullptr) + 9L * 365 * 24 * 3600;
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(cert)), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(cert), &nine_years), 0);
  EXPECT_EQ(X509_get_version(cert), 2);
  X509_free(cert);

  // The pair loads as a server context (key matches certificate).
  auto ctx = TlsContext::server(cert_path, key_path);
  EXPECT_TRUE(ctx) << (ctx ? "" : ctx.error().message);
}

TEST(SelfSigned, TightensModeOfExistingKeyFile) {
  io::testing::TempDir dir;
  auto key_path = dir.file("k.pem");
  std::ofstream(key_path) << "old";
  ::chmod(key_path.c_str(), 0644);
  ASSERT_TRUE(generate_self_signed(dir.file("c.pem"), key_path, "host"));
  struct stat st {};
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SelfSigned, RejectsHostNamesThatCouldAlterTheExtension) {
  io::testing::TempDir dir;
  EXPECT_FALSE(generate_self_signed(dir.file("c.pem"), dir.file("k.pem"), "a.org,IP:10.0.0.1"));
  EXPECT_FALSE(generate_self_signed(dir.file("c.pem"), dir.file("k.pem"), ""));
}

TEST(TlsContext, ServerContextErrorsNameTheFile) {
  io::testing::TempDir dir;
  auto missing = TlsContext::server(dir.file("none.pem"), dir.file("none.key"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("none.pem"), std::string::npos);

  ASSERT_TRUE(generate_self_signed(dir.file("a.pem"), dir.file("a.key"), "a"));
  ASSERT_TRUE(generate_self_signed(dir.file("b.pem"), dir.file("b.key"), "b"));
  auto mismatch = TlsContext::server(dir.file("a.pem"), dir.file("b.key"));
  ASSERT_FALSE(mismatch);
}

TEST(TlsContext, ClientContextWithMissingCaFileFails) {
  io::testing::TempDir dir;
  EXPECT_FALSE(TlsContext::client({dir.file("missing-ca.pem"), true}));
  auto system = TlsContext::client({});
  EXPECT_TRUE(system);
}

}  // namespace
}  // namespace claret::tls
