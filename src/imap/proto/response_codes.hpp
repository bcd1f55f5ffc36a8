// IMAP response code names: RFC 9051 §7.1, RFC 4315 §3 (UIDPLUS), RFC 7162 §3.1-3.2 (CONDSTORE/QRESYNC),
// RFC 5530, RFC 5182 (NOTSAVED), RFC 5465, RFC 8474 (MAILBOXID), RFC 7889 (APPENDLIMIT via STATUS).
#pragma once

#include <string_view>

namespace claret::imap::proto::code {

inline constexpr std::string_view kAlert = "ALERT";
inline constexpr std::string_view kAlreadyExists = "ALREADYEXISTS";
inline constexpr std::string_view kAppendUid = "APPENDUID";
inline constexpr std::string_view kAuthenticationFailed = "AUTHENTICATIONFAILED";
inline constexpr std::string_view kAuthorizationFailed = "AUTHORIZATIONFAILED";
inline constexpr std::string_view kBadCharset = "BADCHARSET";
inline constexpr std::string_view kCannot = "CANNOT";
inline constexpr std::string_view kCapability = "CAPABILITY";
inline constexpr std::string_view kClientBug = "CLIENTBUG";
inline constexpr std::string_view kClosed = "CLOSED";
inline constexpr std::string_view kContactAdmin = "CONTACTADMIN";
inline constexpr std::string_view kCopyUid = "COPYUID";
inline constexpr std::string_view kCorruption = "CORRUPTION";
inline constexpr std::string_view kExpired = "EXPIRED";
inline constexpr std::string_view kExpungeIssued = "EXPUNGEISSUED";
inline constexpr std::string_view kHasChildren = "HASCHILDREN";
inline constexpr std::string_view kHighestModseq = "HIGHESTMODSEQ";
inline constexpr std::string_view kInUse = "INUSE";
inline constexpr std::string_view kLimit = "LIMIT";
inline constexpr std::string_view kMailboxId = "MAILBOXID";
inline constexpr std::string_view kModified = "MODIFIED";
inline constexpr std::string_view kNoModseq = "NOMODSEQ";
inline constexpr std::string_view kNonExistent = "NONEXISTENT";
inline constexpr std::string_view kNoPerm = "NOPERM";
inline constexpr std::string_view kNotSaved = "NOTSAVED";
inline constexpr std::string_view kOverQuota = "OVERQUOTA";
inline constexpr std::string_view kParse = "PARSE";
inline constexpr std::string_view kPermanentFlags = "PERMANENTFLAGS";
inline constexpr std::string_view kPrivacyRequired = "PRIVACYREQUIRED";
inline constexpr std::string_view kReadOnly = "READ-ONLY";
inline constexpr std::string_view kReadWrite = "READ-WRITE";
inline constexpr std::string_view kServerBug = "SERVERBUG";
inline constexpr std::string_view kTooBig = "TOOBIG";
inline constexpr std::string_view kTryCreate = "TRYCREATE";
inline constexpr std::string_view kUidNext = "UIDNEXT";
inline constexpr std::string_view kUidNotSticky = "UIDNOTSTICKY";
inline constexpr std::string_view kUidValidity = "UIDVALIDITY";
inline constexpr std::string_view kUnavailable = "UNAVAILABLE";
inline constexpr std::string_view kUnknownCte = "UNKNOWN-CTE";
inline constexpr std::string_view kUnseen = "UNSEEN";
inline constexpr std::string_view kCompressionActive = "COMPRESSIONACTIVE";

}  // namespace claret::imap::proto::code
