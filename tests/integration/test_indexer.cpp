// Integration tests of the indexer (in progress).
#include <catch2/catch.hpp>
