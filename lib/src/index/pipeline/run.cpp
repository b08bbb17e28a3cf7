// The pipeline's wiring (see run.hpp).
#include "index/pipeline/run.hpp"

#include "index/pipeline/channel.hpp"
#include "index/pipeline/parse.hpp"
#include "index/pipeline/plan.hpp"
#include "index/pipeline/read.hpp"
#include "ingest/walk.hpp"

#include <dossier/error.hpp>

#include <algorithm>
#include <chrono>
#include <system_error>
#include <thread>

namespace dossier::detail {
namespace fs = std::filesystem;

namespace {

// The reader and the parse workers, started together and always joined.
class Threads {
 public:
  explicit Threads(UnitChannel& channel) : channel_(channel) {}
  Threads(const Threads&) = delete;
  Threads& operator=(const Threads&) = delete;
  ~Threads() { join(); }

  // Starts `body` on a new thread; a failure inside it stops the run and reaches the writer.
  template <class Body>
  void start(Body body) {
    threads_.emplace_back([this, body = std::move(body)]() mutable {
      try {
        body();
      } catch (...) {
        channel_.fail(std::current_exception());
      }
    });
  }

  // Stops every stage and joins the threads. Idempotent.
  void join() noexcept {
    channel_.stop();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  [[nodiscard]] std::size_t started() const { return threads_.size(); }

 private:
  UnitChannel& channel_;
  std::vector<std::thread> threads_;
};

}  // namespace

IndexReport run_pipeline(const std::vector<fs::path>& roots, const PipelineSetup& setup,
                         Destination& destination, const ProgressCallback& progress,
                         const std::stop_token& stop) {
  const auto started = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  const auto& options = setup.options;
  IndexReport report;

  // 1. Walk every root completely before anything is removed. Each folder or file that cannot
  // be read is reported by its own path; what was indexed from it is kept.
  auto walk = walk_inputs(roots, options.ingest.format, setup.index);
  for (const auto& e : walk.errors) report.failed.push_back({e.path, e.message});
  for (auto& n : walk.notes) report.warnings.push_back(std::move(n));
  if (!walk.unreadable.empty() || walk.roots.size() < roots.size()) report.complete = false;
  report.files_seen = walk.files.size();

  // 2. Plan against what the index remembers.
  auto plan = make_plan(walk.files, destination.states(), options.ingest, setup.build_from_nothing);
  report.unchanged += plan.unchanged_articles;

  // 3-4. A reader thread makes units, workers parse and analyse them; 5. this thread writes in
  // read order, so that the index is the same whatever the number of workers.
  const unsigned jobs =
      options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
  UnitChannel channel(4U * jobs + 4U);
  ReadStage reader(plan, options.ingest.max_file_bytes, setup.build_from_nothing, stop);
  const ParseSetup parse{setup.config,
                         setup.aliases,
                         setup.tagger,
                         options.title_weight,
                         options.ingest.max_file_bytes,
                         plan};
  Threads threads(channel);
  try {
    threads.start([&] { reader.run(channel); });
    for (unsigned w = 0; w < jobs; ++w) {
      threads.start([&] {
        Parser parser(parse);
        while (auto item = channel.take()) {
          channel.put(item->first, parser.parse(item->second.file, std::move(item->second.source)));
        }
      });
    }
  } catch (const std::system_error& e) {
    const auto count = threads.started();
    threads.join();
    destination.abandon();
    throw Error(ErrorCode::kIo, "cannot start the indexing threads (" + std::to_string(count) +
                                    " of " + std::to_string(jobs + 1) + " started): " + e.what() +
                                    "; nothing was written (try fewer --jobs)");
  }

  OrderedWriter writer(plan, destination, report);
  auto last_progress = std::chrono::steady_clock::now();
  try {
    while (auto unit = channel.next()) {
      writer.write(std::move(*unit));
      if (progress &&
          std::chrono::steady_clock::now() - last_progress > std::chrono::milliseconds(200)) {
        last_progress = std::chrono::steady_clock::now();
        progress({writer.files_done(), plan.files.size(), writer.articles_done(),
                  writer.bytes_done(), plan.bytes_total, seconds(), false});
      }
    }
    threads.join();
    report.interrupted = reader.cut_short();
    if (report.interrupted) report.complete = false;
    // 6. Files that vanished from completely walked roots, then commit (or merge the shards).
    writer.remove_vanished(walk);
    destination.finish(report.interrupted);
  } catch (...) {
    threads.join();
    destination.abandon();
    throw;
  }
  report.seconds = seconds();
  if (progress) {
    progress({writer.files_done(), plan.files.size(), writer.articles_done(), writer.bytes_done(),
              plan.bytes_total, seconds(), true});
  }
  return report;
}

}  // namespace dossier::detail
