// The hand-offs between the pipeline's threads: the read stage queues units in order, the parse
// workers take them in any order and put back their outputs, and the write stage takes the
// outputs back in the order they were read, so that the index never depends on timing.
// At most `window` units are between the reader and the writer: memory stays bounded.
// A failure in any thread stops every stage and is rethrown to the writer.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace dossier::detail {

/// Thread safety: every member may be called from any thread.
template <class In, class Out>
class OrderedChannel {
 public:
  explicit OrderedChannel(std::size_t window) : window_(window) {}

  /// Reader: queues `item` as the next one; waits while the window is full. False once stopped.
  bool push(In item) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return stopped_ || pushed_ - written_ < window_; });
    if (stopped_) return false;
    queue_.emplace_back(pushed_++, std::move(item));
    work_.notify_one();
    return true;
  }

  /// Reader: no more items.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    work_.notify_all();
    done_.notify_all();  // the writer may be waiting with everything already written
  }

  /// Worker: the next item and its sequence number; nullopt when there is no more work.
  std::optional<std::pair<std::size_t, In>> take() {
    std::unique_lock lock(mutex_);
    work_.wait(lock, [&] { return stopped_ || !queue_.empty() || closed_; });
    if (stopped_ || queue_.empty()) return std::nullopt;
    auto item = std::move(queue_.front());
    queue_.pop_front();
    return item;
  }

  /// Worker: the output of item `seq`.
  void put(std::size_t seq, Out out) {
    std::lock_guard lock(mutex_);
    outputs_.emplace(seq, std::move(out));
    done_.notify_all();
  }

  /// Writer: the next output in order; nullopt when everything pushed has been written. Rethrows
  /// the first failure of any thread.
  std::optional<Out> next() {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] {
      return failure_ || outputs_.count(written_) != 0 || (closed_ && written_ == pushed_);
    });
    if (failure_) std::rethrow_exception(failure_);
    const auto it = outputs_.find(written_);
    if (it == outputs_.end()) return std::nullopt;
    Out out = std::move(it->second);
    outputs_.erase(it);
    ++written_;
    space_.notify_all();
    return out;
  }

  /// Any thread: records the current exception as the run's failure (the first one wins) and
  /// stops every stage.
  void fail(std::exception_ptr failure) {
    std::lock_guard lock(mutex_);
    if (!failure_) failure_ = std::move(failure);
    stop_locked();
  }

  /// Stops every stage: push() and take() return at once.
  void stop() {
    std::lock_guard lock(mutex_);
    stop_locked();
  }

  /// Lock-free: the reader asks it between records.
  bool stopped() const { return stopped_flag_.load(std::memory_order_relaxed); }

 private:
  void stop_locked() {
    stopped_ = true;
    stopped_flag_.store(true, std::memory_order_relaxed);
    work_.notify_all();
    space_.notify_all();
    done_.notify_all();
  }

  const std::size_t window_;
  std::mutex mutex_;
  std::condition_variable work_;   // items queued, or closed or stopped
  std::condition_variable space_;  // the window moved, or stopped
  std::condition_variable done_;   // an output arrived, or closed, or failed
  std::deque<std::pair<std::size_t, In>> queue_;
  std::map<std::size_t, Out> outputs_;
  std::size_t pushed_ = 0;   // sequence number of the next item pushed
  std::size_t written_ = 0;  // sequence number of the next output the writer takes
  bool closed_ = false;
  bool stopped_ = false;
  std::atomic<bool> stopped_flag_{false};  // stopped_, readable without the mutex
  std::exception_ptr failure_;
};

}  // namespace dossier::detail
