// DeflateStage: the raw DEFLATE (RFC 1951) layer of a compressed connection (IMAP COMPRESS=DEFLATE, RFC 4978).
// Pure zlib, no I/O: Connection::Impl feeds it the bytes it reads and sends what it produces. Internal to io/
// (protocol code only calls Connection::start_compression()).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::io {

class DeflateStage {
 public:
  // Allocates both z_streams (raw deflate; see deflate_stage.cpp for the window and memLevel). Fails only when
  // zlib cannot.
  static Result<std::unique_ptr<DeflateStage>> create();
  ~DeflateStage();
  DeflateStage(const DeflateStage&) = delete;
  DeflateStage& operator=(const DeflateStage&) = delete;

  // Compressed bytes received from the peer, kept until inflate_into() has used them.
  void feed(std::string_view compressed);
  // Appends at most max_bytes of inflated data to `out` and returns how many. 0 means the stage needs more
  // input (has_pending_input() is then false). A corrupt stream, or bytes after its end, is an error.
  Result<std::size_t> inflate_into(std::string& out, std::size_t max_bytes);
  // Whether inflate_into() may produce more without new input (unused input, or output zlib still holds).
  bool has_pending_input() const;
  // Whether the peer ended its deflate stream (a final block): nothing more can follow.
  bool ended() const { return ended_; }

  // Compresses `data` and appends it to `out`, ending with a sync flush (RFC 4978 §4: the peer must be able to
  // decompress everything sent so far, e.g. a whole response).
  Status deflate_into(std::string_view data, std::string& out);

  // Bytes zlib allocated for both streams (what one compressed connection costs on top of a plain one).
  std::size_t zlib_memory() const;

 private:
  struct Streams;
  DeflateStage();
  Status deflate_slice(std::string_view data, std::string& out);
  std::unique_ptr<Streams> z_;
  std::string input_;           // compressed bytes not yet inflated
  std::size_t input_pos_ = 0;
  bool output_pending_ = false;  // the last inflate filled its output: zlib may hold more
  bool ended_ = false;           // the peer ended its deflate stream (final block)
};

}  // namespace claret::io
