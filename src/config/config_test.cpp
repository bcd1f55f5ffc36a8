#include "config/config.hpp"

#include <gtest/gtest.h>

#include "config/default_config.hpp"

namespace claret::config {

TEST(Config, DefaultTemplateParses) {
  InitOptions o;
  o.hostname = "mail.example.org";
  o.domain = "example.org";
  o.port_offset = 10000;
  auto cfg = parse(default_config_text(o), "/etc/claret/claret.toml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->hostname, "mail.example.org");
  EXPECT_EQ(cfg->data_dir, "/etc/claret");
  EXPECT_EQ(cfg->tls_cert, "/etc/claret/tls/cert.pem");
  ASSERT_NE(cfg->listener("imaps"), nullptr);
  EXPECT_EQ(cfg->listener("imaps")->port, 10993);
  EXPECT_EQ(cfg->listener("imaps")->tls, TlsMode::implicit);
  EXPECT_EQ(cfg->listener("smtp")->tls, TlsMode::starttls);
  EXPECT_FALSE(cfg->listener("http")->enabled);
  EXPECT_EQ(cfg->listeners.size(), listener_kinds().size());
}

TEST(Config, AuthCacheSettings) {
  InitOptions o;
  o.hostname = "mail.example.org";
  o.domain = "example.org";
  auto def = parse(default_config_text(o), "");
  ASSERT_TRUE(def.ok()) << def.error().message;
  EXPECT_EQ(def->auth.cache_ttl_s, 3600u);
  EXPECT_EQ(def->auth.cache_size, 10000u);
  auto off = parse("hostname = \"a.b\"\n[auth]\ncache_ttl_s = 0\ncache_size = 5\n", "");
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_EQ(off->auth.cache_ttl_s, 0u);
  EXPECT_EQ(off->auth.cache_size, 5u);
  auto bad = parse("hostname = \"a.b\"\n[auth]\ncache_ttl_s = -1\n", "");
  EXPECT_FALSE(bad.ok());
}

TEST(Config, SyntaxErrorNamesTheLine) {
  auto cfg = parse("hostname = \"a.b\"\n\nport = = 3\n", "x.toml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().message.rfind("x.toml:3:", 0), 0u) << cfg.error().message;
}

TEST(Config, UnknownKeyIsAnError) {
  auto cfg = parse("hostname = \"a.b\"\n[limits.smtp]\nmax_mesage_size = 5\n", "");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("unknown setting limits.smtp.max_mesage_size"), std::string::npos);
  EXPECT_EQ(cfg.error().message.rfind("3:", 0), 0u) << cfg.error().message;
}

TEST(Config, TypeAndRangeErrors) {
  auto a = parse("hostname = \"a.b\"\n[listeners.imap]\nport = 70000\n", "");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("out of range"), std::string::npos);
  auto b = parse("hostname = \"a.b\"\n[listeners.imap]\ntls = \"maybe\"\n", "");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("starttls"), std::string::npos);
  auto c = parse("hostname = 5\n", "");
  ASSERT_FALSE(c.ok());
  auto d = parse("hostname = \"bad host\"\n", "");
  ASSERT_FALSE(d.ok());
  auto e = parse("data_dir = \"x\"\n", "");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("hostname is required"), std::string::npos);
}

TEST(Config, ImplicitServiceCannotBePlain) {
  auto cfg = parse("hostname = \"a.b\"\n[tls]\ncert=\"c\"\nkey=\"k\"\n[listeners.imaps]\ntls = \"none\"\n", "");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("implicit"), std::string::npos);
}

TEST(Config, TlsListenerNeedsCertificate) {
  auto cfg = parse("hostname = \"a.b\"\n[listeners.imaps]\nport = 0\n", "");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("cert"), std::string::npos);
}

TEST(Config, DuplicatePortRejected) {
  auto cfg = parse("hostname = \"a.b\"\n[listeners.imap]\nport = 1143\ntls=\"none\"\n[listeners.pop3]\nport = 1143\ntls=\"none\"\n", "");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("already used"), std::string::npos);
}

TEST(Config, QueueSettings) {
  auto cfg = parse("hostname = \"a.b\"\n[queue]\nlifetime_s = 600\nretry_min_s = 1\nretry_max_s = 4\n"
                   "dns_servers = [\"127.0.0.1:5353\"]\nrequire_tls = [\"secure.test\"]\n"
                   "smarthost = \"relay.example:587\"\nsmarthost_user = \"u\"\nsmtp_port = 2525\n",
                   "");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->queue.lifetime_s, 600u);
  EXPECT_EQ(cfg->queue.retry_min_s, 1u);
  EXPECT_EQ(cfg->queue.retry_max_s, 4u);
  EXPECT_EQ(cfg->queue.delay_warning_s, 4u * 3600);
  EXPECT_EQ(cfg->queue.dns_servers, std::vector<std::string>{"127.0.0.1:5353"});
  EXPECT_EQ(cfg->queue.require_tls, std::vector<std::string>{"secure.test"});
  EXPECT_EQ(cfg->queue.smarthost, "relay.example:587");
  EXPECT_EQ(cfg->queue.smtp_port, 2525);
  InitOptions o;
  o.hostname = "mail.example.org";
  o.domain = "example.org";
  auto def = parse(default_config_text(o), "");
  ASSERT_TRUE(def.ok()) << def.error().message;
  EXPECT_EQ(def->queue.lifetime_s, 5u * 86400);
  EXPECT_TRUE(def->queue.smarthost.empty());
}

TEST(Config, QueueRelayRoutes) {
  auto cfg = parse("hostname = \"a.b\"\n[queue]\nsmarthost = \"relay.example:465\"\nsmarthost_ca_file = \"ca.pem\"\n"
                   "[queue.routes]\n\"Partner.Example\" = \"mx.partner.example:587\"\n"
                   "\"corp.example\" = { host = \"[::1]:2525\", user = \"u\", password = \"p\", tls = \"implicit\","
                   " ca_file = \"/etc/corp.pem\" }\n",
                   "/etc/claret/claret.toml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_TRUE(cfg->queue.smarthost_implicit_tls);  // port 465 without smarthost_tls
  EXPECT_EQ(cfg->queue.smarthost_ca_file, "/etc/claret/ca.pem");
  ASSERT_EQ(cfg->queue.routes.size(), 2u);
  const auto& partner = cfg->queue.routes.at("partner.example");
  EXPECT_EQ(partner.host_port, "mx.partner.example:587");
  EXPECT_TRUE(partner.user.empty());
  EXPECT_FALSE(partner.implicit_tls);
  const auto& corp = cfg->queue.routes.at("corp.example");
  EXPECT_EQ(corp.host_port, "[::1]:2525");
  EXPECT_EQ(corp.user, "u");
  EXPECT_EQ(corp.password, "p");
  EXPECT_TRUE(corp.implicit_tls);
  EXPECT_EQ(corp.ca_file, "/etc/corp.pem");
  auto starttls = parse("hostname = \"a.b\"\n[queue]\nsmarthost = \"r.example:587\"\n", "");
  ASSERT_TRUE(starttls.ok());
  EXPECT_FALSE(starttls->queue.smarthost_implicit_tls);
  EXPECT_TRUE(starttls->queue.routes.empty());
}

TEST(Config, QueueRelayRouteErrors) {
  auto port = parse("hostname = \"a.b\"\n[queue.routes]\n\"x.example\" = \"relay.example\"\n", "");
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.error().message.find("queue.routes.\"x.example\" host must be \"host:port\""), std::string::npos)
      << port.error().message;
  auto key = parse("hostname = \"a.b\"\n[queue.routes]\n\"x.example\" = { host = \"r.example:25\", pass = \"p\" }\n", "");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("unknown setting queue.routes.\"x.example\".pass"), std::string::npos)
      << key.error().message;
  auto tls = parse("hostname = \"a.b\"\n[queue]\nsmarthost = \"r.example:25\"\nsmarthost_tls = \"ssl\"\n", "");
  ASSERT_FALSE(tls.ok());
  EXPECT_NE(tls.error().message.find("queue.smarthost_tls must be \"starttls\" or \"implicit\""), std::string::npos);
  auto domain = parse("hostname = \"a.b\"\n[queue.routes]\n\"bad domain\" = \"r.example:25\"\n", "");
  ASSERT_FALSE(domain.ok());
  EXPECT_NE(domain.error().message.find("is not a domain name"), std::string::npos);
  auto twice = parse("hostname = \"a.b\"\n[queue.routes]\n\"X.example\" = \"r.example:25\"\n"
                     "\"x.example\" = \"r.example:26\"\n", "");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("listed twice"), std::string::npos);
}

TEST(Config, QueueSettingsErrors) {
  auto list = parse("hostname = \"a.b\"\n[queue]\ndns_servers = \"127.0.0.1\"\n", "");
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().message.find("queue.dns_servers must be a list of strings"), std::string::npos);
  auto unknown = parse("hostname = \"a.b\"\n[queue]\nretries = 3\n", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown setting queue.retries"), std::string::npos);
  auto host = parse("hostname = \"a.b\"\n[queue]\nsmarthost = \"relay.example\"\n", "");
  ASSERT_FALSE(host.ok());
  EXPECT_NE(host.error().message.find("host:port"), std::string::npos);
  auto zero = parse("hostname = \"a.b\"\n[queue]\nmax_per_domain = 0\n", "");
  EXPECT_FALSE(zero.ok());
}

TEST(Config, WebmailDefaultsAndValues) {
  InitOptions o;
  o.hostname = "mail.example.org";
  o.domain = "example.org";
  auto cfg = parse(default_config_text(o), "/etc/claret/claret.toml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_FALSE(cfg->webmail.enabled);
  EXPECT_EQ(cfg->webmail.session_idle_minutes, 30u);
  EXPECT_TRUE(cfg->webmail.verify_certificates);

  auto set = parse("hostname = \"a.b\"\n[webmail]\nenabled = true\nimap_url = \"imaps://mail.example.org:993\"\n"
                   "submission_url = \"submission://[::1]:587\"\nca_file = \"ca.pem\"\nsession_idle_minutes = 5\n",
                   "/etc/claret/claret.toml");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_TRUE(set->webmail.enabled);
  EXPECT_EQ(set->webmail.imap_url, "imaps://mail.example.org:993");
  EXPECT_EQ(set->webmail.ca_file, "/etc/claret/ca.pem");
  EXPECT_EQ(set->webmail.session_idle_minutes, 5u);
}

TEST(Config, WebmailErrorsAreOneLine) {
  struct Case {
    std::string toml;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {"[webmail]\nimap_url = \"http://x\"\n", "webmail.imap_url must look like imap://host:port or imaps://host:port"},
           {"[webmail]\nsubmission_url = \"submissions://host:99999\"\n", "webmail.submission_url has a bad port \"99999\""},
           {"[webmail]\nsession_idle_minutes = 0\n", "webmail.session_idle_minutes must be between 1 and 10080"},
           {"[webmail]\nmax_upload_bytes = 10\n", "webmail.max_upload_bytes must be between 1024 and 1073741824"},
           {"[webmail]\nenabeld = true\n", "unknown setting webmail.enabeld"},
       }) {
    auto cfg = parse("hostname = \"a.b\"\n" + c.toml, "");
    ASSERT_FALSE(cfg.ok()) << c.toml;
    EXPECT_NE(cfg.error().message.find(c.message), std::string::npos) << cfg.error().message;
    EXPECT_EQ(cfg.error().message.find('\n'), std::string::npos);
  }
}

TEST(Config, SecuritySandboxDefaultsOnAndCanBeTurnedOff) {
  InitOptions o;
  o.hostname = "mail.example.org";
  o.domain = "example.org";
  auto templ = parse(default_config_text(o), "");
  ASSERT_TRUE(templ.ok()) << templ.error().message;
  EXPECT_TRUE(templ->security.sandbox);
  auto none = parse("hostname = \"a.b\"\n", "");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->security.sandbox);
  auto off = parse("hostname = \"a.b\"\n[security]\nsandbox = false\n", "");
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE(off->security.sandbox);
  auto bad = parse("hostname = \"a.b\"\n[security]\nsandbox = \"yes\"\n", "");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("security.sandbox must be true or false"), std::string::npos) << bad.error().message;
  auto typo = parse("hostname = \"a.b\"\n[security]\nsandbx = true\n", "");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("unknown setting security.sandbx"), std::string::npos) << typo.error().message;
}

}  // namespace claret::config
