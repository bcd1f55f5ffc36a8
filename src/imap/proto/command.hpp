// Typed IMAP commands: maps a framed RawCommand to its CommandInfo and parsed arguments (RFC 9051 §6, §9).
#pragma once

#include <variant>

#include "base/result.hpp"
#include "imap/proto/append_args.hpp"
#include "imap/proto/commands.hpp"
#include "imap/proto/fetch_args.hpp"
#include "imap/proto/mailbox_args.hpp"
#include "imap/proto/message_args.hpp"
#include "imap/proto/notify_args.hpp"
#include "imap/proto/parse_options.hpp"
#include "imap/proto/receiver.hpp"
#include "imap/proto/search_args.hpp"
#include "imap/proto/session_args.hpp"
#include "imap/proto/sort_args.hpp"

namespace claret::imap::proto {

using CommandArgs =
    std::variant<NoArgs, AuthenticateArgs, LoginArgs, EnableArgs, SelectArgs, CreateArgs, MailboxArgs, RenameArgs,
                 ListArgs, StatusArgs, AppendArgs, SearchArgs, FetchArgs, StoreArgs, CopyArgs, UidExpungeArgs,
                 SortArgs, ThreadArgs, IdArgs, QuotaRootArgs, SetQuotaArgs, CompressArgs, NotifyArgs>;

struct Command {
  std::string tag;
  const CommandInfo* info = nullptr;
  CommandArgs args;
};

// Error::code is a ParseErrc (cursor.hpp); an unknown command name gives ParseErrc::syntax with the message
// "Unknown command". The answer to any error is "tag BAD message" except bad_charset (NO [BADCHARSET]).
Result<Command> parse_command(const RawCommand& raw, const ParseOptions& opt);

}  // namespace claret::imap::proto
