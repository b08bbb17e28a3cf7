// The one file-to-units reader (see source.hpp): documents are read once, whole, with their
// stamp checked around the read; JSON Lines files are streamed in units of whole lines.
#include "ingest/source.hpp"

#include "text/encoding.hpp"
#include "text/hash.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>
#include <utility>

namespace dossier::detail {
namespace fs = std::filesystem;

namespace {

Diagnostic error_at(const std::string& name, std::size_t line, std::string message) {
  return {Diagnostic::Severity::kError, name, line, std::move(message)};
}

// The system's reason for the last failed call, for messages ("Permission denied").
std::string last_error() {
  return errno != 0 ? std::strerror(errno) : "read error";
}

std::optional<Stamp> stamp_of(const fs::path& path, std::error_code& ec) {
  Stamp s;
  s.size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  s.mtime = mtime_of(path, ec);
  if (ec) return std::nullopt;
  return s;
}

// A file modified this recently may be in the middle of a write whose writer is paused: its size
// and time then stay put across a read that sees only part of it. Such a file is looked at again
// once it is this old, and counts as changing if its stamp moved meanwhile. Only files written
// in the last moment wait (at most this long, once), so an archive at rest never does.
constexpr std::int64_t kSettleNanoseconds = 100'000'000;

bool settled(const fs::path& path, const Stamp& stamp) {
  const auto now =
      static_cast<std::int64_t>(fs::file_time_type::clock::now().time_since_epoch().count());
  const auto age = now - stamp.mtime;
  if (age >= kSettleNanoseconds || age < 0) return true;
  std::this_thread::sleep_for(std::chrono::nanoseconds(kSettleNanoseconds - age));
  std::error_code ec;
  return stamp_of(path, ec) == stamp;
}

std::string mebibytes(std::uint64_t bytes) {
  return std::to_string(bytes >> 20U) + " MiB";
}

// A whole document, read once: the bytes hashed are the bytes parsed. A file whose size or time
// moves while it is read (or whose length disagrees with its size) is read again once, then
// reported as changing.
SourceUnit read_document(const SourceRequest& request, SourceRead& read) {
  SourceUnit unit;
  unit.format = request.format;
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::error_code ec;
    const auto before = stamp_of(request.path, ec);
    if (!before) {
      unit.failure = error_at(request.name, 0, "cannot read file: " + ec.message());
      return unit;
    }
    if (before->size > request.max_file_bytes) {
      unit.failure = error_at(request.name, 0,
                              "file of " + mebibytes(before->size) + " exceeds the limit of " +
                                  mebibytes(request.max_file_bytes) + ": skipped");
      return unit;
    }
    errno = 0;
    std::ifstream in(request.path, std::ios::binary);
    if (!in) {
      unit.failure = error_at(request.name, 0, "cannot read file: " + last_error());
      return unit;
    }
    // One byte more than the size: a file that grew meanwhile is noticed.
    unit.bytes.assign(before->size + 1, '\0');
    in.read(unit.bytes.data(), static_cast<std::streamsize>(unit.bytes.size()));
    if (in.bad()) {
      unit.bytes.clear();
      unit.failure = error_at(request.name, 0, "cannot read file: " + last_error());
      return unit;
    }
    unit.bytes.resize(static_cast<std::size_t>(in.gcount()));
    const auto after = stamp_of(request.path, ec);
    if (after && *after == *before && unit.bytes.size() == before->size &&
        settled(request.path, *before)) {
      read.stamp = *before;
      read.hash = fnv1a64(unit.bytes);
      if (request.unchanged && request.unchanged(read.hash)) {
        unit.bytes = {};
        unit.unchanged = true;
      }
      return unit;
    }
  }
  unit.bytes = {};
  unit.failure = error_at(request.name, 0,
                          "file changed while being read (twice): skipped; it is read again on "
                          "the next run");
  return unit;
}

std::uint64_t hash_file(const fs::path& path, bool& ok) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::uint64_t hash = kFnvOffset;
  std::string buffer(1U << 16U, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash = fnv1a64(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())), hash);
  }
  ok = ok && !in.bad();
  return hash;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// A JSON Lines file: optionally its content hash first (it decides whether the file changed),
// then its records in units of whole lines, so that one big export is parsed in parallel.
// Memory stays bounded: over-long records are skipped by the line reader. A file whose size or
// time moves meanwhile keeps its whole records and is reported, so the next run reads it again.
SourceRead read_jsonl(const SourceRequest& request, const UnitSink& sink) {
  SourceRead read;
  auto fail = [&](std::string message) {
    SourceUnit unit;
    unit.format = Format::kJsonLines;
    unit.failure = error_at(request.name, 0, std::move(message));
    read.stopped = !sink(std::move(unit), read);
    return read;
  };
  std::error_code ec;
  const auto before = stamp_of(request.path, ec);
  if (request.hash || request.unchanged) {
    bool ok = true;
    read.hash = hash_file(request.path, ok);
    if (!ok) return fail("cannot read file: " + last_error());
    if (request.unchanged && request.unchanged(read.hash)) {
      SourceUnit unit;
      unit.format = Format::kJsonLines;
      unit.unchanged = true;
      read.stopped = !sink(std::move(unit), read);
      return read;
    }
  }
  errno = 0;
  std::ifstream in(request.path, std::ios::binary);
  if (!in) return fail("cannot read file: " + last_error());
  {
    char head[8192];
    in.read(head, sizeof head);
    if (looks_binary(std::string_view(head, static_cast<std::size_t>(in.gcount())))) {
      return fail("binary file (NUL or control bytes), not JSON Lines: skipped");
    }
    in.clear();
    in.seekg(0);
  }
  LineReader lines(in, request.max_file_bytes);
  std::string line;
  std::size_t number = 0;
  std::size_t length = 0;
  bool any_record = false;
  auto fresh_unit = [] {
    SourceUnit unit;
    unit.format = Format::kJsonLines;
    unit.last = false;
    return unit;
  };
  SourceUnit unit = fresh_unit();
  bool more = true;
  while (more) {
    if (request.stopping && request.stopping()) {
      read.stopped = true;
      return read;
    }
    more = lines.next(line, number, length);
    if (more) {
      if (unit.bytes.empty() && unit.notes.empty()) unit.first_line = number;
      if (length > line.size()) {
        any_record = true;
        unit.notes.push_back(error_at(request.name, number,
                                      "record of " + std::to_string(length) +
                                          " bytes exceeds the limit of " +
                                          std::to_string(request.max_file_bytes) + ": skipped"));
        line.clear();  // keeps the line count of the unit right
      } else if (!blank(line)) {
        any_record = true;
      }
      unit.bytes += line;
      unit.bytes += '\n';
    }
    if (!more || unit.bytes.size() >= request.chunk_bytes) {
      unit.last = !more;
      if (!more && !any_record) {
        unit.notes.push_back(error_at(request.name, 0, "empty file: nothing to index"));
      }
      if (!more && lines.bad()) {
        unit.notes.push_back(error_at(request.name, number, "read error: file truncated here"));
      }
      if (!more &&
          (!before || stamp_of(request.path, ec) != before || !settled(request.path, *before))) {
        unit.late_failure = error_at(request.name, 0,
                                     "file changed while being read: its complete records were "
                                     "indexed; it is read again on the next run");
      }
      if (!sink(std::exchange(unit, fresh_unit()), read)) {
        read.stopped = true;
        return read;
      }
    }
  }
  return read;
}

}  // namespace

std::int64_t mtime_of(const fs::path& path, std::error_code& ec) {
  const auto t = fs::last_write_time(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(t.time_since_epoch().count());
}

std::optional<Stamp> stamp_of(const fs::path& path) {
  std::error_code ec;
  return stamp_of(path, ec);
}

SourceRead read_source(const SourceRequest& request, const UnitSink& sink) {
  if (request.format == Format::kJsonLines) return read_jsonl(request, sink);
  SourceRead read;
  auto unit = read_document(request, read);
  read.stopped = !sink(std::move(unit), read);
  return read;
}

bool LineReader::next(std::string& line, std::size_t& number, std::size_t& length) {
  line.clear();
  length = 0;
  auto* buffer = in_.rdbuf();
  if (buffer == nullptr) return false;
  bool any = false;
  bool too_long = false;
  for (int c = buffer->sbumpc(); c != std::char_traits<char>::eof(); c = buffer->sbumpc()) {
    any = true;
    if (c == '\n') break;
    ++length;
    if (too_long) continue;
    if (line.size() < max_) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;  // keep only its length from here on
      std::string().swap(line);
    }
  }
  if (!any) return false;
  number = ++number_;
  if (length > max_) {
    line.clear();
    return true;
  }
  if (number == 1 && line.rfind("\xef\xbb\xbf", 0) == 0) {
    line.erase(0, 3);
    length -= 3;
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
    --length;
  }
  return true;
}

}  // namespace dossier::detail
