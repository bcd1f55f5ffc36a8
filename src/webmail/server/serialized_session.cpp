// The strand-bound MailSession wrapper: each call is co_spawned onto the session's strand and awaited.
#include "webmail/server/serialized_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

namespace claret::webmail {
namespace {

// co_spawn needs a default-constructible result (it builds T() on exceptions); Result<T> is not.
template <typename T>
Task<std::optional<T>> optional_of(Task<T> work) {
  auto value = co_await std::move(work);
  co_return std::optional<T>(std::move(value));
}

template <typename T>
Task<T> on(boost::asio::any_io_executor ex, Task<T> work) {
  std::optional<T> result = co_await boost::asio::co_spawn(ex, optional_of(std::move(work)), boost::asio::use_awaitable);
  co_return std::move(*result);
}

Task<void> on_void(boost::asio::any_io_executor ex, Task<void> work) {
  co_await boost::asio::co_spawn(ex, std::move(work), boost::asio::use_awaitable);
}

class SerializedSession : public MailSession {
 public:
  SerializedSession(boost::asio::any_io_executor ex, std::unique_ptr<MailSession> inner)
      : ex_(std::move(ex)), inner_(std::move(inner)) {}

  const std::string& username() const override { return inner_->username(); }
  std::vector<std::string> identities() const override { return inner_->identities(); }
  Task<Result<std::vector<Folder>>> folders() override { return on(ex_, inner_->folders()); }
  Task<Status> create_folder(std::string name) override { return on(ex_, inner_->create_folder(std::move(name))); }
  Task<Status> rename_folder(std::string from, std::string to) override {
    return on(ex_, inner_->rename_folder(std::move(from), std::move(to)));
  }
  Task<Status> delete_folder(std::string name) override { return on(ex_, inner_->delete_folder(std::move(name))); }
  Task<Result<MessagePage>> list(ListQuery query) override { return on(ex_, inner_->list(std::move(query))); }
  Task<Result<MessageView>> message(std::string folder, uint32_t uid) override {
    return on(ex_, inner_->message(std::move(folder), uid));
  }
  Task<Result<std::vector<MessageSummary>>> thread(std::string folder, uint32_t uid) override {
    return on(ex_, inner_->thread(std::move(folder), uid));
  }
  Task<Result<std::string>> raw(std::string folder, uint32_t uid) override {
    return on(ex_, inner_->raw(std::move(folder), uid));
  }
  Task<Result<PartChunk>> part(std::string folder, uint32_t uid, std::string section, uint64_t offset,
                               uint64_t max_bytes) override {
    return on(ex_, inner_->part(std::move(folder), uid, std::move(section), offset, max_bytes));
  }
  Task<Status> set_flags(std::string folder, std::vector<uint32_t> uids, FlagChange change,
                         std::vector<std::string> flags) override {
    return on(ex_, inner_->set_flags(std::move(folder), std::move(uids), change, std::move(flags)));
  }
  Task<Status> copy(std::string folder, std::vector<uint32_t> uids, std::string to) override {
    return on(ex_, inner_->copy(std::move(folder), std::move(uids), std::move(to)));
  }
  Task<Status> move(std::string folder, std::vector<uint32_t> uids, std::string to) override {
    return on(ex_, inner_->move(std::move(folder), std::move(uids), std::move(to)));
  }
  Task<Status> expunge(std::string folder, std::vector<uint32_t> uids) override {
    return on(ex_, inner_->expunge(std::move(folder), std::move(uids)));
  }
  Task<Result<uint32_t>> append(std::string folder, std::string message, std::vector<std::string> flags) override {
    return on(ex_, inner_->append(std::move(folder), std::move(message), std::move(flags)));
  }
  Task<Status> send(Submission submission) override { return on(ex_, inner_->send(std::move(submission))); }
  Task<Result<std::optional<FolderEvent>>> wait_for_change(std::string folder,
                                                           std::chrono::milliseconds timeout) override {
    return on(ex_, inner_->wait_for_change(std::move(folder), timeout));
  }
  Task<void> logout() override { return on_void(ex_, inner_->logout()); }

 private:
  boost::asio::any_io_executor ex_;
  std::unique_ptr<MailSession> inner_;
};

}  // namespace

std::unique_ptr<MailSession> serialize_on(boost::asio::any_io_executor strand, std::unique_ptr<MailSession> inner) {
  return std::make_unique<SerializedSession>(std::move(strand), std::move(inner));
}

}  // namespace claret::webmail
