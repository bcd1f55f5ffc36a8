// FakeSmtpServer (tests only): a scripted SMTP server on 127.0.0.1:0 with blocking sockets on its own thread,
// serving one connection at a time; every read is bounded so a stuck client cannot hang a test.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace claret::smtp::client::testing {

struct ReceivedMessage {
  std::string mail_from;             // the MAIL command line
  std::vector<std::string> rcpt_to;  // RCPT command lines that were accepted
  std::string data;                  // the message with dot-stuffing removed, CRLF line ends
};

class FakeSmtpServer {
 public:
  struct Options {
    std::string greeting = "220 fake.test ESMTP";
    // EHLO keywords after the greeting line; an empty list answers EHLO with 502 (HELO-only server).
    std::vector<std::string> ehlo_keywords = {"PIPELINING", "SIZE 1000000", "8BITMIME", "DSN", "ENHANCEDSTATUSCODES"};
    // Called for every command line; a non-empty result is sent instead of the default reply (no CRLF needed).
    std::function<std::string(const std::string& line)> on_command;
    // Reply to the end of DATA (default "250 2.0.0 queued").
    std::function<std::string(const std::string& data)> on_data;
  };

  explicit FakeSmtpServer(Options options);
  FakeSmtpServer() : FakeSmtpServer(Options{}) {}
  ~FakeSmtpServer();
  FakeSmtpServer(const FakeSmtpServer&) = delete;
  FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::vector<std::string> commands() const;
  std::vector<ReceivedMessage> messages() const;
  int connections() const { return connections_.load(); }

 private:
  void run();
  void serve(int fd);

  Options options_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<std::string> commands_;
  std::vector<ReceivedMessage> messages_;
  std::thread thread_;
};

}  // namespace claret::smtp::client::testing
