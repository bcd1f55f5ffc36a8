// claret: entry point. Dispatch only; every subcommand lives in its own cmd_*.cpp.
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands.hpp"

namespace {

constexpr const char* kUsage =
    "usage: claret COMMAND [ARGS] [--config FILE]\n"
    "\n"
    "  init --domain D --data DIR [--hostname H] [--listen ADDR] [--port-offset N | --ephemeral-ports]\n"
    "       [--allow-plaintext-on-loopback] [--demo-account LOCALPART]\n"
    "                               write a commented config, a self-signed certificate and the store\n"
    "  config check                 validate the configuration\n"
    "  serve                        run the mail server\n"
    "  webmail [--listen ADDR:PORT --cert F --key F] [--imap URL] [--submission URL]\n"
    "                               the webmail alone, talking IMAP/submission to any mail server\n"
    "  domain add|list|del          manage mail domains\n"
    "  user add|list|del|passwd|quota   manage accounts\n"
    "  alias add|list|del           manage aliases (catch-all: @domain)\n"
    "  deliver --to ADDR [--to ADDR ...] [--from ADDR] < MESSAGE\n"
    "                               deliver a message from standard input into local mailboxes\n"
    "  mailbox list ADDRESS         an account's mailboxes and their counters\n"
    "  sendmail [-t] [-i] [-f SENDER] [-F NAME] [RECIPIENT...] < MESSAGE\n"
    "                               the classic sendmail interface (also when called as `sendmail`)\n"
    "  dkim keygen|list|record|sign DKIM keys: keygen --domain D --selector S [--algorithm rsa|ed25519]\n"
    "                               prints the DNS TXT record to publish\n"
    "  queue list|show|retry|hold|release|delete|flush [--run]\n"
    "                               the outbound queue (flush: everything due now; --run: deliver from here)\n"
    "  fsck [--repair] [--grace SECONDS]\n"
    "                               check the store; --repair fixes counters and orphans, never deletes mail\n"
    "\n"
    "The configuration is --config FILE, else $CLARET_CONFIG, else ./var/claret.toml,\n"
    "else /etc/claret/claret.toml.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace claret::app;
  // Everything claret creates (store, WAL, blobs, queue, keys, config) is private to the service user:
  // files 0600, directories 0700 (issue #9), whatever mode each call site asks for.
  ::umask(077);
  // Installed as /usr/sbin/sendmail (a symlink to claret), it behaves as sendmail, as Postfix's does.
  std::string_view program = argv[0];
  if (auto slash = program.rfind('/'); slash != std::string_view::npos) program.remove_prefix(slash + 1);
  if (program == "sendmail") return cmd_sendmail(Words(argv + 1, argv + argc));
  if (argc < 2 || !std::strcmp(argv[1], "help") || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  Words args(argv + 2, argv + argc);
  if (command == "init") return cmd_init(args);
  if (command == "config") return cmd_config(args);
  if (command == "domain") return cmd_domain(args);
  if (command == "user") return cmd_user(args);
  if (command == "alias") return cmd_alias(args);
  if (command == "serve") return cmd_serve(args);
  if (command == "deliver") return cmd_deliver(args);
  if (command == "mailbox") return cmd_mailbox(args);
  if (command == "sendmail") return cmd_sendmail(args);
  if (command == "dkim") return cmd_dkim(args);
  if (command == "queue") return cmd_queue(args);
  if (command == "webmail") return cmd_webmail(args);
  if (command == "fsck") return cmd_fsck(args);
  if (command == "version" || command == "--version") {
    std::puts("claret 0.1.0");
    return 0;
  }
  return fail("unknown command '" + command + "' (see `claret help`)", 2);
}
