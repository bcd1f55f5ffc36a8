// COMPRESS (RFC 4978 §3): DEFLATE, the only mechanism defined. The tagged OK leaves uncompressed, then
// io::Connection compresses everything after it and inflates everything the client sends from the byte after
// the command's CRLF (including bytes already read ahead).
#include "base/log.hpp"
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_compress(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::CompressArgs>(cmd.args);
  if (args.algorithm != "DEFLATE") {
    s.bad(cmd.tag, "Unknown compression mechanism " + args.algorithm + " (only DEFLATE)");
    co_return;
  }
  // §3: NO [COMPRESSIONACTIVE] when compression is already on (TLS compression never is: the TLS policy forbids it).
  if (s.conn().is_compressed()) {
    s.no(cmd.tag, "DEFLATE compression is already active", proto::response_code(proto::code::kCompressionActive));
    co_return;
  }
  s.ok(cmd.tag, "DEFLATE active");
  auto started = co_await s.conn().start_compression();
  if (!started) {
    // The OK may or may not have reached the client: the two sides can no longer agree on the framing.
    log::info("imap.compress.failed", {{"cid", s.cid()}, {"error", started.error().message}});
    s.closing = true;
    s.close_reason = "compress";
    co_return;
  }
  log::debug("imap.compress.active", {{"cid", s.cid()}});
}

}  // namespace claret::imap::server
