// The subcommands of the claret binary. Each returns the process exit code; errors are printed as one
// line "claret: ..." on stderr by the command itself.
#pragma once

#include <string>
#include <vector>

namespace claret::app {

using Words = std::vector<std::string>;

int cmd_init(const Words& args);
int cmd_config(const Words& args);
int cmd_domain(const Words& args);
int cmd_user(const Words& args);
int cmd_alias(const Words& args);
int cmd_serve(const Words& args);
int cmd_deliver(const Words& args);
int cmd_mailbox(const Words& args);
int cmd_sendmail(const Words& args);
int cmd_dkim(const Words& args);
int cmd_queue(const Words& args);
int cmd_webmail(const Words& args);
int cmd_fsck(const Words& args);

// Prints "claret: MESSAGE" to stderr and returns `code`.
int fail(const std::string& message, int code = 1);

}  // namespace claret::app
