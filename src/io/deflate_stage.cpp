// DeflateStage: raw DEFLATE both ways with zlib (negative windowBits: no zlib header, RFC 4978 §3), output bounded per
// call so a small "bomb" never inflates into one large buffer, and a sync flush after every write (§4).
#include "io/deflate_stage.hpp"

#include <zlib.h>

#include "io/errors.hpp"

namespace claret::io {
namespace {

// Raw deflate (no zlib header). Inflating needs the full 32 KiB window: the peer may use it. Deflating with an 8 KiB
// window and memLevel 6 costs 70 KiB instead of zlib's default 262 KiB (windowBits 15, memLevel 8) and lost 3 % of
// the ratio on ../shared/corpus (687 messages, one sync flush each: 2.60:1 instead of 2.68:1); any inflater
// accepts a smaller window.
constexpr int kInflateWindowBits = -15;
constexpr int kDeflateWindowBits = -13;
constexpr int kMemLevel = 6;
constexpr int kLevel = 6;  // zlib's default speed/size trade-off (Dovecot's too)

// zlib allocations, counted so zlib_memory() can say what a compressed connection costs.
voidpf counting_alloc(voidpf opaque, uInt items, uInt size) {
  const std::size_t bytes = static_cast<std::size_t>(items) * size;
  auto* block = static_cast<std::size_t*>(::operator new(bytes + sizeof(std::size_t), std::nothrow));
  if (!block) return Z_NULL;
  *block = bytes;
  *static_cast<std::size_t*>(opaque) += bytes;
  return block + 1;
}

void counting_free(voidpf opaque, voidpf address) {
  if (!address) return;
  auto* block = static_cast<std::size_t*>(address) - 1;
  *static_cast<std::size_t*>(opaque) -= *block;
  ::operator delete(block);
}

Error zlib_error(const char* what, const z_stream& z, int rc) {
  std::string detail = std::string(what) + ": " + (z.msg ? z.msg : zError(rc));
  return make_io_error(IoErrc::network, detail);
}

}  // namespace

struct DeflateStage::Streams {
  z_stream in{};
  z_stream out{};
  bool in_ready = false;
  bool out_ready = false;
  std::size_t allocated = 0;

  Streams() {
    in.zalloc = out.zalloc = counting_alloc;
    in.zfree = out.zfree = counting_free;
    in.opaque = out.opaque = &allocated;
  }
  ~Streams() {
    if (in_ready) inflateEnd(&in);
    if (out_ready) deflateEnd(&out);
  }
};

DeflateStage::DeflateStage() : z_(std::make_unique<Streams>()) {}
DeflateStage::~DeflateStage() = default;

Result<std::unique_ptr<DeflateStage>> DeflateStage::create() {
  std::unique_ptr<DeflateStage> stage(new DeflateStage());
  Streams& z = *stage->z_;
  int rc = inflateInit2(&z.in, kInflateWindowBits);
  if (rc != Z_OK) return zlib_error("inflateInit2", z.in, rc);
  z.in_ready = true;
  rc = deflateInit2(&z.out, kLevel, Z_DEFLATED, kDeflateWindowBits, kMemLevel, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK) return zlib_error("deflateInit2", z.out, rc);
  z.out_ready = true;
  return stage;
}

void DeflateStage::feed(std::string_view compressed) {
  if (input_pos_ == input_.size()) {
    input_.clear();
    input_pos_ = 0;
  }
  input_.append(compressed);
}

bool DeflateStage::has_pending_input() const { return input_pos_ < input_.size() || output_pending_; }

Result<std::size_t> DeflateStage::inflate_into(std::string& out, std::size_t max_bytes) {
  if (max_bytes == 0) return std::size_t{0};
  if (ended_) {
    if (input_pos_ < input_.size()) return make_io_error(IoErrc::network, "data after the end of the compressed stream");
    return std::size_t{0};
  }
  z_stream& z = z_->in;
  const std::size_t old_size = out.size();
  out.resize(old_size + max_bytes);
  z.next_in = reinterpret_cast<Bytef*>(input_.data() + input_pos_);
  z.avail_in = static_cast<uInt>(input_.size() - input_pos_);
  z.next_out = reinterpret_cast<Bytef*>(out.data() + old_size);
  z.avail_out = static_cast<uInt>(max_bytes);
  const int rc = inflate(&z, Z_SYNC_FLUSH);
  const std::size_t produced = max_bytes - z.avail_out;
  input_pos_ = input_.size() - z.avail_in;
  out.resize(old_size + produced);
  if (input_pos_ == input_.size()) {
    input_.clear();
    input_pos_ = 0;
  }
  output_pending_ = z.avail_out == 0;
  switch (rc) {
    case Z_OK:
      return produced;
    case Z_BUF_ERROR:  // no progress possible: needs more input (not an error for a stream)
      output_pending_ = false;
      return produced;
    case Z_STREAM_END:
      ended_ = true;
      output_pending_ = false;
      return produced;
    default:
      return zlib_error("inflate", z, rc);
  }
}

Status DeflateStage::deflate_into(std::string_view data, std::string& out) {
  // zlib counts in uInt: hand it at most 1 GiB at a time (a large FETCH reply may be one write).
  constexpr std::size_t kSlice = std::size_t{1} << 30;
  while (data.size() > kSlice) {
    auto st = deflate_slice(data.substr(0, kSlice), out);
    if (!st) return st;
    data.remove_prefix(kSlice);
  }
  return deflate_slice(data, out);
}

Status DeflateStage::deflate_slice(std::string_view data, std::string& out) {
  z_stream& z = z_->out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  // deflateBound covers a whole stream; plus room for the sync flush marker. Loop anyway: zlib says when it is done.
  std::size_t chunk = deflateBound(&z, static_cast<uLong>(data.size())) + 16;
  for (;;) {
    const std::size_t old_size = out.size();
    out.resize(old_size + chunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + old_size);
    z.avail_out = static_cast<uInt>(chunk);
    const int rc = deflate(&z, Z_SYNC_FLUSH);
    out.resize(old_size + chunk - z.avail_out);
    if (rc != Z_OK && rc != Z_BUF_ERROR) return zlib_error("deflate", z, rc);
    // Done when all input is taken and zlib did not fill the buffer (it would have more to flush).
    if (z.avail_in == 0 && z.avail_out != 0) return Status{};
  }
}

std::size_t DeflateStage::zlib_memory() const { return z_->allocated; }

}  // namespace claret::io
