// The command table: proto::CommandId → handler. A command missing here (nullptr) is answered as unknown, so
// a command is only reachable once it is implemented (and its capability advertised, session.cpp).
#include <array>

#include "imap/server/commands.hpp"

namespace claret::imap::server {

namespace {

using proto::CommandId;

struct Entry {
  CommandId id;
  Handler handler;
};

constexpr Entry kHandlers[] = {
    {CommandId::capability, cmd_capability},
    {CommandId::noop, cmd_noop},
    {CommandId::logout, cmd_logout},
    {CommandId::starttls, cmd_starttls},
    {CommandId::authenticate, cmd_authenticate},
    {CommandId::login, cmd_login},
    {CommandId::enable, cmd_enable},
    {CommandId::select, cmd_select},
    {CommandId::examine, cmd_select},
    {CommandId::create, cmd_create},
    {CommandId::delete_, cmd_delete},
    {CommandId::rename, cmd_rename},
    {CommandId::subscribe, cmd_subscribe},
    {CommandId::unsubscribe, cmd_subscribe},
    {CommandId::list, cmd_list},
    {CommandId::lsub, cmd_list},
    {CommandId::namespace_, cmd_namespace},
    {CommandId::status, cmd_status},
    {CommandId::append, cmd_append},
    {CommandId::idle, cmd_idle},
    {CommandId::check, cmd_check},
    {CommandId::close, cmd_close},
    {CommandId::unselect, cmd_close},
    {CommandId::expunge, cmd_expunge},
    {CommandId::uid_expunge, cmd_expunge},
    {CommandId::search, cmd_search},
    {CommandId::uid_search, cmd_search},
    {CommandId::fetch, cmd_fetch},
    {CommandId::uid_fetch, cmd_fetch},
    {CommandId::store, cmd_store},
    {CommandId::uid_store, cmd_store},
    {CommandId::copy, cmd_copy},
    {CommandId::uid_copy, cmd_copy},
    {CommandId::move, cmd_copy},
    {CommandId::uid_move, cmd_copy},
    {CommandId::sort, cmd_sort},
    {CommandId::uid_sort, cmd_sort},
    {CommandId::thread, cmd_thread},
    {CommandId::uid_thread, cmd_thread},
    {CommandId::id, cmd_id},
    {CommandId::getquota, cmd_quota},
    {CommandId::getquotaroot, cmd_quota},
    {CommandId::setquota, cmd_quota},
    {CommandId::notify, cmd_notify},
    {CommandId::compress, cmd_compress},
};

constexpr auto kTable = [] {
  std::array<Handler, proto::kCommands.size()> t{};
  for (const auto& e : kHandlers) t[static_cast<std::size_t>(e.id)] = e.handler;
  return t;
}();

}  // namespace

Handler handler_for(proto::CommandId id) {
  const auto i = static_cast<std::size_t>(id);
  return i < kTable.size() ? kTable[i] : nullptr;
}

}  // namespace claret::imap::server
