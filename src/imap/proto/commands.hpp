// The IMAP command table: every command of RFC 9051 §6 and of the supported extensions, with the states that
// allow it (§3), whether it is allowed before TLS, and how it interacts with message sequence numbers (§7.5.1).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace claret::imap::proto {

enum class CommandId : std::uint8_t {
  capability, noop, logout,                                   // any state (RFC 9051 §6.1)
  starttls, authenticate, login,                              // not authenticated (§6.2)
  enable, select, examine, create, delete_, rename, subscribe, unsubscribe, list, lsub, namespace_, status,
  append, idle,                                               // authenticated (§6.3)
  check, close, unselect, expunge, uid_expunge, search, uid_search, fetch, uid_fetch, store, uid_store, copy,
  uid_copy, move, uid_move,                                   // selected (§6.4)
  sort, uid_sort, thread, uid_thread,                         // RFC 5256
  id,                                                         // RFC 2971
  getquota, getquotaroot, setquota,                           // RFC 9208
  compress,                                                   // RFC 4978
  notify,                                                     // RFC 5465
};

// States (RFC 9051 §3) as bits.
inline constexpr std::uint8_t kNotAuthenticated = 1;
inline constexpr std::uint8_t kAuthenticated = 2;
inline constexpr std::uint8_t kSelected = 4;
inline constexpr std::uint8_t kLogout = 8;  // no command is allowed once LOGOUT has started
inline constexpr std::uint8_t kAnyState = kNotAuthenticated | kAuthenticated | kSelected;
inline constexpr std::uint8_t kAuthenticatedStates = kAuthenticated | kSelected;

// Dovecot-style command flags. The server may send EXPUNGE (which renumbers messages) only while no command
// that uses sequence numbers is in progress (RFC 9051 §7.5.1: never during FETCH, STORE, SEARCH; the same holds
// for COPY, MOVE, SORT, THREAD that take sequence numbers); a command that breaks sequence numbers must not run
// in parallel with pipelined commands that use them (§5.5).
inline constexpr std::uint8_t kUsesSeqs = 1;    // arguments or replies are message sequence numbers
inline constexpr std::uint8_t kBreaksSeqs = 2;  // may expunge or change the selected mailbox
inline constexpr std::uint8_t kUid = 4;         // the UID form of a command

struct CommandInfo {
  CommandId id;
  std::string_view name;   // upper case, "UID FETCH" for UID forms
  std::uint8_t states;     // states in which the command is allowed
  // May be issued on a plaintext connection before STARTTLS. LOGIN and AUTHENTICATE are further subject to the
  // server's plaintext-authentication policy (LOGINDISABLED, RFC 9051 §6.2.3), which is not decided here.
  bool before_tls;
  std::uint8_t flags;
  std::string_view capability;  // extension that must be advertised (or enabled) for it; empty for the base
};

inline constexpr std::array<CommandInfo, 45> kCommands{{
    {CommandId::capability, "CAPABILITY", kAnyState, true, 0, ""},
    {CommandId::noop, "NOOP", kAnyState, true, 0, ""},
    {CommandId::logout, "LOGOUT", kAnyState, true, 0, ""},
    {CommandId::starttls, "STARTTLS", kNotAuthenticated, true, 0, "STARTTLS"},
    {CommandId::authenticate, "AUTHENTICATE", kNotAuthenticated, true, 0, ""},
    {CommandId::login, "LOGIN", kNotAuthenticated, true, 0, ""},
    {CommandId::enable, "ENABLE", kAuthenticatedStates, false, 0, "ENABLE"},
    {CommandId::select, "SELECT", kAuthenticatedStates, false, kBreaksSeqs, ""},
    {CommandId::examine, "EXAMINE", kAuthenticatedStates, false, kBreaksSeqs, ""},
    {CommandId::create, "CREATE", kAuthenticatedStates, false, 0, ""},
    {CommandId::delete_, "DELETE", kAuthenticatedStates, false, 0, ""},
    {CommandId::rename, "RENAME", kAuthenticatedStates, false, 0, ""},
    {CommandId::subscribe, "SUBSCRIBE", kAuthenticatedStates, false, 0, ""},
    {CommandId::unsubscribe, "UNSUBSCRIBE", kAuthenticatedStates, false, 0, ""},
    {CommandId::list, "LIST", kAuthenticatedStates, false, 0, ""},
    {CommandId::lsub, "LSUB", kAuthenticatedStates, false, 0, ""},
    {CommandId::namespace_, "NAMESPACE", kAuthenticatedStates, false, 0, "NAMESPACE"},
    {CommandId::status, "STATUS", kAuthenticatedStates, false, 0, ""},
    {CommandId::append, "APPEND", kAuthenticatedStates, false, 0, ""},
    {CommandId::idle, "IDLE", kAuthenticatedStates, false, 0, "IDLE"},
    {CommandId::check, "CHECK", kSelected, false, 0, ""},
    {CommandId::close, "CLOSE", kSelected, false, kBreaksSeqs, ""},
    {CommandId::unselect, "UNSELECT", kSelected, false, kBreaksSeqs, "UNSELECT"},
    {CommandId::expunge, "EXPUNGE", kSelected, false, kBreaksSeqs, ""},
    {CommandId::uid_expunge, "UID EXPUNGE", kSelected, false, kBreaksSeqs | kUid, "UIDPLUS"},
    {CommandId::search, "SEARCH", kSelected, false, kUsesSeqs, ""},
    {CommandId::uid_search, "UID SEARCH", kSelected, false, kUid, ""},
    {CommandId::fetch, "FETCH", kSelected, false, kUsesSeqs, ""},
    {CommandId::uid_fetch, "UID FETCH", kSelected, false, kUid, ""},
    {CommandId::store, "STORE", kSelected, false, kUsesSeqs, ""},
    {CommandId::uid_store, "UID STORE", kSelected, false, kUid, ""},
    {CommandId::copy, "COPY", kSelected, false, kUsesSeqs, ""},
    {CommandId::uid_copy, "UID COPY", kSelected, false, kUid, ""},
    {CommandId::move, "MOVE", kSelected, false, kUsesSeqs | kBreaksSeqs, "MOVE"},
    {CommandId::uid_move, "UID MOVE", kSelected, false, kBreaksSeqs | kUid, "MOVE"},
    {CommandId::sort, "SORT", kSelected, false, kUsesSeqs, "SORT"},
    {CommandId::uid_sort, "UID SORT", kSelected, false, kUid, "SORT"},
    {CommandId::thread, "THREAD", kSelected, false, kUsesSeqs, "THREAD"},
    {CommandId::uid_thread, "UID THREAD", kSelected, false, kUid, "THREAD"},
    {CommandId::id, "ID", kAnyState, true, 0, "ID"},
    {CommandId::getquota, "GETQUOTA", kAuthenticatedStates, false, 0, "QUOTA"},
    {CommandId::getquotaroot, "GETQUOTAROOT", kAuthenticatedStates, false, 0, "QUOTA"},
    {CommandId::setquota, "SETQUOTA", kAuthenticatedStates, false, 0, "QUOTA"},
    {CommandId::compress, "COMPRESS", kAuthenticatedStates, false, 0, "COMPRESS=DEFLATE"},
    {CommandId::notify, "NOTIFY", kAuthenticatedStates, false, 0, "NOTIFY"},
}};

// Looks a command up by its (case-insensitive) name as framed by the receiver; nullptr when unknown.
const CommandInfo* find_command(std::string_view name);
const CommandInfo& command_info(CommandId id);

inline bool allowed_in(const CommandInfo& info, std::uint8_t state) { return (info.states & state) != 0; }

}  // namespace claret::imap::proto
