// io::connect: resolve, connect (every address in turn) and optionally handshake, under one time bound.
#include "io/connect.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "io/connection_impl.hpp"

namespace claret::io {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

asio::awaitable<Result<std::unique_ptr<Connection>>> connect(ConnectOptions options) {
  constexpr auto tok = asio::as_tuple(asio::use_awaitable);
  if (options.implicit_tls && !options.tls)
    co_return make_io_error(IoErrc::invalid_state, "implicit TLS needs a client TLS context");
  auto executor = co_await asio::this_coro::executor;
  auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;

  // Resolver and socket live in shared state so the timer callback can cancel them safely.
  struct Pending {
    explicit Pending(const asio::any_io_executor& ex) : resolver(ex), socket(ex), timer(ex) {}
    tcp::resolver resolver;
    tcp::socket socket;
    asio::steady_timer timer;
    bool timed_out = false;
  };
  auto pending = std::make_shared<Pending>(executor);
  pending->timer.expires_at(deadline);
  pending->timer.async_wait([weak = std::weak_ptr<Pending>(pending)](const boost::system::error_code& ec) {
    auto p = weak.lock();
    if (ec || !p) return;
    p->timed_out = true;
    p->resolver.cancel();
    boost::system::error_code ignored;
    p->socket.close(ignored);
  });

  auto [resolve_ec, endpoints] =
      co_await pending->resolver.async_resolve(options.host, std::to_string(options.port), tok);
  if (resolve_ec || pending->timed_out) {
    pending->timer.cancel();
    co_return make_io_error(pending->timed_out ? IoErrc::timeout : IoErrc::network,
                            "resolve " + options.host + ": " + resolve_ec.message());
  }
  // Addresses are tried in turn by hand (not asio::async_connect, which reopens the socket after the
  // timer closed it), so the time bound holds across all of them.
  boost::system::error_code connect_ec = asio::error::host_not_found;
  for (const auto& entry : endpoints) {
    if (pending->timed_out) break;
    boost::system::error_code ignored;
    pending->socket.close(ignored);
    if (pending->socket.open(entry.endpoint().protocol(), connect_ec); connect_ec) continue;
    std::tie(connect_ec) = co_await pending->socket.async_connect(entry.endpoint(), tok);
    if (!connect_ec) break;
  }
  pending->timer.cancel();
  if (connect_ec || pending->timed_out)
    co_return make_io_error(pending->timed_out ? IoErrc::timeout : IoErrc::network,
                            "connect " + options.host + ":" + std::to_string(options.port) + ": " +
                                connect_ec.message());

  boost::system::error_code ignored;
  pending->socket.set_option(tcp::no_delay(true), ignored);  // replies are batched by flush()
  auto impl = Connection::Impl::create(std::move(pending->socket), Connection::Impl::Role::client, options.tls,
                                       options.shutdown.value_or(ShutdownSignal{}),
                                       options.server_name.empty() ? options.host : options.server_name);
  impl->idle_timeout_ = options.idle_timeout;
  if (options.implicit_tls) {
    // The handshake shares the connect budget through the per-command deadline, then it is cleared.
    impl->deadline_ = deadline;
    auto st = co_await impl->handshake();
    impl->deadline_.reset();
    if (!st) {
      impl->force_close();
      co_return st.error();
    }
  }
  co_return std::make_unique<Connection>(std::move(impl));
}

}  // namespace claret::io
