// Dispatch of framed IMAP commands to their argument parsers (RFC 9051 §6).
#include "imap/proto/command.hpp"

namespace claret::imap::proto {
namespace {

template <typename T>
Result<CommandArgs> wrap(Result<T> r) {
  if (!r) return r.error();
  return CommandArgs(std::move(r.value()));
}

Result<CommandArgs> parse_args(CommandId id, std::string_view a, const ParseOptions& opt) {
  switch (id) {
    case CommandId::capability:
    case CommandId::noop:
    case CommandId::logout:
    case CommandId::starttls:
    case CommandId::namespace_:
    case CommandId::idle:
    case CommandId::check:
    case CommandId::close:
    case CommandId::unselect:
    case CommandId::expunge:
      return wrap(parse_no_args(a));
    case CommandId::authenticate: return wrap(parse_authenticate(a));
    case CommandId::login: return wrap(parse_login(a));
    case CommandId::enable: return wrap(parse_enable(a));
    case CommandId::select:
    case CommandId::examine: return wrap(parse_select(a, opt));
    case CommandId::create: return wrap(parse_create(a, opt));
    case CommandId::delete_:
    case CommandId::subscribe:
    case CommandId::unsubscribe:
    case CommandId::getquotaroot: return wrap(parse_mailbox_only(a, opt));
    case CommandId::rename: return wrap(parse_rename(a, opt));
    case CommandId::list: return wrap(parse_list(a, opt));
    case CommandId::lsub: return wrap(parse_lsub(a, opt));
    case CommandId::status: return wrap(parse_status(a, opt));
    case CommandId::append: return wrap(parse_append(a, opt));
    case CommandId::uid_expunge: return wrap(parse_uid_expunge(a, opt));
    case CommandId::search:
    case CommandId::uid_search: return wrap(parse_search(a, opt));
    case CommandId::fetch: return wrap(parse_fetch(a, opt, false));
    case CommandId::uid_fetch: return wrap(parse_fetch(a, opt, true));
    case CommandId::store:
    case CommandId::uid_store: return wrap(parse_store(a, opt));
    case CommandId::copy:
    case CommandId::uid_copy:
    case CommandId::move:
    case CommandId::uid_move: return wrap(parse_copy(a, opt));
    case CommandId::sort:
    case CommandId::uid_sort: return wrap(parse_sort(a, opt));
    case CommandId::thread:
    case CommandId::uid_thread: return wrap(parse_thread(a, opt));
    case CommandId::id: return wrap(parse_id(a));
    case CommandId::getquota: return wrap(parse_getquota(a));
    case CommandId::setquota: return wrap(parse_setquota(a));
    case CommandId::compress: return wrap(parse_compress(a));
    case CommandId::notify: return wrap(parse_notify(a, opt));
  }
  return make_error("Unknown command", static_cast<int>(ParseErrc::syntax));
}

}  // namespace

Result<Command> parse_command(const RawCommand& raw, const ParseOptions& opt) {
  const CommandInfo* info = find_command(raw.name);
  if (!info) return make_error("Unknown command", static_cast<int>(ParseErrc::syntax));
  auto args = parse_args(info->id, raw.args, opt);
  if (!args) return args.error();
  return Command{raw.tag, info, std::move(args.value())};
}

}  // namespace claret::imap::proto
