// The directory walk (ingest/walk): inputs found, every unreadable folder reported by its own
// path, links followed once, index folders and hidden files left out.
#include "ingest/walk.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;
using dossier::Diagnostic;
using dossier::Format;
using dossier::detail::walk_inputs;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(DOSSIER_TEST_TMP) / "walk" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return fs::canonical(dir);
}

void touch(const fs::path& path, const std::string& text = "Sample\n\nText.\n") {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::vector<std::string> names(const std::vector<fs::path>& files, const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.lexically_relative(root).string());
  return out;
}

}  // namespace

TEST_CASE("An unreadable folder is reported by its own path and the walk carries on", "[walk]") {
  const auto root = scratch("fault");
  for (const char* sub : {"a", "b", "c"}) {
    touch(root / sub / "1.txt");
    touch(root / sub / "deeper" / "2.md");
  }
  const auto walk = walk_inputs({root}, Format::kAuto, {}, [&](const fs::path& dir) {
    return dir == root / "b" ? std::make_error_code(std::errc::permission_denied)
                             : std::error_code();
  });
  CHECK(names(walk.files, root) ==
        std::vector<std::string>{"a/1.txt", "a/deeper/2.md", "c/1.txt", "c/deeper/2.md"});
  REQUIRE(walk.errors.size() == 1);
  CHECK(walk.errors[0].path == (root / "b").string());
  CHECK(walk.errors[0].severity == Diagnostic::Severity::kError);
  CHECK_THAT(walk.errors[0].message, Catch::Contains("Permission denied"));
  CHECK(walk.unreadable == std::vector<std::string>{(root / "b").string()});
  REQUIRE(walk.roots.size() == 1);
  CHECK(walk.roots[0].folder);
}

TEST_CASE("Links to folders are noted, not followed, so loops end, and broken links are noted",
          "[walk]") {
  const auto root = scratch("links");
  touch(root / "real" / "1.txt");
  fs::create_directory_symlink(root, root / "real" / "loop");  // back to the root
  fs::create_directory_symlink(root / "real", root / "alias");
  fs::create_symlink(root / "missing.txt", root / "broken.txt");
  const auto walk = walk_inputs({root}, Format::kAuto);
  CHECK(names(walk.files, root) == std::vector<std::string>{"real/1.txt"});
  CHECK(walk.errors.empty());
  std::vector<std::string> notes;
  for (const auto& n : walk.notes)
    notes.push_back(fs::path(n.path).lexically_relative(root).string());
  std::sort(notes.begin(), notes.end());
  CHECK(notes == std::vector<std::string>{"alias", "broken.txt", "real/loop"});
  CHECK_THAT(walk.notes[0].message, Catch::Contains("not followed") || Catch::Contains("broken"));
}

TEST_CASE("Hidden files, sidecars, unknown types and Dossier index folders are not inputs",
          "[walk]") {
  const auto root = scratch("skipped");
  touch(root / "a.txt");
  touch(root / "a.txt.meta.yaml", "date: 2020-01-01\n");
  touch(root / ".hidden.txt");
  touch(root / ".git" / "b.txt");
  touch(root / "notes.log");
  touch(root / "index" / "dossier-index.json", "{}\n");
  touch(root / "index" / "c.txt");
  touch(root / "mine" / "d.txt");
  const auto walk = walk_inputs({root}, Format::kAuto, root / "mine");
  CHECK(names(walk.files, root) == std::vector<std::string>{"a.txt"});
  CHECK(walk.errors.empty());
  // With a format every file of the walk is an input, as with a named file.
  CHECK(names(walk_inputs({root}, Format::kPlainText).files, root) ==
        std::vector<std::string>{"a.txt", "mine/d.txt", "notes.log"});
  const auto named = walk_inputs({root / "notes.log"}, Format::kAuto);
  CHECK(named.files.empty());
  REQUIRE(named.errors.size() == 1);
  CHECK_THAT(named.errors[0].message, Catch::Contains("unknown file type '.log'"));
  CHECK(walk_inputs({root / "notes.log"}, Format::kPlainText).files.size() == 1);
  const auto missing = walk_inputs({root / "nope"}, Format::kAuto);
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0].message == "no such file or folder");
  CHECK(missing.roots.empty());
}
