// Unit tests for ingest (in progress).
#include <catch2/catch.hpp>
