// Unit tests for jsonl (in progress).
#include <catch2/catch.hpp>
