// Password input and generation for the admin CLI.
#include "app/password_input.hpp"

#include <sodium.h>

#include <iostream>

namespace claret::app {

Result<std::string> read_password_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return make_error("no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return make_error("the password is empty");
  return line;
}

std::string random_password() {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::string out;
  for (int i = 0; i < 20; ++i) out += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  return out;
}

}  // namespace claret::app
