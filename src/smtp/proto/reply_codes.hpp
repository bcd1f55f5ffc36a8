// Named SMTP reply codes (RFC 5321 §4.2.2-§4.2.3, RFC 4954 §6, RFC 3030, RFC 1870) and enhanced status codes
// (RFC 3463 §3, RFC 2034, RFC 6531 §3.5); DESIGN.md §7: no bare protocol codes anywhere else.
#pragma once

#include <cstddef>
#include <string_view>

namespace claret::smtp::proto {

// Basic reply codes. Names follow the RFC 5321 §4.2.3 texts.
namespace code {
inline constexpr int kSystemStatus = 211;
inline constexpr int kHelp = 214;
inline constexpr int kServiceReady = 220;
inline constexpr int kServiceClosing = 221;
inline constexpr int kAuthSucceeded = 235;           // RFC 4954 §6
inline constexpr int kOk = 250;
inline constexpr int kUserNotLocalWillForward = 251;
inline constexpr int kCannotVerify = 252;
inline constexpr int kAuthChallenge = 334;           // RFC 4954 §4
inline constexpr int kStartMailInput = 354;
inline constexpr int kServiceNotAvailable = 421;
inline constexpr int kPasswordTransitionNeeded = 432;  // RFC 4954 §6
inline constexpr int kMailboxUnavailableTemp = 450;
inline constexpr int kLocalError = 451;
inline constexpr int kInsufficientStorage = 452;    // also "too many recipients" (§4.5.3.1.10)
inline constexpr int kTempAuthFailure = 454;         // RFC 4954 §6, also "TLS not available" (RFC 3207)
inline constexpr int kParamsNotAccommodatedTemp = 455;
inline constexpr int kSyntaxError = 500;             // command unrecognised, line too long
inline constexpr int kParamSyntaxError = 501;        // bad arguments, path too long
inline constexpr int kNotImplemented = 502;
inline constexpr int kBadSequence = 503;
inline constexpr int kParamNotImplemented = 504;     // also unknown AUTH mechanism (RFC 4954 §4)
inline constexpr int kDoesNotAcceptMail = 521;       // RFC 7504
inline constexpr int kAuthRequired = 530;            // RFC 4954 §6
inline constexpr int kAuthTooWeak = 534;             // RFC 4954 §6
inline constexpr int kAuthInvalidCredentials = 535;  // RFC 4954 §6
inline constexpr int kEncryptionRequired = 538;      // RFC 4954 §6
inline constexpr int kMailboxUnavailable = 550;
inline constexpr int kUserNotLocal = 551;
inline constexpr int kExceededStorage = 552;         // message too large (RFC 1870)
inline constexpr int kMailboxNameNotAllowed = 553;   // mailbox syntax incorrect
inline constexpr int kTransactionFailed = 554;
inline constexpr int kParamsNotRecognized = 555;     // unknown MAIL/RCPT parameter
}  // namespace code

// Enhanced status codes "class.subject.detail" (RFC 3463). RFC 2034 §4: they prefix every 2xx/4xx/5xx
// reply line except the greeting and the EHLO/HELO/LHLO reply; 3xx replies carry none.
namespace enhanced {
inline constexpr std::string_view kNone = "";
inline constexpr std::string_view kOk = "2.0.0";
inline constexpr std::string_view kSenderOk = "2.1.0";
inline constexpr std::string_view kRecipientOk = "2.1.5";
inline constexpr std::string_view kMessageAccepted = "2.6.0";
inline constexpr std::string_view kAuthSucceeded = "2.7.0";
inline constexpr std::string_view kClosing = "2.0.0";

inline constexpr std::string_view kTempFailure = "4.0.0";
inline constexpr std::string_view kMailboxFullTemp = "4.2.2";
inline constexpr std::string_view kSystemError = "4.3.0";
inline constexpr std::string_view kSystemShuttingDown = "4.3.2";
inline constexpr std::string_view kNetworkError = "4.4.2";
inline constexpr std::string_view kTooManyRecipientsTemp = "4.5.3";
inline constexpr std::string_view kTempAuthFailure = "4.7.0";
inline constexpr std::string_view kTempPolicy = "4.7.1";

inline constexpr std::string_view kPermFailure = "5.0.0";
inline constexpr std::string_view kNoSuchUser = "5.1.1";
inline constexpr std::string_view kBadDestinationSyntax = "5.1.3";
inline constexpr std::string_view kBadSenderSyntax = "5.1.7";
inline constexpr std::string_view kMailboxFull = "5.2.2";
inline constexpr std::string_view kMessageTooBig = "5.3.4";
inline constexpr std::string_view kProtocolError = "5.5.0";
inline constexpr std::string_view kInvalidCommand = "5.5.1";
inline constexpr std::string_view kSyntaxError = "5.5.2";
inline constexpr std::string_view kTooManyRecipients = "5.5.3";
inline constexpr std::string_view kInvalidArguments = "5.5.4";
inline constexpr std::string_view kAuthLineTooLong = "5.5.6";      // RFC 4954 §6
inline constexpr std::string_view kContentError = "5.6.0";         // bare CR/LF, broken content
inline constexpr std::string_view kNonAsciiNotPermitted = "5.6.7";  // RFC 6531 §3.5
inline constexpr std::string_view kPolicyRejected = "5.7.0";
inline constexpr std::string_view kAuthRequired = "5.7.0";
inline constexpr std::string_view kRelayDenied = "5.7.1";
inline constexpr std::string_view kAuthInvalidCredentials = "5.7.8";
inline constexpr std::string_view kAuthTooWeak = "5.7.9";
inline constexpr std::string_view kEncryptionRequired = "5.7.11";
}  // namespace enhanced

// Protocol limits of RFC 5321 §4.5.3.1 (octets). Configurable limits live in config/ Limits; these are the
// floors and the syntax maxima the parsers enforce.
namespace limit {
inline constexpr std::size_t kLocalPart = 64;
inline constexpr std::size_t kDomain = 255;
inline constexpr std::size_t kDomainLabel = 63;  // RFC 1035 §2.3.4
inline constexpr std::size_t kPath = 256;        // including "<", ">" and route punctuation
inline constexpr std::size_t kCommandLine = 512; // including CRLF
inline constexpr std::size_t kTextLine = 1000;   // including CRLF
inline constexpr std::size_t kReplyLine = 512;   // including CRLF
inline constexpr std::size_t kEnvidXtext = 100;  // RFC 3461 §4.4
inline constexpr std::size_t kOrcptValue = 500;  // RFC 3461 §4.2
}  // namespace limit

}  // namespace claret::smtp::proto
