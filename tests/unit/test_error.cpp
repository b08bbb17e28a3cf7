// dossier::Error and its code names.
#include <dossier/error.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

TEST_CASE("Error carries its code and message and is a std::exception", "[error]") {
  const dossier::Error e(dossier::ErrorCode::kLocked, "index /tmp/x is locked by another indexer");
  CHECK(e.code() == dossier::ErrorCode::kLocked);
  CHECK(std::string(e.what()) == "index /tmp/x is locked by another indexer");
  const std::exception& base = e;
  CHECK(std::string(base.what()).find("locked") != std::string::npos);
}

TEST_CASE("Every error code has a distinct stable name", "[error]") {
  using dossier::ErrorCode;
  const ErrorCode codes[] = {
      ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kIo,      ErrorCode::kParse,
      ErrorCode::kIndexVersion,    ErrorCode::kLocked,   ErrorCode::kCorrupt, ErrorCode::kInternal};
  std::set<std::string> names;
  for (const auto code : codes) {
    const std::string name(dossier::to_string(code));
    CHECK(name != "unknown");
    names.insert(name);
  }
  CHECK(names.size() == std::size(codes));
  CHECK(dossier::to_string(ErrorCode::kIndexVersion) == "index-version");
}
