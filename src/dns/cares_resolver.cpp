// CaresResolver: blocking MX/A/AAAA lookups on c-ares with poll(2), CNAME chains followed (RFC 1034 §3.6.2);
// NXDOMAIN is permanent, timeouts and server failures temporary (RFC 5321 §5.1, §4.5.4.1).
#include "dns/cares_resolver.hpp"

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <poll.h>

#include <mutex>

#include "base/strings.hpp"

namespace claret::dns {
namespace {

constexpr int kMaxCnameHops = 8;

struct QueryState {
  bool done = false;
  int status = ARES_SUCCESS;
  std::string answer;
};

void on_answer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto* st = static_cast<QueryState*>(arg);
  st->done = true;
  st->status = status;
  if (status == ARES_SUCCESS && abuf && alen > 0) st->answer.assign(reinterpret_cast<const char*>(abuf), alen);
}

Error classify(int status, std::string_view name) {
  std::string what = std::string(name) + ": " + ares_strerror(status);
  switch (status) {
    case ARES_ENOTFOUND:  // NXDOMAIN
    case ARES_EBADNAME:
      return dns_error(DnsErrc::permanent, what);
    default:  // ETIMEOUT, ESERVFAIL, EREFUSED, ECONNREFUSED, EBADRESP …
      return dns_error(DnsErrc::temporary, what);
  }
}

// "ip:port", "[v6]:port", "ip" → the ares_set_servers_ports_csv form; nullopt-like empty string on error.
std::string normalise_server(std::string_view s) {
  s = trim(s);
  if (s.empty()) return {};
  in6_addr v6{};
  in_addr v4{};
  if (s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos) return {};
    std::string host(s.substr(1, close - 1));
    if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) return {};
    std::string_view rest = s.substr(close + 1);
    if (rest.empty()) return "[" + host + "]";
    if (rest.front() != ':' || !parse_u64(rest.substr(1)) || *parse_u64(rest.substr(1)) > 65535) return {};
    return "[" + host + "]" + std::string(rest);
  }
  auto colon = s.find(':');
  if (colon != std::string_view::npos && s.find(':', colon + 1) != std::string_view::npos) {
    std::string host(s);  // bare IPv6 without port
    return inet_pton(AF_INET6, host.c_str(), &v6) == 1 ? host : std::string{};
  }
  std::string host(s.substr(0, colon));
  if (inet_pton(AF_INET, host.c_str(), &v4) != 1) return {};
  if (colon == std::string_view::npos) return host;
  auto port = parse_u64(s.substr(colon + 1));
  if (!port || *port == 0 || *port > 65535) return {};
  return host + ":" + std::to_string(*port);
}

// The last CNAME target in the answer section (RFC 1035 §4.1.3 resource records), or "" if there is none.
std::string cname_target(const unsigned char* buf, int len) {
  if (len < 12) return {};
  const unsigned char* end = buf + len;
  const int questions = buf[4] << 8 | buf[5];
  const int answers = buf[6] << 8 | buf[7];
  const unsigned char* p = buf + 12;
  auto skip_name = [&]() {
    char* name = nullptr;
    long used = 0;
    if (p >= end || ares_expand_name(p, buf, len, &name, &used) != ARES_SUCCESS) return false;
    ares_free_string(name);
    p += used;
    return p <= end;
  };
  for (int i = 0; i < questions; ++i) {
    if (!skip_name() || end - p < 4) return {};
    p += 4;  // QTYPE, QCLASS
  }
  std::string target;
  for (int i = 0; i < answers; ++i) {
    if (!skip_name() || end - p < 10) return target;
    const int type = p[0] << 8 | p[1];
    const int rdlength = p[8] << 8 | p[9];
    p += 10;
    if (end - p < rdlength) return target;
    if (type == ns_t_cname) {
      char* name = nullptr;
      long used = 0;
      if (ares_expand_name(p, buf, len, &name, &used) == ARES_SUCCESS) {
        target = name;
        ares_free_string(name);
      }
    }
    p += rdlength;
  }
  return target;
}

}  // namespace

Result<std::unique_ptr<CaresResolver>> CaresResolver::create(CaresOptions options) {
  static std::once_flag once;
  static int init_status = ARES_SUCCESS;
  std::call_once(once, [] { init_status = ares_library_init(ARES_LIB_INIT_ALL); });
  if (init_status != ARES_SUCCESS) return make_error(std::string("c-ares init: ") + ares_strerror(init_status));
  std::string csv;
  for (const auto& s : options.servers) {
    std::string n = normalise_server(s);
    if (n.empty()) return make_error("invalid DNS server '" + s + "' (expected ip or ip:port)");
    if (!csv.empty()) csv += ",";
    csv += n;
  }
  if (options.tries < 1) options.tries = 1;
  return std::unique_ptr<CaresResolver>(new CaresResolver(std::move(options), std::move(csv)));
}

Result<std::string> CaresResolver::query(std::string_view name, int type) {
  ares_channel channel = nullptr;
  ares_options opts{};
  opts.timeout = static_cast<int>(options_.timeout.count());
  opts.tries = options_.tries;
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
  int rc = ares_init_options(&channel, &opts, mask);
  if (rc != ARES_SUCCESS) return dns_error(DnsErrc::temporary, std::string("c-ares channel: ") + ares_strerror(rc));
  if (!servers_csv_.empty()) {
    rc = ares_set_servers_ports_csv(channel, servers_csv_.c_str());
    if (rc != ARES_SUCCESS) {
      ares_destroy(channel);
      return dns_error(DnsErrc::temporary, std::string("c-ares servers: ") + ares_strerror(rc));
    }
  }
  QueryState st;
  std::string qname(name);
  ares_query(channel, qname.c_str(), ns_c_in, type, on_answer, &st);
  while (!st.done) {
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    int bits = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    pollfd fds[ARES_GETSOCK_MAXNUM];
    nfds_t n = 0;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short ev = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) ev |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) ev |= POLLOUT;
      if (ev) fds[n++] = pollfd{socks[i], ev, 0};
    }
    timeval max{1, 0};
    timeval tv{};
    timeval* t = ares_timeout(channel, &max, &tv);
    int ms = static_cast<int>(t->tv_sec * 1000 + t->tv_usec / 1000);
    int ready = ::poll(fds, n, ms);
    if (ready <= 0) {
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // lets c-ares handle its timeouts
      continue;
    }
    for (nfds_t i = 0; i < n; ++i) {
      ares_socket_t r = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD;
      ares_socket_t w = (fds[i].revents & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD;
      if (r != ARES_SOCKET_BAD || w != ARES_SOCKET_BAD) ares_process_fd(channel, r, w);
    }
  }
  ares_destroy(channel);
  if (st.status == ARES_ENODATA) return std::string();  // the name exists, no records of this type
  if (st.status != ARES_SUCCESS) return classify(st.status, name);
  return std::move(st.answer);
}

Result<std::vector<MxRecord>> CaresResolver::mx(std::string_view domain) {
  auto answer = query(domain, ns_t_mx);
  if (!answer) return answer.error();
  std::vector<MxRecord> out;
  if (answer->empty()) return out;
  ares_mx_reply* replies = nullptr;
  int rc = ares_parse_mx_reply(reinterpret_cast<const unsigned char*>(answer->data()),
                               static_cast<int>(answer->size()), &replies);
  if (rc == ARES_ENODATA) return out;
  if (rc != ARES_SUCCESS) return classify(rc, domain);
  for (ares_mx_reply* r = replies; r; r = r->next) {
    std::string host = r->host ? r->host : "";
    while (!host.empty() && host.back() == '.') host.pop_back();
    out.push_back({r->priority, to_lower(host)});
  }
  ares_free_data(replies);
  return out;
}

Result<std::vector<std::string>> CaresResolver::addresses(std::string_view host, int type) {
  std::string name(host);
  for (int hop = 0; hop < kMaxCnameHops; ++hop) {
    auto answer = query(name, type);
    if (!answer) return answer.error();
    std::vector<std::string> out;
    if (answer->empty()) return out;
    const auto* buf = reinterpret_cast<const unsigned char*>(answer->data());
    const int len = static_cast<int>(answer->size());
    hostent* he = nullptr;
    int rc = type == ns_t_a ? ares_parse_a_reply(buf, len, &he, nullptr, nullptr)
                            : ares_parse_aaaa_reply(buf, len, &he, nullptr, nullptr);
    if (rc != ARES_SUCCESS && rc != ARES_ENODATA) return classify(rc, name);
    if (rc == ARES_SUCCESS) {
      char text[INET6_ADDRSTRLEN];
      for (char** p = he->h_addr_list; p && *p; ++p)
        if (inet_ntop(he->h_addrtype, *p, text, sizeof(text))) out.emplace_back(text);
      ares_free_hostent(he);
    }
    if (!out.empty()) return out;
    // c-ares follows CNAMEs inside one answer; a server that returned only the CNAME needs another query.
    std::string target = cname_target(buf, len);
    if (target.empty() || iequals(target, name)) return out;
    name = target;
  }
  return dns_error(DnsErrc::temporary, "CNAME chain too long for " + std::string(host));
}

Result<std::vector<std::string>> CaresResolver::a(std::string_view host) { return addresses(host, ns_t_a); }
Result<std::vector<std::string>> CaresResolver::aaaa(std::string_view host) { return addresses(host, ns_t_aaaa); }

}  // namespace claret::dns
