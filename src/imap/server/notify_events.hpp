// IMAP NOTIFY events as bits (RFC 5465 §5), shared by the change feed and the NOTIFY settings.
#pragma once

namespace claret::imap::server::notify_event {

inline constexpr unsigned kMessageNew = 1;
inline constexpr unsigned kMessageExpunge = 2;
inline constexpr unsigned kFlagChange = 4;
inline constexpr unsigned kMailboxName = 8;
inline constexpr unsigned kSubscriptionChange = 16;
inline constexpr unsigned kMessageEvents = kMessageNew | kMessageExpunge | kFlagChange;
inline constexpr unsigned kMailboxEvents = kMailboxName | kSubscriptionChange;

}  // namespace claret::imap::server::notify_event
